import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withStdinAsync } from '../trace/input.js';
import { diffCommand } from './commands/diff.js';
import { replayCommand } from './commands/replay.js';
import { validateCommand } from './commands/validate.js';
import { main } from './main.js';
import { raiseExit, reportError } from './status.js';

/** The parsed arguments yargs would give a command handler, for the direct path. */
type Handler = (args: Record<string, unknown>) => void | Promise<void>;
const HANDLERS: Record<string, Handler> = {
  replay: replayCommand.handler as unknown as Handler,
  validate: validateCommand.handler as unknown as Handler,
  diff: diffCommand.handler as unknown as Handler,
};

/**
 * A command line as yargs would parse it for these three commands (flags of FLAG_SETS only), so
 * most inputs skip yargs and go straight to the command's handler; one in sixteen goes through
 * `main` whole, yargs included.
 */
function parseDirect(argv: string[]): Record<string, unknown> | null {
  const [cmd, ...rest] = argv;
  const args: Record<string, unknown> = { json: false, invariants: true, 'full-invariants': false, firstDivergence: false };
  const pos: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (!a.startsWith('--') || a === '-') {
      pos.push(a);
      continue;
    }
    const name = a.slice(2);
    if (name === 'json') args.json = true;
    else if (name === 'no-invariants') args.invariants = false;
    else if (name === 'full-invariants') args['full-invariants'] = true;
    else if (name === 'first-divergence') args.firstDivergence = true;
    else {
      const v = rest[++i];
      if (v === undefined) return null;
      const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
      if (name === 'at' && cmd === 'diff') args.at = [...((args.at as number[] | undefined) ?? []), Number(v)];
      else if (name === 'at' && args.at !== undefined) return null;
      else if (['semantics', 'at', 'max-line-bytes', 'max-json-bytes', 'log', 'state-out', 'semantics-a', 'semantics-b'].includes(name)) args[camel] = v;
      else if (name === 'from') args.from = Number(v);
      else return null;
    }
  }
  if (cmd === 'diff') {
    if (pos.length < 1 || pos.length > 2) return null;
    args.a = pos[0];
    if (pos[1] !== undefined) args.b = pos[1];
  } else {
    if (pos.length === 0) return null;
    args.trace = pos;
  }
  return args;
}

/**
 * The CLI fuzzing itself (issue 14): generated and mutated inputs (mutations of every bundled
 * trace, random bytes, deep nesting, huge numbers, duplicate keys, invalid UTF-8, every flag) go
 * through `replay`, `validate` and `diff` in this process, standard input and small temporary
 * files carrying them. Every run must exit 0, 1 or 2 with no internal error (exit 3), no
 * exception out of `main` and no stack trace. `npm run fuzz:input` runs 1,000,000 of them;
 * `npm test` a few thousand. Deterministic: a seeded generator, no clock in the inputs.
 */
export interface InputCampaignOptions {
  inputs: number;
  seed: number;
  /** Called every `every` inputs with the count so far. */
  onProgress?: (done: number) => void;
  every?: number;
  /** Checked between inputs: true stops the campaign early (SIGINT), its figures still reported. */
  stop?: () => boolean;
}

export interface InputCampaignResult {
  seed: number;
  inputs: number;
  /** Exit status → count. */
  exits: Record<string, number>;
  /** How many inputs exited 3, threw, or printed a stack (must be 0). */
  bad: number;
  /** The first 20 of them: each with its command line and input (cut). */
  failures: { argv: string[]; input: string; status: number | string; stderr: string }[];
  /** How many inputs each command got. */
  commands: Record<string, number>;
}

/** mulberry32: a small seeded generator (no Math.random: a campaign is reproduced by its seed). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function traceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...traceFiles(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

/** A JSON trace's text as NDJSON: the header line, then one event per line. */
function toNdjson(text: string): string {
  const t = JSON.parse(text) as { events: unknown[] } & Record<string, unknown>;
  const { events, ...header } = t;
  return [JSON.stringify(header), ...events.map((e) => JSON.stringify(e))].join('\n') + '\n';
}

const SPICE = [
  '1e999', '-1e999', '123456789012345678901234567890', '-0', '1e-999', '9007199254740993', '0.5', 'null', 'true', '""', '[]', '{}',
  '"__proto__"', '"constructor"', '"\\u0000"', '"\\ud800"', '"/a/tasks"', '"/a/\\u0000b"', '"ENOMEN"', '"cpusett"', '"linux-9"',
  '{"__proto__":{"polluted":1}}', '"' + 'x'.repeat(5000) + '"', '[' .repeat(70) + ']'.repeat(70), '{"a":'.repeat(70) + '1' + '}'.repeat(70),
];
const OPS = ['fork', 'exit', 'wait', 'kill', 'getpid', 'setpgid', 'setsid', 'mkdir', 'rmdir', 'attach', 'write', 'read', 'mount', 'inject', 'vps_create', 'forkk', '__proto__'];
const FLAG_SETS: string[][] = [
  [], ['--json'], ['--semantics', 'containers-2006'], ['--semantics', 'cgroups-2009'], ['--semantics', 'linux-9'], ['--at', '0'], ['--at', '3'],
  ['--at', '-1'], ['--at', '99999999999999999999'], ['--at', 'x'], ['--no-invariants'], ['--full-invariants'], ['--max-line-bytes', '100'],
  ['--max-line-bytes', '0'], ['--max-line-bytes', '1K'], ['--max-json-bytes', '200'], ['--max-json-bytes', '5G'], ['--max-json-bytes', 'x'],
  ['--nosuchflag'], ['--semantics'], ['--at', '1', '--at', '2'],
];

/** A byte-level mutation of `b`. */
function mutate(b: Buffer, r: () => number): Buffer {
  const pick = (n: number): number => Math.floor(r() * n);
  const at = pick(b.length + 1);
  switch (pick(12)) {
    case 0: { // flip bytes
      const c = Buffer.from(b);
      for (let k = 0, n = 1 + pick(4); k < n && c.length > 0; k++) c[pick(c.length)] = pick(256);
      return c;
    }
    case 1: // delete a range
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + pick(64)))]);
    case 2: // duplicate a range
      return Buffer.concat([b.subarray(0, at), b.subarray(at, at + pick(200)), b.subarray(at)]);
    case 3: // truncate
      return b.subarray(0, at);
    case 4: // insert a spicy value where a value was
    case 5: {
      const s = b.toString('latin1');
      const m = [...s.matchAll(/:\s*("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null|\{\}|\[\])/g)];
      const hit = m[pick(m.length)];
      if (!hit || hit.index === undefined) return b;
      const start = hit.index + hit[0].length - (hit[1] as string).length;
      return Buffer.concat([b.subarray(0, start), Buffer.from(SPICE[pick(SPICE.length)] as string), b.subarray(start + (hit[1] as string).length)]);
    }
    case 6: { // duplicate a key
      const s = b.toString('latin1');
      const m = [...s.matchAll(/"([a-z]+)":\s*(-?[0-9]+|"[^"]*")/g)];
      const hit = m[pick(m.length)];
      if (!hit || hit.index === undefined) return b;
      const end = hit.index + hit[0].length;
      return Buffer.concat([b.subarray(0, end), Buffer.from(`,${hit[0]}`), b.subarray(end)]);
    }
    case 7: // invalid UTF-8 or a NUL
      return Buffer.concat([b.subarray(0, at), Buffer.from([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0x00], [0xf8, 0x88]][pick(5)] as number[]), b.subarray(at)]);
    case 8: // deep nesting
      return Buffer.concat([b.subarray(0, at), Buffer.from('['.repeat(1 + pick(3000))), b.subarray(at)]);
    case 9: { // rename an op
      const s = b.toString('utf8');
      return Buffer.from(s.replace(/"op":\s*"[a-z_]+"/, `"op":"${OPS[pick(OPS.length)]}"`));
    }
    case 10: // random bytes inserted
      return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(32) }, () => pick(256))), b.subarray(at)]);
    default: // blank lines, CRs and a BOM
      return Buffer.concat([Buffer.from(pick(2) ? '\ufeff' : ''), b.subarray(0, at), Buffer.from(['\n\n', '\r\n', ' \t ', '\n{}\n'][pick(4)] as string), b.subarray(at)]);
  }
}

/**
 * Runs the campaign. Output of `main` is captured (process.stdout/stderr.write replaced while it
 * runs), so the caller prints only the figures.
 */
export async function runInputCampaign(opts: InputCampaignOptions): Promise<InputCampaignResult> {
  const r = rng(opts.seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const root = new URL('../../', import.meta.url).pathname;
  const corpus = traceFiles(join(root, 'traces')).map((p) => readFileSync(p));
  const ndjson = corpus.map((b) => Buffer.from(toNdjson(b.toString('utf8'))));
  const dir = mkdtempSync(join(tmpdir(), 'kreplay-input-fuzz-'));
  mkdirSync(join(dir, 'out'));
  const stateFile = join(dir, 'state.json');
  const traceFile = join(dir, 'trace.json');
  const ndFile = join(dir, 'trace.ndjson');
  writeFileSync(traceFile, corpus[0] as Buffer);
  writeFileSync(ndFile, ndjson[0] as Buffer);
  const result: InputCampaignResult = { seed: opts.seed, inputs: 0, exits: {}, bad: 0, failures: [], commands: {} };
  const out = process.stdout.write.bind(process.stdout);
  const errw = process.stderr.write.bind(process.stderr);
  // One state file to diff against, from the first trace.
  await capture(['replay', traceFile, '--state-out', stateFile]);

  async function capture(argv: string[], stdin?: Buffer, viaMain = true): Promise<{ status: number | string; stderr: string }> {
    let stderr = '';
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = ((s: string | Uint8Array) => {
      if (stderr.length < 4000) stderr += String(s);
      return true;
    }) as typeof process.stderr.write;
    try {
      const direct = viaMain ? null : parseDirect(argv);
      const run = async (): Promise<number> => {
        if (direct === null) return main(argv);
        process.exitCode = 0;
        try {
          await (HANDLERS[argv[0] as string] as Handler)(direct);
        } catch (e) {
          raiseExit(reportError(e));
        }
        return Number(process.exitCode ?? 0);
      };
      const status = stdin === undefined ? await run() : await withStdinAsync(stdin, run);
      return { status, stderr };
    } catch (e) {
      return { status: `threw ${e instanceof Error ? e.message : String(e)}`, stderr };
    } finally {
      process.stdout.write = out;
      process.stderr.write = errw;
      process.exitCode = 0;
    }
  }

  const every = opts.every ?? 10_000;
  try {
    for (let i = 0; i < opts.inputs; i++) {
      // Let signals in now and then: main() never waits on I/O, so nothing else would.
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (opts.stop?.()) break;
      const kind = pick(20);
      let input: Buffer;
      if (kind === 0) input = Buffer.from(Array.from({ length: pick(300) }, () => pick(256)));
      else if (kind === 1) input = Buffer.from('['.repeat(pick(100_000)) + (pick(2) ? ']' : ''));
      else if (kind === 2) input = Buffer.from(`{"kreplay":1,"events":[{"op":"getpid","by":1,"expect":{"ret":${'{"a":'.repeat(pick(120))}1${'}'.repeat(pick(120))}}}]}`);
      else {
        const ofs = pick(corpus.length);
        input = (pick(2) ? corpus[ofs] : ndjson[ofs]) as Buffer;
        for (let k = 0, n = pick(4); k < n; k++) input = mutate(input, r);
      }
      const flags = FLAG_SETS[pick(FLAG_SETS.length)] as string[];
      const cmd = ['replay', 'validate', 'diff'][pick(3)] as string;
      let argv: string[];
      let stdin: Buffer | undefined = input;
      if (cmd === 'diff') {
        const other = [traceFile, ndFile, stateFile, '-'][pick(4)] as string;
        const dflags = [[], ['--first-divergence'], ['--first-divergence', '--from', '2'], ['--at', '1'], ['--semantics-a', 'containers-2006', '--semantics-b', 'cgroups-2009'], ['--json']][pick(6)] as string[];
        argv = pick(2) ? ['diff', '-', other, ...dflags] : ['diff', other, '-', ...dflags];
        if (pick(4) === 0) argv = ['diff', '-', ...dflags];
      } else if (pick(8) === 0) {
        // A file with a trace's name, with outputs: --log and --state-out never touch it.
        const name = join(dir, pick(2) ? 'in.ndjson' : 'in.json');
        writeFileSync(name, input);
        stdin = undefined;
        argv = [cmd, name, ...flags];
        if (cmd === 'replay') argv.push(...[[], ['--log', join(dir, 'out', 'log.ndjson')], ['--state-out', join(dir, 'out', 's.json')], ['--log', name], ['--log', join(dir, 'nosuch', 'x')]][pick(5)] as string[]);
      } else argv = [cmd, '-', ...flags];
      result.commands[cmd] = (result.commands[cmd] ?? 0) + 1;
      const ran = await capture(argv, stdin, pick(16) === 0);
      const key = String(typeof ran.status === 'number' ? ran.status : 'threw');
      result.exits[key] = (result.exits[key] ?? 0) + 1;
      const bad = typeof ran.status !== 'number' || ran.status > 2 || /internal error|\n\s+at /.test(ran.stderr);
      if (bad) result.bad++;
      if (bad && result.failures.length < 20) {
        result.failures.push({ argv, input: input.toString('latin1').slice(0, 300), status: ran.status, stderr: ran.stderr.slice(0, 1000) });
      }
      result.inputs++;
      if (opts.onProgress && result.inputs % every === 0) opts.onProgress(result.inputs);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
