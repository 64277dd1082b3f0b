import cliProgress from 'cli-progress';
import { BadInputError } from '../errors.js';
import { DEFAULT_SEED } from '../fuzz/campaign.js';

/** What the campaigns of `kreplay fuzz` share on the command line: the seed flag and the progress display. */

/** `--seed S`: an integer, or `random` (then the clock picks it, and it is printed). */
export function parseSeed(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SEED;
  if (String(text).trim() === 'random') return Date.now() % 0x7fffffff;
  const t = String(text).trim();
  const n = /^-?[0-9]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n)) throw new BadInputError('--seed', `expected an integer or "random", got ${JSON.stringify(text)}`);
  return n | 0;
}

/** Progress: a bar on a terminal, a plain line per tenth of the campaign otherwise; nothing with --json. */
export function progress(total: number, json: boolean, what = 'fuzz'): { tick: (n: number) => void; stop: () => void } {
  if (json) return { tick: () => undefined, stop: () => undefined };
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar({ format: `${what} [{bar}] {value}/{total} runs`, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    return { tick: (n) => bar.increment(n), stop: () => bar.stop() };
  }
  let done = 0;
  let next = Math.ceil(total / 10);
  return {
    tick: (n) => {
      done += n;
      while (done >= next && next <= total) {
        process.stdout.write(`${what}: ${Math.min(done, total)}/${total} runs\n`);
        next += Math.ceil(total / 10);
      }
    },
    stop: () => undefined,
  };
}

