// The audit page's script: reads the JSON API with the session cookie and builds every piece of
// data into the page as DOM text nodes, never as HTML, because labels and annotations are written
// by whoever can fire an alert. Only http(s) URLs become links; anything else is shown as text.
'use strict';

(function () {
  const REFRESH_MS = 10000;
  const FOLLOW_MS = 1000;
  const body = document.body;
  if (!body || !body.dataset.role) {
    return; // the sign-in form needs no script
  }
  const operator = body.dataset.role === 'operator';
  const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  const $ = (id) => document.getElementById(id);
  let nextCursor = null;

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    for (const child of children) {
      if (child === null || child === undefined) {
        continue;
      }
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function button(label, className, onClick) {
    const node = el('button', className, label);
    node.type = 'button';
    node.addEventListener('click', onClick);
    return node;
  }

  /** A link only for http and https URLs; any other scheme (javascript:, data:...) stays text. */
  function link(url, text) {
    if (typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url)) {
      const a = el('a', null, text || url);
      a.href = url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      return a;
    }
    return el('span', 'inert-url', url === null || url === undefined ? '' : String(url));
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function time(at) {
    if (!at) {
      return '';
    }
    const date = new Date(at);
    return isNaN(date) ? String(at) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function duration(ms) {
    if (!(ms >= 0)) {
      return '';
    }
    if (ms < 1000) {
      return ms + ' ms';
    }
    const s = ms / 1000;
    if (s < 60) {
      return s.toFixed(1) + ' s';
    }
    const m = Math.floor(s / 60);
    if (m < 60) {
      return m + ' m ' + Math.round(s - m * 60) + ' s';
    }
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' m';
  }

  function short(value, max) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text === undefined || text === null) {
      return '';
    }
    return text.length > max ? text.slice(0, max) + '…' : text;
  }

  async function api(method, path, payload) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = csrf;
    }
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: payload === undefined ? undefined : JSON.stringify(payload)
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (e) {
      answer = null;
    }
    if (response.status === 401) {
      window.location.assign('/'); // the session ended: back to the sign-in form
    }
    if (!response.ok && !(path === '/-/ready' && answer)) {
      const reason = answer && answer.reason ? answer.reason : 'HTTP ' + response.status;
      throw new Error((answer && answer.field ? answer.field + ': ' : '') + reason);
    }
    return answer;
  }

  function labelList(map, className) {
    const list = el('dl', className);
    Object.keys(map || {}).sort().forEach((key) => {
      const value = map[key];
      list.appendChild(el('dt', null, key));
      const urlish = /url$/i.test(key) || /^[a-z][a-z0-9+.-]*:\S/i.test(String(value));
      list.appendChild(el('dd', null, urlish ? link(value) : value));
    });
    return list;
  }

  // The pause banner and the kill switch.
  async function loadPause() {
    const banner = $('pause-banner');
    try {
      const ready = await api('GET', '/-/ready');
      clear(banner);
      const pause = ready && ready.pause;
      if (pause && pause.paused) {
        banner.className = 'banner paused';
        banner.appendChild(el('strong', null, 'Paused: remediator acts on nothing. '));
        banner.appendChild(el('span', 'pause-reason', pause.reason));
        banner.appendChild(el('span', null, ' (by ' + (pause.by || '?') + ' since ' + time(pause.since)
          + (pause.until ? ', until ' + time(pause.until) : ', until resumed') + ')'));
        banner.hidden = false;
      } else if (ready && ready.status !== 'ready') {
        banner.className = 'banner not-ready';
        banner.appendChild(el('strong', null, 'Not ready: '));
        banner.appendChild(el('span', null, (ready.reasons || []).join('; ')));
        banner.hidden = false;
      } else {
        banner.hidden = true;
      }
    } catch (e) {
      banner.className = 'banner not-ready';
      clear(banner).appendChild(el('span', null, 'Cannot read readiness: ' + e.message));
      banner.hidden = false;
    }
  }

  function wirePause() {
    const form = $('pause-form');
    if (!form) {
      return;
    }
    const problem = $('pause-problem');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const payload = { reason: $('pause-reason').value };
      if ($('pause-for').value.trim()) {
        payload.for = $('pause-for').value.trim();
      }
      try {
        await api('POST', '/api/v1/pause', payload);
        problem.textContent = '';
        form.reset();
      } catch (e) {
        problem.textContent = 'Pause failed: ' + e.message;
      }
      refresh();
    });
    $('resume-button').addEventListener('click', async () => {
      try {
        await api('DELETE', '/api/v1/pause');
        problem.textContent = '';
      } catch (e) {
        problem.textContent = 'Resume failed: ' + e.message;
      }
      refresh();
    });
  }

  // Breakers.
  async function loadBreakers() {
    const target = $('breakers-list');
    try {
      const answer = await api('GET', '/api/v1/breakers');
      clear(target);
      const breakers = answer.breakers || [];
      if (breakers.length === 0) {
        target.appendChild(el('p', 'empty', 'No breaker has seen a call yet.'));
        return;
      }
      const table = el('table', 'breakers');
      table.appendChild(el('thead', null, el('tr', null, el('th', null, 'action'), el('th', null, 'target'),
        el('th', null, 'rule / group'), el('th', null, 'state'), el('th', null, 'failures / calls'),
        el('th', null, 'open until'), el('th', null, ''))));
      const rows = el('tbody');
      breakers.forEach((b) => {
        const row = el('tr', 'breaker state-' + b.state, el('td', null, b.action), el('td', null, b.target),
          el('td', null, b.rule ? b.rule + ' / ' + b.group : ''), el('td', 'state', b.state),
          el('td', null, b.failures + ' / ' + b.calls), el('td', null, time(b.open_until)));
        const cell = el('td');
        if (operator && b.state !== 'closed') {
          cell.appendChild(button('Reset', 'reset', async () => {
            try {
              await api('POST', '/api/v1/breakers/' + encodeURIComponent(b.action) + '/'
                + encodeURIComponent(b.target) + '/reset', { reason: 'reset from the audit page' });
            } catch (e) {
              cell.appendChild(el('span', 'problem', 'Reset failed: ' + e.message));
              return;
            }
            refresh();
          }));
        }
        row.appendChild(cell);
        rows.appendChild(row);
      });
      table.appendChild(rows);
      target.appendChild(el('div', 'scroll', table));
    } catch (e) {
      clear(target).appendChild(el('p', 'problem', 'Cannot read breakers: ' + e.message));
    }
  }

  // Pending approvals.
  async function loadApprovals() {
    const target = $('approvals-list');
    try {
      const answer = await api('GET', '/api/v1/remediations?state=pending');
      clear(target);
      const pending = answer.remediations || [];
      if (pending.length === 0) {
        target.appendChild(el('p', 'empty', 'Nothing awaits approval.'));
        return;
      }
      pending.forEach((r) => {
        const alert = r.alert || {};
        const card = el('article', 'approval');
        card.dataset.id = String(r.id);
        card.appendChild(el('h3', null, '#' + r.id + ' ' + r.rule + ': ' + r.action + ' on ' + r.target));
        card.appendChild(el('p', null, 'Alert ', el('strong', 'alertname', alert.alertname || ''),
          ' started ' + time(alert.startsAt) + '; decided ' + time(r.decidedAt)
          + (r.expiresAt ? '; expires ' + time(r.expiresAt) : '')));
        if (alert.generatorURL) {
          card.appendChild(el('p', null, 'Source: ', link(alert.generatorURL)));
        }
        card.appendChild(el('h4', null, 'Labels'));
        card.appendChild(labelList(alert.labels, 'labels'));
        card.appendChild(el('h4', null, 'Annotations'));
        card.appendChild(labelList(alert.annotations, 'annotations'));
        card.appendChild(el('h4', null, 'Parameters'));
        card.appendChild(labelList(r.params, 'params'));
        const actions = el('div', 'actions');
        actions.appendChild(button('Timeline', 'open-timeline', () => openTimeline(r.id)));
        if (operator) {
          const problem = el('span', 'problem');
          const decide = (verb) => async () => {
            try {
              await api('POST', '/api/v1/remediations/' + encodeURIComponent(r.id) + '/' + verb);
            } catch (e) {
              problem.textContent = verb + ' failed: ' + e.message;
              return;
            }
            refresh();
            openTimeline(r.id);
          };
          actions.appendChild(button('Approve', 'approve', decide('approve')));
          actions.appendChild(button('Reject', 'reject', decide('reject')));
          actions.appendChild(problem);
        }
        card.appendChild(actions);
        target.appendChild(card);
      });
    } catch (e) {
      clear(target).appendChild(el('p', 'problem', 'Cannot read pending approvals: ' + e.message));
    }
  }

  // Counts of the last 24 hours.
  async function loadCounts() {
    const target = $('counts-list');
    try {
      const answer = await api('GET', '/api/v1/audit/counts?since=24h');
      clear(target);
      const counts = answer.outcomes || {};
      const names = Object.keys(counts).sort();
      if (names.length === 0) {
        target.appendChild(el('li', 'empty', 'No outcomes in the last 24 hours.'));
      }
      names.forEach((name) => {
        const item = el('li', 'count', el('span', 'outcome', name), el('span', 'number', String(counts[name])));
        item.dataset.outcome = name;
        target.appendChild(item);
      });
    } catch (e) {
      clear(target).appendChild(el('li', 'problem', 'Cannot read counts: ' + e.message));
    }
  }

  // The audit events with the filters of GET /api/v1/audit.
  function filterQuery() {
    const params = new URLSearchParams();
    document.querySelectorAll('#filters input[name]').forEach((input) => {
      if (input.value.trim()) {
        params.set(input.name, input.value.trim());
      }
    });
    return params;
  }

  const EVENT_COLUMNS = ['at', 'kind', 'alert', 'rule', 'action', 'target', 'outcome', 'actor', 'detail'];

  function eventRow(e) {
    const alertCell = el('td', 'alert', e.alertname || '');
    const detailCell = el('td', 'detail', el('code', null, short(e.detail, 240)));
    if (e.remediationId) {
      detailCell.appendChild(button('Timeline #' + e.remediationId, 'open-timeline',
        () => openTimeline(e.remediationId)));
    }
    const row = el('tr', 'event kind-' + String(e.kind).replace(/[^a-z_]/g, ''), el('td', 'at', time(e.at)),
      el('td', 'kind', e.kind), alertCell, el('td', null, e.rule || ''), el('td', null, e.action || ''),
      el('td', null, e.target || ''), el('td', 'outcome', e.outcome || ''), el('td', null, e.actor || ''),
      detailCell);
    row.dataset.id = String(e.id);
    // The column names, for the phone layout that shows each row as a card.
    EVENT_COLUMNS.forEach((name, index) => {
      row.children[index].dataset.label = name;
    });
    return row;
  }

  async function loadEvents(append) {
    const status = $('events-status');
    const rows = $('events-body');
    const params = filterQuery();
    params.set('limit', '100');
    if (append && nextCursor) {
      params.set('cursor', nextCursor);
    }
    try {
      const answer = await api('GET', '/api/v1/audit?' + params.toString());
      if (!append) {
        clear(rows);
      }
      const events = answer.events || [];
      events.forEach((e) => rows.appendChild(eventRow(e)));
      nextCursor = answer.next || null;
      $('events-more').hidden = !nextCursor;
      status.textContent = rows.children.length + ' events shown; updated ' + time(new Date().toISOString());
    } catch (e) {
      status.textContent = 'Cannot read audit events: ' + e.message;
    }
  }

  function wireFilters() {
    $('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      const query = filterQuery().toString();
      history.replaceState(null, '', query ? '/?' + query : '/');
      loadEvents(false);
    });
    $('events-more').addEventListener('click', () => loadEvents(true));
  }

  // What happened to the alert before the remediation existed: the notification that brought it
  // in and the rule matching it. These events carry the fingerprint, not the remediation's id.
  async function alertSteps(r) {
    const fingerprint = r.alert && r.alert.fingerprint;
    const first = r.timeline && r.timeline.length ? new Date(r.timeline[0].at).getTime() : Infinity;
    if (!fingerprint) {
      return [];
    }
    let answer;
    try {
      answer = await api('GET', '/api/v1/audit?limit=50&fingerprint=' + encodeURIComponent(fingerprint));
    } catch (e) {
      return [];
    }
    const before = (answer.events || []).filter((e) => !e.remediationId && new Date(e.at).getTime() <= first)
      .sort((a, b) => a.id - b.id);
    let start = -1;
    before.forEach((e, index) => {
      if (e.kind === 'received') {
        start = index;
      }
    });
    return before.slice(Math.max(start, 0)).filter((e) => e.kind !== 'matched' || !e.rule || e.rule === r.rule);
  }

  // One remediation's timeline, oldest first, with the time between steps. The answer replaces
  // what is shown only once it has arrived, so overlapping refreshes cannot interleave.
  async function openTimeline(id, quietly) {
    const section = $('timeline');
    $('timeline-id').textContent = '#' + id;
    section.hidden = false;
    section.dataset.id = String(id);
    const summary = document.createDocumentFragment();
    const list = document.createDocumentFragment();
    let r = null;
    let steps = [];
    try {
      r = await api('GET', '/api/v1/remediations/' + encodeURIComponent(id));
      steps = (await alertSteps(r)).concat(r.timeline || []);
    } catch (e) {
      summary.appendChild(el('p', 'problem', 'Cannot read remediation ' + id + ': ' + e.message));
    }
    if (section.dataset.id !== String(id)) {
      return; // another timeline was opened meanwhile
    }
    if (r) {
      const alert = r.alert || {};
      summary.appendChild(el('p', null, el('strong', 'alertname', alert.alertname || ''), ' → ' + r.rule + ': '
        + r.action + ' on ' + r.target + '; state ', el('strong', 'state', r.state),
        r.verification ? '; verification ' + r.verification : '', r.error ? '; error: ' + r.error : ''));
      if (alert.generatorURL) {
        summary.appendChild(el('p', null, 'Source: ', link(alert.generatorURL)));
      }
      if (r.result) {
        summary.appendChild(el('p', null, 'Found and changed: ', el('code', null, short(r.result, 600))));
      }
      let previous = null;
      steps.forEach((step) => {
        const at = new Date(step.at).getTime();
        const gap = previous === null ? '' : '+' + duration(at - previous);
        previous = at;
        list.appendChild(el('li', 'step kind-' + String(step.kind).replace(/[^a-z_]/g, ''),
          el('span', 'at', time(step.at)), el('span', 'gap', gap), el('span', 'kind', step.kind),
          el('span', 'outcome', step.outcome || ''), el('span', 'actor', step.actor || ''),
          el('code', 'detail', short(step.detail, 400))));
      });
    }
    clear($('timeline-summary')).appendChild(summary);
    clear($('timeline-list')).appendChild(list);
    if (!quietly) {
      section.scrollIntoView();
    }
    if (r && (r.state === 'pending' || r.state === 'running')) {
      // Queued or acting: follow it closely until it ends; then the 10 s refresh takes over.
      setTimeout(() => {
        if (!section.hidden && section.dataset.id === String(id)) {
          openTimeline(id, true);
        }
      }, FOLLOW_MS);
    }
  }

  function refresh() {
    loadPause();
    loadCounts();
    loadApprovals();
    loadBreakers();
    loadEvents(false);
    const open = $('timeline');
    if (!open.hidden && open.dataset.id) {
      openTimeline(open.dataset.id, true);
    }
  }

  wirePause();
  wireFilters();
  $('timeline-close').addEventListener('click', () => {
    $('timeline').hidden = true;
    delete $('timeline').dataset.id;
  });
  refresh();
  setInterval(() => {
    if ($('auto-refresh').checked && !document.hidden) {
      refresh();
    }
  }, REFRESH_MS);
})();
