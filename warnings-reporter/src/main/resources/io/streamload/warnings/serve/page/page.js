// The page of `warnings-reporter serve`: reads the service's own JSON API and nothing else.
// Every stored text (reasons, rows, labels, names) goes into the page as text (textContent or a
// text node), never as markup; the server's Content-Security-Policy allows no inline script.
'use strict';

(function () {
  const RANGES = { '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3, '30d': 30 * 24 * 3600e3 };
  const BUCKETS = 48;
  const LOADS_SHOWN = 15;
  const SVG = 'http://www.w3.org/2000/svg';
  const FIELDS = ['table', 'label', 'reason', 'range', 'from', 'to', 'limit', 'job', 'jobLabel'];

  const $ = (id) => document.getElementById(id);
  const filters = $('filters');
  const replayForm = $('replay-form');
  let shown = { state: null, rows: [] };
  let renders = 0;

  /** An element with attributes and children; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, value);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined).map((c) => (c instanceof Node ? c : String(c))));
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, value);
    }
    node.append(...children.map((c) => (c instanceof Node ? c : String(c))));
    return node;
  }

  /** A link to this page with other filters: what the hash says is what the page shows. */
  function link(state, text, attrs) {
    return el('a', Object.assign({ href: '#' + hashOf(state) }, attrs || {}), text);
  }

  function hashOf(state) {
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      if (state[name]) {
        params.set(name, state[name]);
      }
    }
    return params.toString();
  }

  function readState() {
    const params = new URLSearchParams(location.hash.slice(1));
    const state = {};
    for (const name of FIELDS) {
      state[name] = params.get(name) || '';
    }
    state.range = RANGES[state.range] || state.range === 'custom' ? state.range : '24h';
    state.limit = ['50', '100', '500', '1000'].includes(state.limit) ? state.limit : '100';
    return state;
  }

  function fillForm(state) {
    for (const name of ['table', 'label', 'reason', 'range', 'from', 'to', 'limit']) {
      filters.elements[name].value = state[name];
    }
    for (const custom of document.querySelectorAll('label.custom')) {
      custom.hidden = state.range !== 'custom';
    }
    $('job').hidden = !state.job;
    $('job-name').textContent = state.job ? (state.jobLabel || '') + ' (txn ' + state.job + ')' : '';
  }

  /** since and until as ISO-8601 UTC, or an error to show. */
  function timeRange(state) {
    if (state.range !== 'custom') {
      const until = new Date();
      return { since: new Date(until.getTime() - RANGES[state.range]).toISOString(), until: until.toISOString() };
    }
    const since = utc(state.from);
    const until = state.to ? utc(state.to) : new Date().toISOString();
    if (!since) {
      return { error: 'Give the start of the time range (From), in UTC.' };
    }
    return { since, until };
  }

  /** A datetime-local value read as UTC. */
  function utc(local) {
    if (!local) {
      return null;
    }
    const date = new Date(local + (local.length === 16 ? ':00Z' : 'Z'));
    return isNaN(date.getTime()) ? null : date.toISOString();
  }

  async function api(path, params) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== '' && value !== null && value !== undefined) {
        query.set(name, value);
      }
    }
    const response = await fetch(path + '?' + query.toString(), { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({ error: 'HTTP ' + response.status }));
    if (!response.ok) {
      throw new Error(path + ': ' + (body.error || 'HTTP ' + response.status));
    }
    return body;
  }

  async function render() {
    const state = readState();
    fillForm(state);
    document.body.dataset.state = 'loading';
    const status = $('status');
    status.className = '';
    status.textContent = 'Loading…';
    try {
      const range = timeRange(state);
      if (range.error) {
        throw new Error(range.error);
      }
      const rowParams = { table: state.table, reason: state.reason, limit: state.limit };
      if (state.job) {
        // A load's rows, whenever they were written.
        rowParams.job_id = state.job;
      } else {
        Object.assign(rowParams, { label: state.label, since: range.since, until: range.until });
      }
      const [timeline, loads, rows] = await Promise.all([
        api('api/timeline', { table: state.table, since: range.since, until: range.until, buckets: BUCKETS }),
        api('api/loads', { table: state.table, label: state.label, since: range.since, until: range.until,
          limit: LOADS_SHOWN }),
        api('api/warnings', rowParams),
      ]);
      drawChart(timeline, state);
      showLoads(loads, state);
      showRows(rows, state);
      status.textContent = 'As of ' + time(new Date().toISOString()) + ' UTC.';
    } catch (e) {
      status.className = 'error';
      status.textContent = e.message;
    }
    renders += 1;
    document.body.dataset.renders = String(renders);
    document.body.dataset.state = 'ready';
  }

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '';
  }

  function count(n) {
    return Number(n).toLocaleString('en-US');
  }

  function short(n) {
    return n >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : n >= 1e4 ? (n / 1e3).toFixed(1) + 'k' : String(n);
  }

  function drawChart(timeline, state) {
    const box = $('chart');
    box.replaceChildren();
    $('tables').replaceChildren(...timeline.tables.map((t) => el('option', { value: t.table })));
    if (timeline.tables.length === 0) {
      box.append(el('p', { class: 'empty' }, 'No loads and no rejected rows in this time range.'));
      return;
    }
    if (timeline.truncated) {
      box.append(el('p', { class: 'note' }, 'More tables than one answer holds: pick a table to see the rest.'));
    }
    const n = timeline.buckets;
    const since = Date.parse(timeline.since);
    const step = timeline.bucketSeconds * 1000;
    const W = 720, left = 44, right = 6, top = 8, mid = 88, bottom = 128, H = 146;
    const width = (W - left - right) / n;
    for (const table of timeline.tables) {
      const spans = Array.from({ length: n }, () => ({ loadedRows: 0, filteredRows: 0, rejectedRows: 0, attempts: 0 }));
      for (const point of table.points) {
        const i = Math.round((Date.parse(point.start) - since) / step);
        if (i >= 0 && i < n) {
          spans[i] = point;
        }
      }
      const maxUp = Math.max(1, ...spans.map((s) => s.loadedRows));
      const maxDown = Math.max(1, ...spans.map((s) => Math.max(s.filteredRows, s.rejectedRows)));
      const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'rows of ' + table.table });
      chart.append(svg('line', { class: 'axis', x1: left, x2: W - right, y1: mid, y2: mid }));
      chart.append(svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, short(maxUp)));
      chart.append(svg('text', { x: left - 4, y: bottom, 'text-anchor': 'end' }, short(maxDown)));
      chart.append(svg('text', { x: left - 4, y: mid + 3, 'text-anchor': 'end' }, '0'));
      spans.forEach((s, i) => {
        const x = left + i * width;
        const up = (s.loadedRows / maxUp) * (mid - top);
        const filtered = (s.filteredRows / maxDown) * (bottom - mid);
        const rejected = (s.rejectedRows / maxDown) * (bottom - mid);
        const group = svg('g', {});
        group.append(svg('rect', { class: 'column', x, y: top, width, height: bottom - top }));
        if (up > 0) {
          group.append(svg('rect', { class: 'bar loaded', x: x + 0.5, y: mid - up, width: Math.max(width - 1, 0.5), height: up }));
        }
        if (filtered > 0) {
          group.append(svg('rect', { class: 'bar filtered', x: x + 0.5, y: mid, width: Math.max(width / 2 - 0.5, 0.5), height: filtered }));
        }
        if (rejected > 0) {
          group.append(svg('rect', { class: 'bar rejected', x: x + width / 2, y: mid, width: Math.max(width / 2 - 0.5, 0.5), height: rejected }));
        }
        const from = new Date(since + i * step).toISOString();
        group.append(svg('title', {}, `${time(from)} UTC, ${timeline.bucketSeconds / 60} min: ${count(s.loadedRows)} loaded, `
          + `${count(s.filteredRows)} filtered, ${count(s.rejectedRows)} rejected, ${count(s.attempts)} attempts`));
        chart.append(group);
      });
      for (const i of [0, Math.floor(n / 2), n]) {
        chart.append(svg('text', { x: left + i * width, y: H - 2, 'text-anchor': i === 0 ? 'start' : i === n ? 'end' : 'middle' },
          time(new Date(since + i * step).toISOString()).slice(5, 16)));
      }
      const name = table.db ? table.db + '.' + table.table : table.table;
      const heading = el('h3', {}, link(Object.assign({}, state, { table: table.table, job: '', jobLabel: '' }), name,
        { class: 'table-link', title: 'only this table' }),
        el('span', { class: 'sums' }, `${count(table.loadedRows)} rows loaded, ${count(table.filteredRows)} filtered, `
          + `${count(table.rejectedRows)} rejected; ${count(table.landedAttempts)} of ${count(table.attempts)} load attempts landed`));
      box.append(el('div', { class: 'chart', 'data-table': name }, heading, chart));
    }
  }

  function showLoads(loads, state) {
    const body = document.querySelector('#loads tbody');
    body.replaceChildren();
    if (loads.length === 0) {
      body.append(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'No loads in this time range.')));
    }
    for (const load of loads) {
      // A load with a transaction: its rows by job id; without one, the rows of the label's latest job.
      const target = load.txnId > 0
        ? { range: state.range, from: state.from, to: state.to, limit: state.limit, job: String(load.txnId), jobLabel: load.label }
        : { range: state.range, from: state.from, to: state.to, limit: state.limit, label: load.label };
      const failed = !/^(success|publish timeout|committed|ok)$/i.test(load.status);
      body.append(el('tr', {},
        el('td', {}, time(load.finishedAt)),
        el('td', {}, load.table),
        el('td', {}, link(target, load.label, { class: 'load-link' })),
        el('td', { class: 'num' }, load.txnId),
        el('td', failed ? { class: 'status-fail' } : {}, load.status),
        el('td', { class: 'num' }, count(load.loadedRows)),
        el('td', { class: 'num' }, count(load.filteredRows))));
    }
  }

  function showRows(apiRows, state) {
    // The API answers in the order rows were written; newest first reads better here.
    const rows = state.job || state.label ? apiRows : apiRows.slice().reverse();
    const full = rows.length >= Number(state.limit);
    shown = { state, rows, full };
    const what = state.job ? 'of load ' + (state.jobLabel || 'txn ' + state.job)
      : state.label ? 'of the latest load labelled ' + state.label : 'in this time range';
    $('rows-summary').textContent = rows.length === 0 ? 'No rejected rows ' + what + ' match.'
      : `${count(rows.length)} rejected ${rows.length === 1 ? 'row' : 'rows'} ${what}`
        + (full ? ` (the ${state.job || state.label ? 'first' : 'newest'} ${state.limit}: there may be more)` : '') + '.';
    const body = document.querySelector('#rows tbody');
    body.replaceChildren();
    for (const row of rows) {
      const keep = { range: state.range, from: state.from, to: state.to, limit: state.limit };
      const load = !row.Label ? ''
        : link(row.JobId > 0 ? Object.assign(keep, { job: String(row.JobId), jobLabel: row.Label })
          : Object.assign(keep, { label: row.Label }), row.Label, { class: 'row-load' });
      body.append(el('tr', { class: 'row' },
        el('td', {}, time(row.createdAt)),
        el('td', {}, row.table),
        el('td', {}, load, row.JobId >= 0 ? el('div', { class: 'hint' }, 'txn ' + row.JobId) : null),
        el('td', { class: 'reason' }, row.errorMsg),
        el('td', { class: 'excerpt' }, el('code', {}, row.rowExcerpt === null ? '' : row.rowExcerpt)),
        el('td', { class: 'topic' }, row.topic === null ? '' : row.topic),
        el('td', { class: 'num partition' }, row.partition === null ? '' : row.partition),
        el('td', { class: 'num offset' }, row.offset === null ? '' : row.offset)));
    }
    showReplay();
  }

  /** A word for a POSIX shell: single-quoted unless it is plainly safe. */
  function shell(word) {
    return /^[A-Za-z0-9_.:,\/=@%+-]+$/.test(word) ? word : "'" + word.replace(/'/g, "'\\''") + "'";
  }

  /**
   * The dlq replay commands for the rows shown: one per original topic, since replay sends what it
   * selects to one --to-topic. Its filters (all must match) say in DLQ terms what the page's say:
   * the connector's DLQ reason reads "<reason>; label=L, txn_id=N, table=db.tbl; record topic-p@o".
   */
  function showReplay() {
    const box = $('replay');
    box.replaceChildren();
    const { state, rows, full } = shown;
    if (!state) {
      return;
    }
    if (rows.length === 0) {
      box.append(el('p', { class: 'empty' }, 'Nothing selected: no rejected rows match the filters above.'));
      return;
    }
    const servers = replayForm.elements.servers.value.trim();
    const dlq = replayForm.elements.dlq.value.trim();
    const notes = [];
    const common = [];
    if (state.job || state.label) {
      const loads = new Set(rows.map((r) => r.Label + '\u0000' + r.JobId));
      const first = rows[0];
      if (loads.size === 1 && first.Label) {
        common.push('reason=label=' + first.Label + ', txn_id=' + first.JobId + ',');
      } else {
        notes.push('These rows name no load in the DLQ reason, so the command does not select by load.');
      }
    }
    if (state.table) {
      const tables = new Set(rows.map((r) => (r.table.includes('.') ? r.table : r.db + '.' + r.table)));
      if (tables.size === 1) {
        common.push('reason=table=' + [...tables][0] + ';');
      } else {
        common.push('reason=.' + state.table + '; record ');
      }
    }
    if (state.reason) {
      common.push('reason=' + state.reason);
    }
    if (!state.job) {
      notes.push('dlq replay has no time filter: the dry run also lists matching records from outside the time range.');
    }
    if (full) {
      notes.push(`Only the ${state.limit} rows shown were looked at: rows beyond them may come from other topics. `
        + 'Raise Rows or narrow the filters to be sure every topic has its command.');
    }
    const noSource = rows.filter((r) => !r.topic).length;
    if (noSource > 0) {
      notes.push(`${noSource} of the rows have no Kafka record (topic, partition, offset) and cannot be replayed.`);
    }
    const topics = [...new Set(rows.filter((r) => r.topic).map((r) => r.topic))].sort();
    for (const topic of topics) {
      const words = ['warnings-reporter', 'dlq', 'replay', '--bootstrap-servers', servers ? shell(servers) : '"$BOOTSTRAP_SERVERS"',
        '--from-topic', dlq ? shell(dlq) : '"$DLQ_TOPIC"', '--to-topic', shell(topic)];
      for (const filter of ['topic=' + topic].concat(common)) {
        words.push('--filter', shell(filter));
      }
      words.push('--dry-run');
      const selected = rows.filter((r) => r.topic === topic).length;
      box.append(el('p', {}, `${count(selected)} ${selected === 1 ? 'row' : 'rows'} from topic `, el('b', {}, topic), ':'));
      box.append(el('pre', { class: 'command', 'data-topic': topic }, lines(words)));
    }
    for (const note of notes) {
      box.append(el('p', { class: 'note' }, note));
    }
  }

  /** The command over a few lines, each option with its value on one. */
  function lines(words) {
    const out = [words.slice(0, 3).join(' ')];
    for (let i = 3; i < words.length; i++) {
      out.push(words[i].startsWith('--') && words[i + 1] && !words[i + 1].startsWith('--') ? words[i] + ' ' + words[++i] : words[i]);
    }
    return out.join(' \\\n    ');
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const state = readState();
    for (const name of ['table', 'label', 'reason', 'range', 'from', 'to', 'limit']) {
      state[name] = filters.elements[name].value.trim();
    }
    if (state.label) {
      // A label typed in asks for that label, not the load picked before.
      state.job = '';
      state.jobLabel = '';
    }
    const hash = hashOf(state);
    if (location.hash.slice(1) === hash) {
      render();
    } else {
      location.hash = hash;
    }
  });
  filters.elements.range.addEventListener('change', () => {
    for (const custom of document.querySelectorAll('label.custom')) {
      custom.hidden = filters.elements.range.value !== 'custom';
    }
  });
  $('job-clear').addEventListener('click', (event) => {
    event.preventDefault();
    const state = readState();
    state.job = '';
    state.jobLabel = '';
    location.hash = hashOf(state);
  });
  for (const name of ['servers', 'dlq']) {
    const input = replayForm.elements[name];
    try {
      input.value = localStorage.getItem('warnings-page.' + name) || '';
    } catch (e) {
      // storage off: the fields just start empty
    }
    input.addEventListener('input', () => {
      try {
        localStorage.setItem('warnings-page.' + name, input.value);
      } catch (e) {
        // storage off
      }
      showReplay();
    });
  }
  replayForm.addEventListener('submit', (event) => event.preventDefault());
  window.addEventListener('hashchange', render);
  render();
})();
