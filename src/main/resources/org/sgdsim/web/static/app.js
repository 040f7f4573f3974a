// sgdsim live dashboard: one EventSource per selected run, bounded point buffers, redraws at most 10 times a second.
'use strict';
(function () {
  const MAX_POINTS = 2000;      // per chart; older points are thinned by half when it is exceeded
  const REDRAW_MS = 100;
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
  const KNOWN_PIPELINE = new Set(['wall_s', 'steps', 'samples', 'samples_per_s', 'steps_per_s', 'block_queue_depth',
    'slice_queue_depth', 'generator_idle_fraction', 'learner_idle_fraction', 'heap_used_bytes', 'threads', 'open_files']);
  const knownMetric = c => ['step', 'samples', 'wall_s', 'risk', 'seq', 'table'].includes(c) || /^max_cos_\d+$/.test(c)
    || /^[mq]_\d+_\d+$/.test(c);
  const DEFS = [
    {id: 'maxcos', title: 'max-cos per teacher direction (theory dashed)', table: 'metrics', x: 'step', logx: true,
      theory: true, cols: c => /^max_cos_\d+$/.test(c)},
    {id: 'risk', title: 'population risk (theory dashed)', table: 'metrics', x: 'step', logx: true, logy: true,
      theory: true, cols: c => c === 'risk'},
    {id: 'other', title: 'test accuracy and other run columns', table: 'metrics', x: 'step', logx: true,
      cols: c => !knownMetric(c)},
    {id: 'throughput', title: 'throughput (samples/s)', table: 'pipeline', x: 'wall_s',
      cols: c => c === 'samples_per_s'},
    {id: 'latency', title: 'learner iteration time percentiles (µs)', table: 'latency', x: 'wall_s', logy: true,
      filter: r => r.stage === 'learner-iteration', cols: c => c === 'p50_us' || c === 'p90_us' || c === 'p99_us'},
    {id: 'queues', title: 'queue depths', table: 'pipeline', x: 'wall_s', cols: c => /_queue_depth$/.test(c)},
    {id: 'idle', title: 'idle fractions', table: 'pipeline', x: 'wall_s', cols: c => /_idle_fraction$/.test(c)},
    {id: 'optical', title: 'optical unit and other pipeline columns', table: 'pipeline', x: 'wall_s',
      cols: c => !KNOWN_PIPELINE.has(c) && c !== 'seq' && c !== 'table'},
  ];

  const $ = id => document.getElementById(id);
  const state = {run: null, source: null, rows: 0, charts: [], dirty: false, theory: null};
  window.sgdsim = state;   // for tests and the curious: state.charts[i].xs, state.rows, state.addRow(table, row)

  // Short tick labels: plain numbers in the middle range, exponent form for very small or very large ones.
  function fmt(v) {
    if (v === null || v === undefined) return '';
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(0);
    return String(+v.toPrecision(4));
  }

  function status(text) { $('status').textContent = text || ''; }

  function setState(s) {
    const b = $('state');
    b.textContent = s;
    b.className = 'badge ' + s;
  }

  function makeCharts() {
    state.charts.forEach(c => { if (c.plot) c.plot.destroy(); });
    $('charts').textContent = '';
    state.charts = DEFS.map(def => {
      const box = document.createElement('div');
      box.className = 'chart';
      box.id = 'chart-' + def.id;
      box.hidden = true;
      const h = document.createElement('h2');
      h.textContent = def.title;
      const holder = document.createElement('div');
      box.append(h, holder);
      $('charts').append(box);
      return {def, box, holder, cols: [], xs: [], ys: {}, plot: null, shape: ''};
    });
  }

  function onRow(table, row) {
    state.rows++;
    for (const c of state.charts) {
      const def = c.def;
      if (def.table !== table || (def.filter && !def.filter(row))) continue;
      const x = row[def.x];
      if (typeof x !== 'number') continue;
      for (const k of Object.keys(row)) {
        if (k !== def.x && def.cols(k) && typeof row[k] === 'number' && !c.cols.includes(k)) {
          c.cols.push(k);
          c.ys[k] = new Array(c.xs.length).fill(null);
        }
      }
      if (c.cols.length === 0) continue;
      c.xs.push(x);
      for (const k of c.cols) c.ys[k].push(typeof row[k] === 'number' ? row[k] : null);
      if (c.xs.length > MAX_POINTS) thin(c);
    }
    state.dirty = true;
  }

  // Halves a chart's buffers, keeping every other point and the newest: memory stays bounded on long runs.
  function thin(c) {
    const keep = (v, i, a) => i % 2 === 0 || i === a.length - 1;
    c.xs = c.xs.filter(keep);
    for (const k of c.cols) c.ys[k] = c.ys[k].filter(keep);
  }

  function chartData(c) {
    const logx = c.def.logx && $('logx').checked;
    const pos = v => (v === null || (c.def.logy && !(v > 0))) ? null : v;
    const own = [[], ...c.cols.map(() => [])];
    for (let i = 0; i < c.xs.length; i++) {
      if (logx && !(c.xs[i] > 0)) continue;
      own[0].push(c.xs[i]);
      c.cols.forEach((k, j) => own[j + 1].push(pos(c.ys[k][i])));
    }
    const th = c.def.theory && state.theory ? state.theory : null;
    if (!th) return {data: own, theoryCols: []};
    const tcols = c.cols.filter(k => th.cols.includes(k));
    if (tcols.length === 0) return {data: own, theoryCols: []};
    const t = [[], ...tcols.map(() => [])];
    th.rows.forEach(r => {
      const x = r[th.cols.indexOf('step')];
      if (logx && !(x > 0)) return;
      t[0].push(x);
      tcols.forEach((k, j) => t[j + 1].push(pos(r[th.cols.indexOf(k)])));
    });
    return {data: uPlot.join([own, t]), theoryCols: tcols};
  }

  function draw() {
    if (!state.dirty) return;
    state.dirty = false;
    let points = 0;
    for (const c of state.charts) {
      if (c.cols.length === 0) continue;
      c.box.hidden = false;
      const {data, theoryCols} = chartData(c);
      const shape = c.cols.join(',') + '|' + theoryCols.join(',') + '|' + $('logx').checked;
      if (!c.plot || c.shape !== shape) {
        if (c.plot) c.plot.destroy();
        c.shape = shape;
        const series = [{label: c.def.x}];
        c.cols.forEach((k, i) => series.push({label: k, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
          points: {show: false}}));
        theoryCols.forEach(k => series.push({label: k + ' (theory)', stroke: COLORS[c.cols.indexOf(k) % COLORS.length],
          dash: [6, 4], width: 1, spanGaps: true, points: {show: false}}));
        c.plot = new uPlot({
          width: Math.max(300, c.holder.clientWidth || 440), height: 240,
          scales: {x: {time: false, distr: c.def.logx && $('logx').checked ? 3 : 1},
            y: {distr: c.def.logy ? 3 : 1}},
          series, legend: {live: false},
          axes: [{label: c.def.x === 'step' ? 'step' : 'wall time (s)', values: (u, v) => v.map(fmt)},
            {size: 64, values: (u, v) => v.map(fmt)}],
        }, data, c.holder);
      } else {
        c.plot.setData(data);
      }
      c.box.dataset.points = String(c.xs.length);
      points += c.xs.length;
    }
    $('rows').textContent = String(state.rows);
    $('points').textContent = String(points);
    $('points').dataset.n = String(points);
  }

  function follow(id) {
    if (state.source) state.source.close();
    state.run = id;
    state.rows = 0;
    state.theory = null;
    location.hash = 'run=' + encodeURIComponent(id);
    makeCharts();
    status('');
    // The stream lives in a worker (static/events.js), which relays its events: a stream the page held itself
    // would be a fetch that never ends, and headless Chromium's --virtual-time-budget would wait for ever.
    const es = new Worker('/static/events.js');
    state.source = {close: () => es.terminate()};
    const on = {
      row: m => onRow(m.type, JSON.parse(m.data)),
      run: m => setState(JSON.parse(m.data).state),
      gap: m => {
        const g = JSON.parse(m.data);
        status('rows ' + g.from + '–' + (g.to - 1) + ' were no longer held (live.buffer-rows)');
      },
      end: () => { es.terminate(); setState('finished'); status(''); },
      open: () => status(''),
      error: () => status('reconnecting…'),
    };
    es.onmessage = e => (on[e.data.type] || on.row)(e.data);
    es.postMessage('/events?run=' + encodeURIComponent(id));
    loadTheory(id);
  }

  function loadTheory(id) {
    fetch('/api/runs/' + encodeURIComponent(id) + '/metrics?since=9007199254740991')
      .then(r => r.json())
      .then(j => {
        if (state.run === id && j.theory) {
          state.theory = {cols: j.theory.columns, rows: j.theory.rows};
          state.dirty = true;
        }
      })
      .catch(() => status('could not load the theory curve'));
  }

  function loadRuns() {
    return fetch('/api/runs').then(r => r.json()).then(j => {
      const sel = $('run');
      const known = new Set(Array.from(sel.options).map(o => o.value));
      j.runs.forEach(r => {
        if (!known.has(r.id)) {
          const o = document.createElement('option');
          o.value = r.id;
          o.textContent = r.id + ' (' + r.state + ')';
          sel.append(o);
        }
      });
      if (state.run === null && j.runs.length > 0) {
        const wanted = decodeURIComponent((location.hash.match(/run=([^&]+)/) || [])[1] || '');
        const pick = j.runs.find(r => r.id === wanted) || j.runs.find(r => r.state === 'live' || r.state === 'running')
          || j.runs[0];
        sel.value = pick.id;
        follow(pick.id);
      }
    }).catch(() => status('cannot reach the server'));
  }

  function loadCluster() {
    fetch('/api/cluster').then(r => r.json()).then(j => {
      const box = $('cluster');
      box.hidden = !j.cluster;
      const body = box.querySelector('tbody');
      body.textContent = '';
      (j.members || []).forEach(m => {
        const tr = document.createElement('tr');
        [m.address, m.status, m.roles.join(', '), m.runs.join(', ')].forEach(v => {
          const td = document.createElement('td');
          td.textContent = v;
          tr.append(td);
        });
        body.append(tr);
      });
    }).catch(() => {});
  }

  state.addRow = onRow;
  $('run').addEventListener('change', e => follow(e.target.value));
  $('logx').addEventListener('change', () => { state.dirty = true; });
  window.addEventListener('resize', () => {
    state.charts.forEach(c => { if (c.plot) c.plot.setSize({width: Math.max(300, c.holder.clientWidth), height: 240}); });
  });
  makeCharts();
  loadRuns();
  loadCluster();
  setInterval(draw, REDRAW_MS);
  setInterval(loadRuns, 5000);
  setInterval(loadCluster, 5000);
})();
