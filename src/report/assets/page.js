// The kreplay report page (issue 15): time travel over one trace, in the browser, from disk.
// The model is imported through the page's import map (src/report/modules.ts); the trace's
// events, the model's outcomes and per-event flags are embedded gzipped (src/report/data.ts).
// States are computed here: from a snapshot taken every K events, at most K - 1 steps.
import { bootKernel, cloneKernel, step } from 'kreplay/replay/kernel.js';
import { canonicalState } from 'kreplay/state/canonical.js';
import { diffStates } from 'kreplay/diff/state-diff.js';
import { AREAS } from 'kreplay/diff/areas.js';
import { renderValue } from 'kreplay/diff/value.js';
import { cgroupDepth, cgroupName, stateView } from 'kreplay/show/view.js';
import { decodeState } from 'kreplay/report/snapshot.js';

const FLAG = { err: 1, blocked: 2, diverged: 4, violation: 8, expect: 16 };
const $ = (id) => document.getElementById(id);
const meta = JSON.parse($('kreplay-meta').textContent);
const N = meta.events;
/** Snapshot interval: at most ~256 snapshots held, so memory stays bounded on long traces. */
const K = Math.max(256, Math.ceil(N / 256));

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else if (k === 'title') e.title = v;
    else if (k === 'style') e.style.cssText = v;
    else if (k === 'onclick') e.addEventListener('click', v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function gunzip(id) {
  const text = $(id).textContent.trim();
  let bytes;
  if (typeof Uint8Array.fromBase64 === 'function') bytes = Uint8Array.fromBase64(text);
  else {
    const bin = atob(text);
    bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Lines of an NDJSON byte buffer, decoded and parsed on demand. */
function lines(bytes) {
  const offsets = new Uint32Array(N + 1);
  let at = 0;
  for (let i = 0; i < N; i++) {
    offsets[i] = at;
    const nl = bytes.indexOf(10, at);
    at = nl < 0 ? bytes.length : nl + 1;
  }
  offsets[N] = at;
  const dec = new TextDecoder();
  return (i) => JSON.parse(dec.decode(bytes.subarray(offsets[i], offsets[i + 1] - 1)));
}

const t0 = performance.now();
const [evBytes, ocBytes, flags, snapBytes] = await Promise.all(['kreplay-events', 'kreplay-outcomes', 'kreplay-flags', 'kreplay-snapshots'].map(gunzip));
/** States shipped with the page (src/report/data.ts): states[j] is the state after event (j + 1) * interval, decoded when needed. */
const [intervalLine, ...shippedStates] = new TextDecoder().decode(snapBytes).split('\n');
const shipped = { interval: Number(intervalLine), states: shippedStates };
const inflatedMs = Math.round(performance.now() - t0);
const eventAt = lines(evBytes);
const outcomeAt = lines(ocBytes);
const decodeMs = Math.round(performance.now() - t0);
const violationsAt = new Map();
for (const v of meta.listed) violationsAt.set(v.index, [...(violationsAt.get(v.index) ?? []), v]);

// ---- the model: the kernel after n events ----
let kernel = bootKernel(meta.header, meta.semantics);
let position = 0;
const snapshots = new Map([[0, cloneKernel(kernel)]]);

function seek(n) {
  let base = n - (n % K);
  while (!snapshots.has(base)) base -= K;
  const j = Math.min(Math.floor(n / shipped.interval), shipped.states.length);
  const far = j * shipped.interval;
  if (far > base && (position > n || position < far)) {
    kernel = { s: decodeState(shipped.states[j - 1]), v: kernel.v };
    position = far;
  } else if (position > n || position < base) {
    kernel = cloneKernel(snapshots.get(base));
    position = base;
  }
  while (position < n) {
    step(kernel, eventAt(position));
    position++;
    if (position % K === 0 && !snapshots.has(position)) snapshots.set(position, cloneKernel(kernel));
  }
  return kernel;
}

/** The canonical states before and after event n (n = 0: the boot state twice). */
function statesAround(n) {
  const before = canonicalState(seek(Math.max(0, n - 1)).s, kernel.v);
  if (n === 0) return [before, before];
  return [before, canonicalState(seek(n).s, kernel.v)];
}

// ---- outcome colours ----
function kindOf(f) {
  if (f & (FLAG.diverged | FLAG.violation)) return 'bad';
  if (f & FLAG.blocked) return 'blocked';
  if (f & FLAG.err) return 'err';
  return 'ret';
}
const COLOUR = { bad: '#d62728', blocked: '#e6a100', err: '#ff7f0e', ret: '#2ca02c' };

function drawOverview() {
  const canvas = $('overview');
  const w = (canvas.width = canvas.clientWidth * devicePixelRatio);
  const h = (canvas.height = canvas.clientHeight * devicePixelRatio);
  const g = canvas.getContext('2d');
  g.fillStyle = '#eee';
  g.fillRect(0, 0, w, h);
  if (N === 0) return;
  // Each pixel column stacks the share of ret, err and blocked among its events; a column with a
  // divergence or violation is red from top to bottom (on a long trace, one column is many events).
  for (let x = 0; x < w; x++) {
    const lo = Math.floor((x * N) / w);
    const hi = Math.min(N, Math.max(lo + 1, Math.floor(((x + 1) * N) / w)));
    const n = { ret: 0, err: 0, blocked: 0, bad: 0 };
    for (let i = lo; i < hi; i++) n[kindOf(flags[i])]++;
    if (n.bad > 0) {
      g.fillStyle = COLOUR.bad;
      g.fillRect(x, 0, 1, h);
      continue;
    }
    let y = h;
    for (const k of ['ret', 'err', 'blocked']) {
      const part = (h * n[k]) / (hi - lo);
      g.fillStyle = COLOUR[k];
      g.fillRect(x, y - part, 1, part);
      y -= part;
    }
  }
}

// ---- rendering ----
const opOf = (ev) => ev.op + (typeof ev.by === 'number' ? ` by ${ev.by}` : '');
const short = (o) => ('ret' in o ? `ret ${JSON.stringify(o.ret)}` : 'err' in o ? `err ${o.err}` : 'blocked');

function divergenceText(i, ev, outcome) {
  return `divergence at event ${i} (${ev.op}): expected ${JSON.stringify(ev.expect)}, got ${JSON.stringify(outcome)}`;
}

function renderList(n) {
  const list = $('events');
  list.replaceChildren();
  const from = Math.max(1, n - 10);
  const to = Math.min(N, from + 20);
  if (n === 0) list.append(el('li', { class: 'row current', 'data-index': '0' }, el('span', { class: 'idx' }, '0'), 'boot'));
  for (let i = from; i <= to; i++) {
    const ev = eventAt(i - 1);
    const f = flags[i - 1];
    const row = el(
      'li',
      { class: `row ${kindOf(f)}${i === n ? ' current' : ''}`, 'data-index': String(i), onclick: () => go(i) },
      el('span', { class: 'idx' }, i),
      el('span', { class: 'op' }, opOf(ev)),
      el('span', { class: 'out' }, short(outcomeAt(i - 1))),
      f & FLAG.diverged ? el('span', { class: 'tag' }, 'divergence') : null,
      f & FLAG.violation ? el('span', { class: 'tag' }, 'violation') : null,
    );
    list.append(row);
  }
}

function renderEvent(n) {
  const box = $('event-detail');
  box.replaceChildren();
  const vs = violationsAt.get(n) ?? [];
  if (n === 0) {
    box.append(el('p', {}, 'The boot state, before the first event.'));
  } else {
    const ev = eventAt(n - 1);
    const outcome = outcomeAt(n - 1);
    const f = flags[n - 1];
    const { expect: _e, ...args } = ev;
    box.append(
      el('h3', {}, `event ${n}: ${opOf(ev)}`),
      el('pre', { class: 'json' }, JSON.stringify(args)),
      el('p', { class: `outcome ${kindOf(f & ~(FLAG.diverged | FLAG.violation))}` }, `outcome: ${JSON.stringify(outcome)}`),
    );
    if (f & FLAG.diverged) box.append(el('p', { class: 'divergence' }, divergenceText(n, ev, outcome)));
    const reason = meta.reasons[String(n)];
    if (reason !== undefined) box.append(el('p', { class: 'reason' }, `because ${reason}`));
  }
  for (const v of vs) box.append(el('p', { class: 'violation' }, `violation ${n === 0 ? 'in the boot state' : `after event ${n}`}: ${v.invariant}: ${v.message} [${v.subject}]`));
  if (n > 0 && flags[n - 1] & FLAG.violation && vs.length === 0) box.append(el('p', { class: 'violation' }, 'violation (not listed: more than the report lists; run kreplay replay for all)'));
}

function renderProcesses(view) {
  const byPid = new Map(view.processes.map((p) => [p.pid, p]));
  const node = (p) => {
    const bits = [el('b', {}, p.pid)];
    if (p.vpid !== null) bits.push(el('span', { class: 'vps' }, `vps ${p.vps} vpid ${p.vpid}`));
    bits.push(el('span', { class: `state ${p.state}` }, p.exit === null ? p.state : `${p.state} (${p.exit})`));
    bits.push(el('span', { class: 'dim' }, `pgrp ${p.pgid} session ${p.sid} node ${p.node}`));
    if (p.tracer !== 0) bits.push(el('span', { class: 'trace' }, `traced by ${p.tracer}`));
    if (p.pending.length) bits.push(el('span', { class: 'dim' }, `pending ${p.pending.join(',')}`));
    const kids = p.children.filter((k) => byPid.has(k));
    return el('li', { class: 'proc', 'data-pid': String(p.pid) }, el('div', { class: 'line' }, bits), kids.length ? el('ul', {}, kids.map((k) => node(byPid.get(k)))) : null);
  };
  $('processes').replaceChildren(el('h2', {}, `processes (${view.processes.length})`), el('ul', { class: 'tree' }, view.roots.map((r) => node(byPid.get(r)))));
}

function renderCgroups(view) {
  const box = $('cgroups');
  box.replaceChildren(el('h2', {}, `cgroups (cpus online ${view.cpusOnline}, mems online ${view.memsOnline})`));
  if (view.hierarchies.length === 0) box.append(el('p', { class: 'dim' }, 'no hierarchy mounted'));
  for (const h of view.hierarchies) {
    const rows = h.cgroups.map((cg) =>
      el(
        'li',
        { class: 'cgroup', 'data-path': cg.path, style: `margin-left: ${1.4 * cgroupDepth(cg.path)}em` },
        el('span', { class: 'name' }, cgroupName(cg.path)),
        cg.settings.map(([k, v]) => el('span', { class: 'setting' }, `${k} ${v}`)),
        el('span', { class: cg.tasks.length ? 'tasks' : 'dim' }, cg.tasks.length ? `tasks ${cg.tasks.join(',')}` : 'no tasks'),
      ),
    );
    box.append(el('div', { class: 'hierarchy', 'data-name': h.name }, el('h3', {}, `${h.name} (${h.subsystems.join(', ') || 'no subsystems'})`), el('ul', {}, rows)));
  }
  if (view.unbound.length) box.append(el('p', { class: 'dim' }, `not bound to a hierarchy: ${view.unbound.join(', ')}`));
}

function renderOthers(view) {
  const box = $('vps-nodes');
  box.replaceChildren();
  if (view.vpses.length) {
    box.append(el('h2', {}, `VPSs (${view.vpses.length})`));
    box.append(el('ul', {}, view.vpses.map((v) => el('li', { class: 'vps-map' }, el('b', {}, v.id), ` init ${v.init}, ${v.mode}: `, v.map.map((m) => `${m.vpid}\u2192${m.pid}`).join(' ')))));
  }
  box.append(el('h2', {}, 'nodes'));
  box.append(el('ul', {}, view.nodes.map((x) => el('li', { class: 'node' }, `${x.node} `, el('span', { class: x.up ? 'up' : 'down' }, x.up ? 'up' : 'down'), ` ${x.tasks.length ? `tasks ${x.tasks.join(',')}` : 'no tasks'}`))));
  if (view.injections.length) box.append(el('h2', {}, 'pending fault injections'), el('ul', {}, view.injections.map((i) => el('li', {}, i))));
}

function renderDiff(n, before, after) {
  const box = $('diff');
  box.replaceChildren(el('h2', {}, n === 0 ? 'what the event changed' : `what event ${n} changed`));
  if (n === 0) return box.append(el('p', { class: 'dim' }, 'the boot state: no event yet'));
  const d = diffStates(before, after);
  if (d.equal) return box.append(el('p', { class: 'dim' }, 'nothing: the state is unchanged'));
  for (const a of AREAS) {
    const changes = d.changes.filter((c) => c.area === a.id);
    if (!changes.length) continue;
    box.append(el('h3', {}, `${a.title} (${changes.length})`));
    box.append(
      el(
        'ul',
        {},
        changes.map((c) =>
          el(
            'li',
            { class: `change ${c.kind}` },
            el('span', { class: 'sign' }, c.kind === 'added' ? '+' : c.kind === 'removed' ? '-' : '~'),
            el('code', {}, c.path),
            c.kind === 'changed' ? [' ', el('span', { class: 'before' }, renderValue(c.path, c.before)), ' \u2192 ', el('span', { class: 'after' }, renderValue(c.path, c.after))] : [' ', el('span', { class: c.kind === 'added' ? 'after' : 'before' }, renderValue(c.path, c.kind === 'added' ? c.after : c.before))],
          ),
        ),
      ),
    );
  }
}

function renderFindings() {
  const box = $('findings');
  const items = [];
  for (let i = 0; i < N && items.length < 200; i++) {
    if (flags[i] & FLAG.diverged) items.push(el('li', { class: 'finding divergence', onclick: () => go(i + 1) }, divergenceText(i + 1, eventAt(i), outcomeAt(i))));
  }
  for (const v of meta.listed.slice(0, 200)) items.push(el('li', { class: 'finding violation', onclick: () => go(v.index) }, `violation ${v.index === 0 ? 'in the boot state' : `after event ${v.index}`}: ${v.invariant}: ${v.message}`));
  box.replaceChildren(el('h2', {}, `divergences (${meta.divergences}) and violations (${meta.violations})`), items.length ? el('ul', {}, items) : el('p', { class: 'dim' }, 'none: every event matched its expect and every invariant held'));
}

let cursor = -1;
let pending = null;

function render(n) {
  const [before, after] = statesAround(n);
  const view = stateView(after);
  $('cursor').textContent = `event ${n} of ${N}`;
  $('slider').value = String(n);
  const mark = $('mark');
  mark.style.left = `${N === 0 ? 0 : (100 * n) / N}%`;
  renderList(n);
  renderEvent(n);
  renderProcesses(view);
  renderCgroups(view);
  renderOthers(view);
  renderDiff(n, before, after);
  document.body.dataset.cursor = String(n);
  history.replaceState(null, '', `#${n}`);
}

function go(n) {
  const next = Math.max(0, Math.min(N, Math.round(n)));
  if (next === cursor) return;
  cursor = next;
  if (pending === null) {
    pending = requestAnimationFrame(() => {
      pending = null;
      render(cursor);
    });
  }
}

/** The next event at or after `from` (direction +1) or before it (-1) with a divergence or violation. */
function nextFinding(from, dir) {
  for (let i = from + dir; i >= 1 && i <= N; i += dir) if (flags[i - 1] & (FLAG.diverged | FLAG.violation)) return i;
  return null;
}

$('slider').max = String(N);
$('slider').addEventListener('input', (e) => go(Number(e.target.value)));
$('overview').addEventListener('click', (e) => {
  const r = e.currentTarget.getBoundingClientRect();
  go(((e.clientX - r.left) / r.width) * N);
});
for (const [id, f] of [
  ['first', () => go(0)],
  ['prev', () => go(cursor - 1)],
  ['next', () => go(cursor + 1)],
  ['last', () => go(N)],
  ['prev-finding', () => go(nextFinding(cursor, -1) ?? cursor)],
  ['next-finding', () => go(nextFinding(cursor, 1) ?? cursor)],
]) $(id).addEventListener('click', f);
document.addEventListener('keydown', (e) => {
  // The slider steps itself with the arrow keys, Page Up/Down, Home and End.
  if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
  const big = Math.max(10, Math.round(N / 100));
  const keys = {
    ArrowRight: () => go(cursor + 1),
    ArrowLeft: () => go(cursor - 1),
    ArrowDown: () => go(cursor + 1),
    ArrowUp: () => go(cursor - 1),
    PageDown: () => go(cursor + big),
    PageUp: () => go(cursor - big),
    Home: () => go(0),
    End: () => go(N),
    n: () => go(nextFinding(cursor, 1) ?? cursor),
    p: () => go(nextFinding(cursor, -1) ?? cursor),
  };
  const f = keys[e.key];
  if (f) {
    e.preventDefault();
    f();
  }
});
addEventListener('resize', drawOverview);
addEventListener('hashchange', () => go(Number(location.hash.slice(1)) || 0));

drawOverview();
renderFindings();
const start = Number(location.hash.slice(1));
cursor = Number.isSafeInteger(start) && start >= 0 && start <= N ? start : 0;
render(cursor);
document.body.dataset.decodeMs = String(decodeMs);
document.body.dataset.inflatedMs = String(inflatedMs);
document.body.dataset.loadMs = String(Math.round(performance.now() - t0));
document.body.dataset.ready = 'true';
$('status').textContent = '';
