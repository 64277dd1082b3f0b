import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotInterval } from '../../src/report/data.js';
import { writeReport } from '../../src/report/report.js';
import { showState } from '../../src/show/load.js';

/**
 * The report in a real browser (issue 15): Debian's Chromium driven by playwright-core, the page
 * opened from disk (file://), no server, no network. `.ci/run` installs chromium when missing.
 */
const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kreplay-report-'));
const shots = join(root, 'test', 'report', 'screenshots');

/** traces/io/replay-basics.json with event 6's expect changed: a divergence at event 6 (fork). */
function brokenTrace(): string {
  const text = readFileSync(join(root, 'traces', 'io', 'replay-basics.json'), 'utf8').replace('"ret": 3 }', '"ret": 4 }');
  const p = join(dir, 'broken.json');
  writeFileSync(p, text);
  return p;
}

let ctx: BrowserContext;
const profile = mkdtempSync(join(tmpdir(), 'kreplay-chromium-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // No network: any request other than the file itself or its data: modules fails the test.
  await ctx.route(/^(?!file:|data:)/, (route) => route.abort());
});

afterAll(async () => {
  await ctx?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('the HTML report in Chromium', () => {
  it('opens from disk, steps to the divergence, shows the trees and the diff, and its screenshot has the expected structure', async () => {
    const out = join(dir, 'report.html');
    const summary = writeReport(brokenTrace(), out);
    expect(summary).toMatchObject({ events: 9, divergences: 1, violations: 0 });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${out}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    expect(await page.textContent('#cursor')).toBe('event 0 of 9');

    // Keyboard stepping: → five times, then the slider's own keys; n jumps to the next finding.
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.waitForSelector('body[data-cursor="5"]');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector('body[data-cursor="4"]');
    await page.keyboard.press('n');
    await page.waitForSelector('body[data-cursor="6"]');

    // The divergence, with its message, in the event and among the findings.
    const divergence = 'divergence at event 6 (fork): expected {"ret":4}, got {"ret":3}';
    expect(await page.textContent('#event-detail .divergence')).toBe(divergence);
    expect(await page.textContent('#findings .finding.divergence')).toBe(divergence);
    expect(await page.getAttribute('#events .row.current', 'class')).toContain('bad');

    // The process tree after event 6: 2 and 3 under 1. The diff: task 3 added, 1's children changed.
    expect(await page.$$eval('#processes li.proc', (els) => els.map((e) => e.getAttribute('data-pid')))).toEqual(['1', '2', '3']);
    expect(await page.$$eval('#processes li.proc[data-pid="1"] > ul > li', (els) => els.map((e) => e.getAttribute('data-pid')))).toEqual(['2', '3']);
    const changes = await page.$$eval('#diff li.change', (els) => els.map((e) => e.textContent));
    expect(changes).toContain('~tasks[1].children [2] → [2,3]');
    expect(changes.some((c) => c?.startsWith('+tasks[3] {'))).toBe(true);

    // The slider: event 2 (a fork) by its value.
    await page.$eval('#slider', (s) => {
      (s as unknown as { value: string }).value = '2';
      s.dispatchEvent(new Event('input'));
    });
    await page.waitForSelector('body[data-cursor="2"]');
    expect(await page.$$eval('#processes li.proc', (els) => els.length)).toBe(2);
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:') || u.startsWith('data:'))).toBe(true);

    // Structural screenshot check: every panel is laid out, side by side in two columns, and the
    // image has the viewport's width and is not blank where the panels are.
    await page.keyboard.press('n');
    await page.waitForSelector('body[data-cursor="6"]');
    mkdirSync(shots, { recursive: true });
    const png = await page.screenshot({ path: join(shots, 'report-divergence.png'), fullPage: true });
    const boxes = await page.$$eval('header, main > section', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.id || e.tagName.toLowerCase(), x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    const box = (id: string) => boxes.find((b) => b.id === id) as (typeof boxes)[number];
    for (const b of boxes) expect(b.w * b.h, b.id).toBeGreaterThan(0);
    expect(box('list-section').x).toBeLessThan(box('diff').x);
    expect(Math.abs(box('list-section').y - box('diff').y)).toBeLessThan(2);
    expect(box('processes').y).toBeGreaterThanOrEqual(box('list-section').y + box('list-section').h);
    expect(box('header').y).toBe(0);
    // PNG header: width and height (big-endian at 16 and 20).
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(900);
    const clip = box('list-section');
    const region = await page.screenshot({ clip: { x: clip.x, y: clip.y, width: clip.w, height: clip.h } });
    expect(region.length).toBeGreaterThan(5_000); // a blank region compresses to almost nothing
  });

  it('a report of a trace with cgroups and VPSs shows the hierarchies and the vpid map (traces/cgroup/2009-vps-view.json)', async () => {
    const out = join(dir, 'vps.html');
    writeReport(join(root, 'traces', 'cgroup', '2009-vps-view.json'), out);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`file://${out}#13`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    expect(await page.textContent('#cursor')).toBe('event 13 of 13');
    expect(await page.$$eval('#cgroups .hierarchy[data-name="cs"] li.cgroup', (els) => els.map((e) => [e.getAttribute('data-path'), e.querySelector('.tasks')?.textContent]))).toEqual([
      ['/', 'tasks 1'],
      ['/v', 'tasks 2,3'],
    ]);
    expect(await page.textContent('#vps-nodes .vps-map')).toBe('101 init 2, linear: 1→2 1027→3');
  });

  it('a long generated trace: the page starts from a shipped snapshot and shows the state Node computes at the same event', async () => {
    const { generateTrace } = (await import('../../bench/lib/generate.mjs')) as { generateTrace: (path: string, events: number, seed: number) => Promise<unknown> };
    const events = 6_000;
    expect(snapshotInterval(events)).toBeLessThan(5_000);
    const trace = join(dir, 'long.ndjson');
    await generateTrace(trace, events, 7);
    const out = join(dir, 'long.html');
    writeReport(trace, out);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`file://${out}#5000`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    const pids = await page.$$eval('#processes li.proc', (els) => els.map((e) => Number(e.getAttribute('data-pid'))).sort((a, b) => a - b));
    expect(pids).toEqual(showState(trace, { at: 5000 }).view.processes.map((p) => p.pid));
    await page.keyboard.press('End');
    await page.waitForSelector(`body[data-cursor="${events}"]`);
    const last = await page.$$eval('#cgroups li.cgroup', (els) => els.map((e) => `${e.closest('.hierarchy')?.getAttribute('data-name')}:${e.getAttribute('data-path')} ${e.querySelector('.tasks')?.textContent ?? ''}`));
    const view = showState(trace).view;
    expect(last).toEqual(view.hierarchies.flatMap((h) => h.cgroups.map((c) => `${h.name}:${c.path} ${c.tasks.length ? `tasks ${c.tasks.join(',')}` : ''}`)));
  });
});
