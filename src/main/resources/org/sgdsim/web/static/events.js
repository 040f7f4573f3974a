// sgdsim live dashboard: holds one run's event stream off the page (app.js says why) and relays every event to it.
onmessage = m => {
  const es = new EventSource(m.data);
  ['metrics', 'pipeline', 'latency', 'run', 'gap', 'end'].forEach(type => es.addEventListener(type, e => {
    if (type === 'end') es.close();
    postMessage({type, data: e.data});
  }));
  es.onopen = () => postMessage({type: 'open'});
  es.onerror = () => { if (es.readyState !== EventSource.CLOSED) postMessage({type: 'error'}); };
};
