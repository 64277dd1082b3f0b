import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, kreplay } from '../cli/helpers.js';

describe('kreplay report (CLI)', () => {
  it('writes one self-contained HTML file and nothing else; --json says what it wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-report-cli-'));
    const out = join(dir, 'r.html');
    const r = kreplay('report', 'traces/vpid/vps-lifecycle.json', '-o', out, '--json');
    expect(r.status).toBe(0);
    const s = jsonLines(r.stdout)[0] as { out: string; bytes: number; events: number; divergences: number; violations: number };
    expect(s).toMatchObject({ out, divergences: 0, violations: 0 });
    expect(readdirSync(dir)).toEqual(['r.html']);
    const html = readFileSync(out, 'utf8');
    expect(Buffer.byteLength(html)).toBe(s.bytes);
    // Self-contained: no external script, style or link; the model comes as data: modules.
    expect(html).not.toMatch(/<(?:script|link|img)[^>]+(?:src|href)=/i);
    expect(html).toMatch(/"kreplay\/replay\/kernel\.js":"data:text\/javascript;base64,/);
  });

  it('bad input is one line and exit 2: no -o, an unreadable trace, an unwritable target', () => {
    for (const [args, msg] of [
      [['traces/io/replay-basics.json'], /--out: name the HTML file/],
      [['/nonexistent/t.json', '-o', join(tmpdir(), 'x.html')], /cannot read file/],
      [['traces/io/replay-basics.json', '-o', '/nonexistent-dir/x.html'], /folder \/nonexistent-dir does not exist/],
    ] as const) {
      const r = kreplay('report', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
