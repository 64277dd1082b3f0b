import { readFileSync } from 'node:fs';
import type { ReportData } from './data.js';
import { pageImportMap } from './modules.js';

/** The page's own script and style (src/report/assets/), read beside the source or the build. */
const asset = (name: string): string => readFileSync(new URL(`../../src/report/assets/${name}`, import.meta.url), 'utf8');

/** JSON inside a <script> element: `<` escaped, so no text can close the element early. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/**
 * One self-contained HTML file: style, the model as an import map of `data:` modules, the data
 * gzipped in base64, and the page script. It needs no server and no network: open it from disk.
 */
export function reportHtml(d: ReportData): string {
  const m = d.meta;
  const title = `kreplay report: ${m.source}`;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = `${plural(m.events, 'event')} under ${m.semantics}: ${m.counts.ret} ret, ${m.counts.err} err, ${m.counts.blocked} blocked; ${plural(m.divergences, 'divergence')}, ${plural(m.violations, 'violation')}; final state ${m.stateHash}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${asset('page.css')}</style>
<script>/* the model measures strings in UTF-8 bytes with Node's Buffer.byteLength (cgroup file and name limits) */
globalThis.Buffer ??= { byteLength: (s) => new TextEncoder().encode(String(s)).length };</script>
<script type="importmap">${scriptJson(pageImportMap())}</script>
<script type="application/json" id="kreplay-meta">${scriptJson(m)}</script>
<script type="application/octet-stream" id="kreplay-events">${d.events.toString('base64')}</script>
<script type="application/octet-stream" id="kreplay-outcomes">${d.outcomes.toString('base64')}</script>
<script type="application/octet-stream" id="kreplay-flags">${d.flags.toString('base64')}</script>
<script type="application/octet-stream" id="kreplay-snapshots">${d.snapshots.toString('base64')}</script>
</head>
<body>
<header>
<h1>${escapeHtml(m.source)}</h1>
<div class="summary">${escapeHtml(summary)}</div>
<div id="timeline">
<div id="overview-wrap"><canvas id="overview" title="every event, coloured by outcome: green ret, orange err, amber blocked, red divergence or violation; click to go there"></canvas><div id="mark"></div></div>
<input id="slider" type="range" min="0" max="0" value="0" step="1" aria-label='event'>
<div class="controls">
<button id="first" title="the boot state (Home)">|◀ boot</button><button id="prev" title="previous event (←)">◀</button><button id="next" title="next event (→)">▶</button><button id="last" title="the last event (End)">last ▶|</button>
<button id="prev-finding" title="previous divergence or violation (p)">◀ finding</button><button id="next-finding" title="next divergence or violation (n)">finding ▶</button>
<span id="cursor"></span><span id="status">loading…</span>
<span class="keys">keys: ← → one event, PgUp PgDn 1%, Home End, n p next/previous finding</span>
</div>
</div>
</header>
<main>
<section id="list-section"><h2>events</h2><ul id="events"></ul><div id="event-detail"></div></section>
<section id="diff"></section>
<section id="processes"></section>
<section id="cgroups"></section>
<section id="vps-nodes"></section>
<section id="findings"></section>
</main>
<noscript>This report needs JavaScript (it runs the kreplay model in the page).</noscript>
<script type="module">
${asset('page.js')}</script>
</body>
</html>
`;
}
