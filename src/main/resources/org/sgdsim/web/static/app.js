// sgdsim live dashboard: one EventSource per selected run, bounded point buffers, redraws at most 10 times a second;
// a sweep page (progress, per-point table, scaling plots, seeds of one point) polled every three seconds.
'use strict';
(function () {
  const MAX_POINTS = 2000;      // per chart; older points are thinned by half when it is exceeded
  const REDRAW_MS = 100;
  const SWEEP_MS = 3000;
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
  const KNOWN_PIPELINE = new Set(['wall_s', 'steps', 'samples', 'samples_per_s', 'steps_per_s', 'block_queue_depth',
    'slice_queue_depth', 'generator_idle_fraction', 'learner_idle_fraction', 'heap_used_bytes', 'threads', 'open_files']);
  const knownMetric = c => ['step', 'samples', 'wall_s', 'risk', 'seq', 'table'].includes(c) || /^max_cos_\d+$/.test(c)
    || /^[mq]_\d+_\d+$/.test(c);
  const PIPELINE_DEFS = [
    {id: 'throughput', title: 'throughput (samples/s)', table: 'pipeline', x: 'wall_s',
      cols: c => c === 'samples_per_s'},
    {id: 'latency', title: 'learner iteration time percentiles (µs)', table: 'latency', x: 'wall_s', logy: true,
      filter: r => r.stage === 'learner-iteration', cols: c => c === 'p50_us' || c === 'p90_us' || c === 'p99_us'},
    {id: 'queues', title: 'queue depths', table: 'pipeline', x: 'wall_s', cols: c => /_queue_depth$/.test(c)},
    {id: 'idle', title: 'idle fractions', table: 'pipeline', x: 'wall_s', cols: c => /_idle_fraction$/.test(c)},
    {id: 'optical', title: 'optical unit and other pipeline columns', table: 'pipeline', x: 'wall_s',
      cols: c => !KNOWN_PIPELINE.has(c) && c !== 'seq' && c !== 'table'},
  ];
  // One layout per run kind: columns of one kind and scale share a chart, counts get axes of their own.
  const LAYOUTS = {
    online: [
      {id: 'maxcos', title: 'max-cos per teacher direction', table: 'metrics', x: 'step', logx: true, theory: true,
        cols: c => /^max_cos_\d+$/.test(c)},
      {id: 'risk', title: 'population risk', table: 'metrics', x: 'step', logx: true, logy: true, theory: true,
        cols: c => c === 'risk'},
      {id: 'other', title: 'other run columns', table: 'metrics', x: 'step', logx: true, cols: c => !knownMetric(c)},
      ...PIPELINE_DEFS,
    ],
    dfa: [
      {id: 'accuracy', title: 'accuracy (train, test)', table: 'metrics', x: 'epoch', range: [0, 1],
        cols: c => /_acc$/.test(c)},
      {id: 'loss', title: 'loss (train, test)', table: 'metrics', x: 'epoch', cols: c => /_loss$/.test(c)},
      {id: 'alignment', title: 'alignment with backprop, per layer', table: 'metrics', x: 'epoch', range: [-1, 1],
        cols: c => /^align_\d+$/.test(c)},
      {id: 'fidelity', title: 'projection fidelity', table: 'metrics', x: 'epoch', cols: c => c === 'fidelity'},
      {id: 'frames', title: 'optical frames', table: 'metrics', x: 'epoch', cols: c => c === 'frames'},
      {id: 'optical_s', title: 'optical time (virtual s)', table: 'metrics', x: 'epoch', cols: c => c === 'optical_s'},
      {id: 'energy', title: 'optical energy (J)', table: 'metrics', x: 'epoch', cols: c => c === 'energy_j'},
      {id: 'other', title: 'other run columns', table: 'metrics', x: 'epoch',
        cols: c => !/(_acc|_loss)$/.test(c) && !/^align_\d+$/.test(c)
          && !['epoch', 'step', 'samples', 'wall_s', 'fidelity', 'frames', 'optical_s', 'energy_j', 'seq', 'table']
            .includes(c)},
      ...PIPELINE_DEFS,
    ],
  };

  const $ = id => document.getElementById(id);
  const state = {run: null, kind: 'online', source: null, rows: 0, charts: [], dirty: false, theory: null,
    runs: [], sweep: null, sweepData: null, sweepCharts: {}, point: null, seedPlot: null};
  window.sgdsim = state;   // for tests and the curious: state.charts[i].xs, state.rows, state.addRow(table, row)
  const loaded = new Promise(resolve => {
    if (document.readyState === 'complete') resolve(); else window.addEventListener('load', resolve, {once: true});
  });

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
    state.charts = (LAYOUTS[state.kind] || LAYOUTS.online).map(def => {
      const box = document.createElement('div');
      box.className = 'chart';
      box.id = 'chart-' + def.id;
      box.hidden = true;
      const h = document.createElement('h2');
      h.textContent = def.title;
      const holder = document.createElement('div');
      box.append(h, holder);
      $('charts').append(box);
      return {def, box, title: h, holder, cols: [], xs: [], ys: {}, plot: null, shape: '', values: 0};
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
      for (const k of c.cols) {
        const v = typeof row[k] === 'number' ? row[k] : null;
        if (v !== null) c.values++;
        c.ys[k].push(v);
      }
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

  function axisLabel(x) {
    return x === 'step' ? 'step' : x === 'epoch' ? 'epoch' : 'wall time (s)';
  }

  function draw() {
    if (!state.dirty) return;
    state.dirty = false;
    let points = 0;
    for (const c of state.charts) {
      // a chart with no value is not drawn (a run under a second has no pipeline rows)
      if (c.cols.length === 0 || c.values === 0) continue;
      c.box.hidden = false;
      const {data, theoryCols} = chartData(c);
      c.title.textContent = c.def.title + (theoryCols.length > 0 ? ' (theory dashed)' : '');
      const few = data[0].length < 3;
      const shape = c.cols.join(',') + '|' + theoryCols.join(',') + '|' + $('logx').checked + '|' + few;
      if (!c.plot || c.shape !== shape) {
        if (c.plot) c.plot.destroy();
        c.shape = shape;
        const series = [{label: c.def.x}];
        c.cols.forEach((k, i) => series.push({label: k, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
          points: {show: few}}));
        theoryCols.forEach(k => series.push({label: k + ' (theory)', stroke: COLORS[c.cols.indexOf(k) % COLORS.length],
          dash: [6, 4], width: 1, spanGaps: true, points: {show: false}}));
        const y = {distr: c.def.logy ? 3 : 1};
        if (c.def.range) y.range = (u, min, max) => [Math.min(c.def.range[0], min), Math.max(c.def.range[1], max)];
        c.plot = new uPlot({
          width: Math.max(300, c.holder.clientWidth || 440), height: 240,
          scales: {x: {time: false, distr: c.def.logx && $('logx').checked ? 3 : 1}, y},
          series, legend: {live: false},
          axes: [{label: axisLabel(c.def.x), values: (u, v) => v.map(fmt)}, {size: 64, values: (u, v) => v.map(fmt)}],
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

  function showView(which) {
    $('charts').hidden = which !== 'run';
    $('sweep').hidden = which !== 'sweep';
  }

  function follow(id) {
    stopSweep();
    showView('run');
    if (state.source) state.source.close();
    state.run = id;
    const info = state.runs.find(r => r.id === id);
    state.kind = info && LAYOUTS[info.kind] ? info.kind : 'online';
    state.rows = 0;
    state.theory = null;
    location.hash = 'run=' + encodeURIComponent(id);
    $('run').value = 'run:' + id;
    makeCharts();
    status('');
    // after the load event: tools that wait for a loaded page never wait on the open event stream
    loaded.then(() => {
      if (state.run !== id) return;
      const es = new EventSource('/events?run=' + encodeURIComponent(id));
      state.source = es;
      ['metrics', 'pipeline', 'latency'].forEach(t => es.addEventListener(t, e => onRow(t, JSON.parse(e.data))));
      es.addEventListener('run', e => setState(JSON.parse(e.data).state));
      es.addEventListener('gap', e => {
        const g = JSON.parse(e.data);
        status('rows ' + g.from + '–' + (g.to - 1) + ' were no longer held (live.buffer-rows)');
      });
      es.addEventListener('end', () => { es.close(); setState('finished'); status(''); });
      es.onopen = () => status('');
      es.onerror = () => { if (es.readyState !== EventSource.CLOSED) status('reconnecting…'); };
    });
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

  // The picker: sweeps first, then the runs grouped by their sweep or seed-set folder.
  function fillPicker(runs, sweeps) {
    const sel = $('run');
    const known = new Set(Array.from(sel.options).map(o => o.value));
    const group = (key, label) => {
      let g = Array.from(sel.querySelectorAll('optgroup')).find(o => o.dataset.key === key);
      if (!g) {
        g = document.createElement('optgroup');
        g.dataset.key = key;
        g.label = label;
        sel.append(g);
      }
      return g;
    };
    sweeps.forEach(s => {
      if (known.has('sweep:' + s.id)) return;
      const o = document.createElement('option');
      o.value = 'sweep:' + s.id;
      o.textContent = 'sweep ' + s.name + ' (' + s.total + ' runs)';
      group('#sweeps', 'sweeps').append(o);
    });
    runs.forEach(r => {
      const o = Array.from(sel.options).find(o => o.value === 'run:' + r.id) || document.createElement('option');
      o.value = 'run:' + r.id;
      o.textContent = r.label + ' (' + r.state + ')';
      o.title = r.id;
      if (!o.parentNode) group(r.group, r.group === '' ? r.experiment : r.group + ' — ' + r.experiment).append(o);
    });
  }

  function loadRuns() {
    return Promise.all([fetch('/api/runs').then(r => r.json()), fetch('/api/sweeps').then(r => r.json())])
      .then(([j, s]) => {
        state.runs = j.runs;
        fillPicker(j.runs, s.sweeps);
        if (state.run === null && state.sweep === null) {
          const hash = location.hash;
          const wantedRun = decodeURIComponent((hash.match(/run=([^&]+)/) || [])[1] || '');
          const wantedSweep = decodeURIComponent((hash.match(/sweep=([^&]+)/) || [])[1] || '');
          const run = j.runs.find(r => r.id === wantedRun);
          const sweep = s.sweeps.find(x => x.id === wantedSweep);
          if (run) follow(run.id);
          else if (sweep) openSweep(sweep.id, decodeURIComponent((hash.match(/point=([^&]+)/) || [])[1] || ''));
          else if (s.sweeps.length > 0) openSweep(s.sweeps[0].id);
          else if (j.runs.length > 0) {
            follow((j.runs.find(r => r.state === 'live' || r.state === 'running') || j.runs[0]).id);
          }
        }
      }).catch(() => status('cannot reach the server'));
  }

  // ---- the sweep page ----

  function stopSweep() {
    state.sweep = null;
    if (state.sweepTimer) clearInterval(state.sweepTimer);
    state.sweepTimer = null;
  }

  function openSweep(id, point) {
    if (state.source) state.source.close();
    state.source = null;
    state.run = null;
    stopSweep();
    showView('sweep');
    state.sweep = id;
    state.point = point || null;
    Object.values(state.sweepCharts).forEach(c => c.destroy());
    state.sweepCharts = {};
    $('sweep-charts').textContent = '';
    $('seeds').hidden = true;
    location.hash = 'sweep=' + encodeURIComponent(id) + (point ? '&point=' + encodeURIComponent(point) : '');
    $('run').value = 'sweep:' + id;
    setState('sweep');
    loadSweep();
    state.sweepTimer = setInterval(loadSweep, SWEEP_MS);
  }

  function loadSweep() {
    const id = state.sweep;
    fetch('/api/sweeps/' + encodeURIComponent(id)).then(r => r.json()).then(j => {
      if (state.sweep !== id || j.error) return;
      state.sweepData = j;
      drawSweep(j);
    }).catch(() => status('cannot reach the server'));
  }

  const median = p => p.T ? p.T[1] : null;

  function drawSweep(j) {
    $('sweep-title').textContent = 'sweep ' + j.name;
    const p = $('progress');
    p.textContent = 'done ' + j.done + ' · running ' + j.running + ' · failed ' + j.failed + ' · pending '
      + j.pending + ' of ' + j.total;
    p.dataset.done = String(j.done);
    p.dataset.total = String(j.total);
    $('progress-bar').style.width = (j.total ? 100 * j.done / j.total : 0) + '%';
    const body = $('points-table').querySelector('tbody');
    body.textContent = '';
    j.points.forEach(pt => {
      const tr = document.createElement('tr');
      tr.dataset.point = pt.point;
      if (pt.point === state.point) tr.className = 'selected';
      const q = v => v ? fmt(v[1]) + ' [' + fmt(v[0]) + ', ' + fmt(v[2]) + ']' : '–';
      [pt.point, pt.d, pt.nb, pt.loss, pt.done + '/' + pt.seeds, pt.reached, q(pt.T), q(pt.nbT),
        pt.theory_T === null ? '–' : fmt(pt.theory_T)].forEach(v => {
        const td = document.createElement('td');
        td.textContent = v === null || v === undefined ? '–' : String(v);
        tr.append(td);
      });
      tr.addEventListener('click', () => showSeeds(pt.point));
      body.append(tr);
    });
    scalingCharts(j);
    if (state.point) showSeeds(state.point, true);
  }

  // T and n_b·T against n_b (when it varies) or d, one series per loss (and d), the theory dashed; the phase
  // diagram θ = log_d T against μ = log_d n_b with the theory's lines for plain and correlation-loss SGD.
  function scalingCharts(j) {
    const pts = j.points.filter(p => p.d !== null && p.nb !== null);
    const distinct = k => new Set(pts.map(p => p[k])).size;
    // n_b is the axis when it varies at a fixed d and loss (a batch-size sweep); else d (n_b may follow d)
    const perD = {};
    pts.forEach(p => { const k = p.loss + '|' + p.d; (perD[k] = perD[k] || new Set()).add(p.nb); });
    const byNb = Object.values(perD).some(s => s.size > 1);
    const xKey = byNb ? 'nb' : 'd';
    // with d on the axis, n_b splits the series only when it is a grid key of its own (not n_b = d^μ)
    const perNb = {};
    pts.forEach(p => { const k = p.loss + '|' + p.nb; (perNb[k] = perNb[k] || new Set()).add(p.d); });
    const nbOwnAxis = Object.values(perNb).some(s => s.size > 1) && distinct('nb') > 1;
    const groups = {};
    pts.forEach(p => {
      const key = 'loss=' + p.loss + (byNb && distinct('d') > 1 ? ', d=' + p.d : '')
        + (!byNb && nbOwnAxis ? ', n_b=' + p.nb : '');
      (groups[key] = groups[key] || []).push(p);
    });
    const keys = Object.keys(groups);
    const chart = (id, title, xLabel, yLabel, build, log) => {
      const {tables, series} = build();
      const have = tables.some(t => t[1].some(v => v !== null));
      const box = $('sweep-chart-' + id) || (() => {
        const b = document.createElement('div');
        b.className = 'chart';
        b.id = 'sweep-chart-' + id;
        const h = document.createElement('h2');
        h.textContent = title;
        b.append(h, document.createElement('div'));
        $('sweep-charts').append(b);
        return b;
      })();
      // drawn only once a run of the sweep gave it a point
      box.hidden = !have;
      if (!have) return;
      const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
      const shape = series.map(s => s.label).join('|');
      let plot = state.sweepCharts[id];
      if (plot && plot.shape === shape) { plot.setData(data); return; }
      if (plot) plot.destroy();
      box.lastChild.textContent = '';
      plot = new uPlot({
        width: Math.max(300, box.clientWidth - 12 || 440), height: 260,
        scales: {x: {time: false, distr: log ? 3 : 1}, y: {distr: log ? 3 : 1}},
        series: [{label: xLabel}, ...series], legend: {live: false},
        axes: [{label: xLabel, values: (u, v) => v.map(fmt)}, {label: yLabel, size: 70, values: (u, v) => v.map(fmt)}],
      }, data, box.lastChild);
      plot.shape = shape;
      box.dataset.series = String(series.length);
      state.sweepCharts[id] = plot;
    };
    const sorted = g => g.slice().sort((a, b) => a[xKey] - b[xKey]);
    const scaling = samples => () => {
      const tables = [];
      const series = [];
      keys.forEach((k, i) => {
        const g = sorted(groups[k]);
        const x = g.map(p => p[xKey]);
        const v = g.map(p => { const q = samples ? p.nbT : p.T; return q ? q[1] : null; });
        tables.push([x, v]);
        series.push({label: k + ' median', stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
          points: {show: true, size: 6}});
        const th = g.map(p => samples ? p.theory_nbT : p.theory_T);
        if (th.some(t => t !== null)) {
          tables.push([x, th]);
          series.push({label: k + ' theory', stroke: COLORS[i % COLORS.length], dash: [6, 4], width: 1, spanGaps: true,
            points: {show: false}});
        }
      });
      return {tables, series};
    };
    const xName = byNb ? 'n_b' : 'd';
    chart('T', 'T (steps to threshold) against ' + xName + ' (theory dashed when it applies)', xName,
      'T, median', scaling(false), true);
    chart('nbT', 'n_b·T (samples to threshold) against ' + xName, xName, 'n_b·T, median', scaling(true), true);
    if (byNb && j.ell) {
      chart('phase', 'phase diagram: θ = log_d T against μ = log_d n_b (theory dashed)', 'μ = log_d n_b',
        'θ = log_d T', () => {
          const tables = [];
          const series = [];
          const phase = {};
          pts.forEach(p => { const k = 'loss=' + p.loss + ', d=' + p.d; (phase[k] = phase[k] || []).push(p); });
          let muMax = 0;
          Object.keys(phase).forEach((k, i) => {
            const g = phase[k].map(p => ({mu: Math.log(p.nb) / Math.log(p.d), t: median(p), d: p.d}))
              .sort((a, b) => a.mu - b.mu);
            g.forEach(p => { muMax = Math.max(muMax, p.mu); });
            tables.push([g.map(p => p.mu), g.map(p => p.t ? Math.log(Math.max(1, p.t)) / Math.log(p.d) : null)]);
            series.push({label: k, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
              points: {show: true, size: 6}});
          });
          const l = j.ell;
          const mus = Array.from({length: 51}, (_, i) => muMax * i / 50);
          tables.push([mus, mus.map(m => Math.max(l - 1 - m, l / 2 - 1))]);
          series.push({label: 'theory, plain SGD', stroke: '#444', dash: [6, 4], width: 1, points: {show: false}});
          tables.push([mus, mus.map(m => Math.max(l - 1 - m, 0))]);
          series.push({label: 'theory, correlation loss', stroke: '#999', dash: [2, 3], width: 1,
            points: {show: false}});
          return {tables, series};
        }, false);
    }
  }

  // The seeds of one point: every run's max-cos-1 against steps, their median and quartile band; a click on a
  // curve (or a seed's link) opens that run.
  function showSeeds(point, refresh) {
    const j = state.sweepData;
    const pt = j && j.points.find(p => p.point === point);
    if (!pt) return;
    if (refresh && state.seedPlot && state.point === point && state.seedsDone === pt.done) return;
    state.point = point;
    location.hash = 'sweep=' + encodeURIComponent(state.sweep) + '&point=' + encodeURIComponent(point);
    state.seedsDone = pt.done;
    Array.from($('points-table').querySelectorAll('tbody tr'))
      .forEach(tr => { tr.className = tr.dataset.point === point ? 'selected' : ''; });
    const runs = pt.runs.filter(r => r.state !== 'pending');
    Promise.all(runs.map(r => fetch('/api/runs/' + encodeURIComponent(r.id) + '/metrics').then(x => x.json())
      .catch(() => null))).then(answers => {
      if (state.point !== point) return;
      const curves = [];
      answers.forEach((a, i) => {
        if (!a || !a.columns) return;
        const xi = a.columns.indexOf('step');
        const col = a.columns.find(c => /^max_cos_1$/.test(c)) || a.columns.find(c => c === 'test_acc');
        const yi = a.columns.indexOf(col);
        if (xi < 0 || yi < 0) return;
        const rows = a.rows.filter(r => r[xi] > 0);
        curves.push({run: runs[i], col, x: rows.map(r => r[xi]), y: rows.map(r => r[yi])});
      });
      const box = $('seeds');
      box.hidden = curves.length === 0;
      if (curves.length === 0) return;
      $('seeds-title').textContent = 'seeds of ' + point + ': ' + curves[0].col
        + ' (thin), median (thick) and quartile band; click a curve to open its run';
      const xs = Array.from(new Set(curves.flatMap(c => c.x))).sort((a, b) => a - b);
      const at = curves.map(c => new Map(c.x.map((x, i) => [x, c.y[i]])));
      const q = (v, f) => {
        const s = v.slice().sort((a, b) => a - b);
        const h = (s.length - 1) * f;
        const lo = Math.floor(h);
        return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
      };
      // median and quartiles where at least half the seeds have a row (not at one seed's off-schedule last row)
      const stats = xs.map(x => at.map(m => m.get(x)).filter(v => v !== undefined));
      const band = f => stats.map(v => 2 * v.length >= curves.length ? q(v, f) : null);
      const data = [xs, ...at.map(m => xs.map(x => m.has(x) ? m.get(x) : null)), band(0.25), band(0.75), band(0.5)];
      const n = curves.length;
      const series = [{label: 'step'}, ...curves.map((c, i) => ({label: 'seed ' + c.run.seed,
        stroke: COLORS[i % COLORS.length] + '99', width: 1, spanGaps: true, points: {show: false}})),
      {label: 'quartile 1', stroke: '#0000', points: {show: false}, spanGaps: true},
      {label: 'quartile 3', stroke: '#0000', points: {show: false}, spanGaps: true},
      {label: 'median', stroke: '#000', width: 2.5, spanGaps: true, points: {show: false}}];
      if (state.seedPlot) state.seedPlot.destroy();
      const holder = $('seeds-plot');
      holder.textContent = '';
      const plot = new uPlot({
        width: Math.max(300, holder.clientWidth || 600), height: 280,
        scales: {x: {time: false, distr: 3}, y: {distr: 1}},
        series, bands: [{series: [n + 2, n + 1], fill: 'rgba(0,0,0,0.12)'}], legend: {live: false},
        axes: [{label: 'step', values: (u, v) => v.map(fmt)}, {size: 64, values: (u, v) => v.map(fmt)}],
      }, data, holder);
      plot.over.style.cursor = 'pointer';
      plot.over.addEventListener('click', () => {
        const idx = plot.cursor.idx;
        if (idx === null || idx === undefined) return;
        const y = plot.posToVal(plot.cursor.top, 'y');
        let best = -1;
        let dist = Infinity;
        curves.forEach((c, i) => {
          const v = data[i + 1][idx];
          if (v !== null && Math.abs(v - y) < dist) { dist = Math.abs(v - y); best = i; }
        });
        if (best >= 0) follow(curves[best].run.id);
      });
      state.seedPlot = plot;
      const links = $('seeds-links');
      links.textContent = 'open: ';
      curves.forEach(c => {
        const a = document.createElement('a');
        a.href = '#run=' + encodeURIComponent(c.run.id);
        a.textContent = 'seed ' + c.run.seed;
        a.dataset.run = c.run.id;
        a.addEventListener('click', e => { e.preventDefault(); follow(c.run.id); });
        links.append(a, ' ');
      });
      box.dataset.curves = String(n);
    });
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
  state.openSweep = openSweep;
  state.follow = follow;
  $('run').addEventListener('change', e => {
    const v = e.target.value;
    if (v.startsWith('sweep:')) openSweep(v.substring(6)); else follow(v.substring(4));
  });
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
