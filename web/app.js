// Vigil console: live cluster view (status JSON + server-sent events) and the lab, where one
// fault is played against a VRRP pair and a heartbeat pair on the daemon's own state machines.
// Plain DOM and SVG: nothing to build, nothing fetched from elsewhere.
'use strict';

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
};
const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

let status = null;

// ---- tabs --------------------------------------------------------------------------------------
for (const b of document.querySelectorAll('.tab')) {
  b.addEventListener('click', () => {
    document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t === b));
    document.querySelectorAll('.panel').forEach((p) => p.classList.toggle('hidden', p.id !== b.dataset.tab));
  });
}

// ---- live view ---------------------------------------------------------------------------------
async function refresh() {
  try {
    const r = await fetch('/api/v1/status', { cache: 'no-store' });
    status = await r.json();
    render(status);
  } catch (e) {
    $('#mode').textContent = 'offline';
  }
}

function render(s) {
  $('#mode').textContent = s.mode || '?';
  $('#node').textContent = s.node ? `node ${s.node}` : (s.router ? `router ${s.router}` : '');
  renderWarnings(s.warnings || []);
  renderNodes(s.nodes || []);
  renderGroups((s.resources && s.resources.groups) || s.groups || []);
  renderInstances(s.instances || []);
  renderResources(s.resourceGroups || []);
  renderControls(s);
  const events = $('#events');
  if (!events.dataset.loaded && Array.isArray(s.events)) {
    events.dataset.loaded = '1';
    s.events.forEach(addEvent);
  }
  $('#nodes-card').classList.toggle('hidden', !(s.nodes && s.nodes.length));
  $('#groups-card').classList.toggle('hidden', !((s.resources && s.resources.groups) || s.groups));
  $('#instances-card').classList.toggle('hidden', !(s.instances && s.instances.length));
  $('#resources-card').classList.toggle('hidden', !(s.resourceGroups && s.resourceGroups.length));
}

// The resource layer (vigil resource status): one row per resource, its group's state, monitoring
// and restart budget, and the last operation with the tail of its output on hover.
function renderResources(groups) {
  const rows = [];
  groups.forEach((g) => (g.resources || []).forEach((r) => {
    const last = r.lastOp;
    rows.push(el('tr', { 'data-resource': r.name },
      el('td', { text: g.group }),
      el('td', {}, el('span', { class: 'state ' + (g.gaveUp ? 'failed' : g.state), text: g.gaveUp ? 'given up' : g.state })),
      el('td', { text: r.name }),
      el('td', { text: r.monitored ? `every ${r.monitorIntervalMs / 1000} s` : 'off' }),
      el('td', { text: `${r.restartsInWindow}/${r.maxRestarts}` }),
      el('td', { title: last && last.output ? last.output.join('\n') : '',
        text: last ? `${last.op} ${last.ok ? 'ok' : 'failed'}: ${last.summary || ''}` : '' })));
  }));
  $('#resources').replaceChildren(rows.length ? el('table', {},
    el('tr', {}, ...['group', 'state', 'resource', 'monitoring', 'restarts', 'last operation'].map((h) => el('th', { text: h }))),
    ...rows) : el('p', { class: 'muted', text: 'none' }));
}

function renderWarnings(ws) {
  const box = $('#warnings');
  box.replaceChildren(...ws.map((w) => el('div', { class: 'warning' + (w.severity === 'critical' ? ' bad' : ''), text: w.text || String(w) })));
}

function renderNodes(nodes) {
  $('#nodes').replaceChildren(...nodes.map((n) => el('div', { class: 'node', 'data-node': n.name },
    el('span', { class: 'name', text: n.name + (n.self ? ' (this node)' : '') }),
    el('span', { class: 'state ' + n.status, text: n.status }),
    ...(n.links || []).map((l) => el('span', { class: 'link ' + l.status, title: `link ${l.name}: ${l.status}`, text: l.name })))));
}

function renderGroups(groups) {
  $('#groups').replaceChildren(groups.length ? el('table', {},
    el('tr', {}, el('th', { text: 'group' }), el('th', { text: 'preferred' }), el('th', { text: 'held by' }), el('th', { text: 'state' })),
    ...groups.map((g) => el('tr', { 'data-group': g.key || g.name },
      el('td', { text: g.key || g.name }),
      el('td', { text: g.preferred || '' }),
      el('td', { class: 'holder', text: g.holder || '—' }),
      el('td', {}, el('span', { class: 'state ' + (g.state || ''), text: g.state || '' }))))) : el('p', { class: 'muted', text: 'none' }));
}

function renderInstances(list) {
  $('#instances').replaceChildren(list.length ? el('table', {},
    el('tr', {}, ...['instance', 'VRID', 'state', 'priority', 'effective', 'master', 'last transition', 'adverts rx/tx'].map((h) => el('th', { text: h }))),
    ...list.map((i) => el('tr', { 'data-instance': i.name },
      el('td', { text: i.name }), el('td', { text: i.vrid ?? '' }),
      el('td', {}, el('span', { class: 'state ' + i.state, text: i.state })),
      el('td', { text: i.priority ?? '' }), el('td', { text: i.effectivePriority ?? '' }),
      el('td', { text: i.masterAddress || '' }), el('td', { text: i.lastTransition || '' }),
      el('td', { text: i.counters ? `${i.counters.advert_rcvd ?? 0} / ${i.counters.advert_sent ?? 0}` : '' })))) : el('p', { class: 'muted', text: 'none' }));
}

function renderControls(s) {
  const box = $('#controls');
  if (box.dataset.mode === s.mode) return;
  box.dataset.mode = s.mode;
  const buttons = [];
  if (s.mode === 'heartbeat') {
    buttons.push(button('standby', 'Standby (give all to peer)', { which: 'all' }));
    buttons.push(button('takeover', 'Takeover (take all)', { which: 'all' }));
  } else if (s.mode === 'vrrp') {
    for (const i of s.instances || []) {
      buttons.push(button('fault', `Maintenance: ${i.name} to FAULT`, { instance: i.name }));
      buttons.push(button('recover', `Recover ${i.name}`, { instance: i.name }, true));
    }
  }
  box.replaceChildren(...buttons);
}

function button(command, label, args, secondary) {
  const b = el('button', { type: 'button', class: secondary ? 'secondary' : '', 'data-command': command, text: label });
  b.addEventListener('click', () => control(command, args));
  return b;
}

async function control(command, args) {
  const token = $('#token').value.trim();
  sessionStorage.setItem('vigil-token', token);
  const r = await fetch(`/api/v1/commands/${command}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  const body = await r.json().catch(() => ({}));
  $('#control-result').textContent = r.ok ? (body.message || `${command}: done`) : `${command} refused (${r.status}): ${body.error || ''}`;
  refresh();
}

function addEvent(ev) {
  const t = ev.time ? new Date(ev.time).toLocaleTimeString() : '';
  const li = el('li', {}, el('time', { text: t }), document.createTextNode(ev.text || JSON.stringify(ev)));
  const list = $('#events');
  list.prepend(li);
  while (list.children.length > 200) list.lastChild.remove();
}

function connect() {
  const es = new EventSource('/api/v1/events');
  es.onopen = () => $('#stream').classList.add('live');
  es.onerror = () => $('#stream').classList.remove('live');
  es.onmessage = (m) => {
    try {
      addEvent(JSON.parse(m.data));
    } catch (e) { /* a malformed event is shown as nothing rather than breaking the page */ }
    // The event tells us something changed: fetch the new state once (no polling loop).
    clearTimeout(connect.pending);
    connect.pending = setTimeout(refresh, 50);
  };
}

$('#token').value = sessionStorage.getItem('vigil-token') || '';

// ---- lab ---------------------------------------------------------------------------------------
$('#lab-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const params = {};
  for (const input of e.target.querySelectorAll('input, select')) {
    if (input.name === 'scenario' || !input.name) continue;
    params[input.name] = input.type === 'checkbox' ? input.checked : Number(form.get(input.name));
  }
  $('#lab-status').textContent = 'running…';
  const started = performance.now();
  const r = await fetch('/api/v1/lab/run', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: form.get('scenario'), params }),
  });
  const body = await r.json();
  if (!r.ok) {
    $('#lab-status').textContent = `refused: ${body.error}`;
    return;
  }
  $('#lab-status').textContent = `simulated ${fmt(body.durationNanos)} in ${Math.round(performance.now() - started)} ms`;
  renderLab(body);
});

function fmt(nanos) {
  if (nanos === null || nanos === undefined) return '—';
  const ms = nanos / 1e6;
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function renderLab(result) {
  const lanes = el('div', { class: 'lanes' });
  for (const lane of result.lanes) lanes.append(renderLane(lane, result.durationNanos, result.faultAtNanos));
  $('#lab-result').replaceChildren(lanes);
}

function renderLane(lane, duration, faultAt) {
  const card = el('div', { class: 'card lane', 'data-protocol': lane.protocol });
  card.append(el('h3', { text: lane.title }));
  const W = 1000, rowH = 26, top = 10, left = 70, right = 30;
  const H = top + lane.nodes.length * (rowH + 8) + 30;
  const x = (t) => left + (W - left - right) * (t / duration);
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': `${lane.title}: who holds the address over time` });
  lane.nodes.forEach((node, i) => {
    const y = top + i * (rowH + 8);
    s.append(svg('rect', { x: left, y, width: W - left - right, height: rowH, fill: '#f1f3f6' }));
    const label = svg('text', { x: 4, y: y + rowH / 2 + 4 });
    label.textContent = node;
    s.append(label);
    for (const h of lane.holders.filter((h) => h.node === node)) {
      const r = svg('rect', { x: x(h.from), y, width: Math.max(1, x(h.to) - x(h.from)), height: rowH, class: i === 0 ? 'hold' : 'holdB' });
      r.append(svg('title'));
      r.firstChild.textContent = `${node} holds the address ${fmt(h.from)} – ${fmt(h.to)}`;
      s.append(r);
    }
  });
  const bottom = top + lane.nodes.length * (rowH + 8);
  for (const w of lane.outageWindows || []) s.append(svg('rect', { x: x(w.from), y: top, width: Math.max(1, x(w.to) - x(w.from)), height: bottom - top, class: 'outage' }));
  for (const w of lane.doubleHolderWindows || []) s.append(svg('rect', { x: x(w.from), y: top, width: Math.max(2, x(w.to) - x(w.from)), height: bottom - top, class: 'double' }));
  if (faultAt !== undefined) s.append(svg('line', { x1: x(faultAt), x2: x(faultAt), y1: top - 6, y2: bottom, class: 'fault' }));
  if (lane.detectionAtNanos !== null && lane.detectionAtNanos !== undefined) {
    s.append(svg('line', { x1: x(lane.detectionAtNanos), x2: x(lane.detectionAtNanos), y1: top - 6, y2: bottom, class: 'detect' }));
  }
  s.append(svg('line', { x1: left, x2: W - right, y1: bottom + 4, y2: bottom + 4, class: 'axis' }));
  for (let i = 0; i <= 10; i++) {
    const t = (duration * i) / 10;
    const tick = svg('text', { x: x(t), y: bottom + 20, 'text-anchor': 'middle' });
    tick.textContent = fmt(t);
    s.append(tick);
  }
  card.append(s);
  const stat = (v, label, cls) => el('div', { class: 'stat ' + (cls || '') }, el('b', { text: v }), el('span', { text: label }));
  card.append(el('div', { class: 'stats' },
    stat(lane.detectionAtNanos == null ? 'none' : fmt(lane.detectionAtNanos - faultAt), 'fault to takeover', 'detection'),
    stat(fmt(lane.outageNanos), 'without any holder', 'outage'),
    stat(fmt(lane.doubleHolderNanos), 'with two holders', 'double'),
    stat(String(lane.messagesSent), 'messages sent', 'messages'),
    stat(lane.finalHolder || 'nobody', 'holder at the end', 'final-holder')));
  if (lane.explanation) card.append(el('div', { class: 'explain', text: lane.explanation }));
  return card;
}

refresh();
connect();
