import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
 * exception out of the command, no stack trace and at most one line on stderr; an input file is
 * never modified, and the process stays under the memory bound. `npm run fuzz:input` runs
 * 1,000,000 of them; `npm test` a few hundred. Deterministic: input `i` of a campaign is made by
 * a generator seeded from (seed, i) alone, so a campaign split into shards, or one input
 * re-run with `only`, sees exactly the inputs of the whole campaign.
 */
export interface InputCampaignOptions {
  /** The campaign's size: inputs 0 .. inputs-1 (of which a shard runs its share). */
  inputs: number;
  seed: number;
  /** Run only the inputs `i` with `i % count === index` (one process of several). */
  shard?: { index: number; count: number };
  /** Run only these input indices (to reproduce a failure); overrides `shard`. */
  only?: number[];
  /** The bound on the process's peak resident memory, in MiB (default 512). */
  memoryMiB?: number;
  /** Scratch folder for the input and output files (default: /dev/shm when writable, else the temp folder). */
  dir?: string;
  /** Called every `every` inputs with the count so far. */
  onProgress?: (done: number) => void;
  every?: number;
  /** Checked between inputs: true stops the campaign early (SIGINT), its figures still reported. */
  stop?: () => boolean;
}

/** One input that broke a rule: enough to re-run it (`only: [index]` with the same seed). */
export interface InputFailure {
  index: number;
  /** What was wrong: `exit 3`, `threw`, `stack trace`, `internal error`, `stderr lines`, `input modified`, `memory`. */
  why: string;
  kind: string;
  argv: string[];
  input: string;
  status: number | string;
  stderr: string;
}

export interface InputCampaignResult {
  seed: number;
  shard: { index: number; count: number } | null;
  /** How many inputs ran. */
  inputs: number;
  /** Exit status → count (`threw` for an exception out of the command). */
  exits: Record<string, number>;
  /** Inputs that broke any rule (must be 0): the sum of the counts below, each input counted once. */
  bad: number;
  /** Inputs that exited 3 (an internal error). */
  exit3: number;
  /** Inputs whose command threw past its own error handling (a crash of the CLI). */
  crashes: number;
  /** Inputs with a stack trace or `internal error` on stderr (under another status than 3), or an exit status outside 0-3. */
  stacks: number;
  /** Inputs whose stderr had more than one line. */
  multiline: number;
  /** Inputs whose input file changed (it must never be written). */
  modified: number;
  /** 1 when the process's peak resident memory passed the bound. */
  memory: number;
  /** The process's peak resident memory at the end, in MiB. */
  peakRssMiB: number;
  /** The first 20 failures. */
  failures: InputFailure[];
  /** How many inputs each command got. */
  commands: Record<string, number>;
  /** How many inputs of each kind ran (random bytes, deep nesting, a bundled trace mutated, ...). */
  kinds: Record<string, number>;
  /** How many times each mutation was applied to a bundled trace. */
  mutations: Record<string, number>;
  /** How inputs reached the command: through `main` (yargs) or the handler, on stdin or in a file. */
  routes: Record<string, number>;
  /** Exit status per command: `replay 2` → count. */
  exitsByCommand: Record<string, number>;
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

/** The seed of input `i` of a campaign: (seed, i) mixed (murmur3's finaliser), so inputs are independent of how the campaign is split. */
export function inputSeed(seed: number, i: number): number {
  let h = ((seed >>> 0) ^ Math.imul((i >>> 0) + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ Math.floor(i / 0x100000000), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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

/** The mutations of {@link mutate}, by the number it draws (4 and 5: one mutation, twice as likely). */
const MUTATIONS = [
  'flip bytes', 'delete a range', 'duplicate a range', 'truncate', 'a spicy value', 'a spicy value', 'duplicate a key',
  'invalid UTF-8 or a NUL', 'deep nesting', 'rename an op', 'insert random bytes', 'blank lines, CRs, a BOM',
];

/** A byte-level mutation of `b`, and its name for the campaign's figures. */
function mutate(b: Buffer, r: () => number): { bytes: Buffer; name: string } {
  const at = Math.floor(r() * (b.length + 1));
  const which = Math.floor(r() * 12);
  return { bytes: mutateBy(b, r, at, which), name: MUTATIONS[which] as string };
}

function mutateBy(b: Buffer, r: () => number, at: number, which: number): Buffer {
  const pick = (n: number): number => Math.floor(r() * n);
  switch (which) {
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
 * What is wrong with one command's outcome, or null: it threw past its own error handling
 * (`threw`), exited 3 (`exit 3`) or with another status than 0, 1, 2, printed a stack trace or
 * `internal error` (`stack trace`), or more than one line on stderr (`stderr lines`: bad input is
 * one line).
 */
export function verdict(status: number | string, stderr: string): string | null {
  if (typeof status !== 'number') return 'threw';
  if (status === 3) return 'exit 3';
  if (!Number.isInteger(status) || status < 0 || status > 2) return `exit ${status}`;
  if (/internal error|\n\s+at /.test(stderr)) return 'stack trace';
  if (stderr.replace(/\n$/, '').includes('\n')) return 'stderr lines';
  return null;
}

/** The scratch folder's parent: /dev/shm (memory, so writing the small files costs no disk I/O) when usable. */
function scratchParent(): string {
  try {
    if (statSync('/dev/shm').isDirectory()) {
      accessSync('/dev/shm', constants.W_OK | constants.X_OK);
      return '/dev/shm';
    }
  } catch {
    // no /dev/shm: the temp folder
  }
  return tmpdir();
}

const KINDS = ['random bytes', 'deep nesting', 'deep expect'] as const;

/**
 * Runs the campaign. Output of `main` is captured (process.stdout/stderr.write replaced while it
 * runs), so the caller prints only the figures.
 */
export async function runInputCampaign(opts: InputCampaignOptions): Promise<InputCampaignResult> {
  const root = new URL('../../', import.meta.url).pathname;
  // The bundled traces are read once; every input is a fresh copy or a mutation of them.
  const corpus = traceFiles(join(root, 'traces')).map((p) => readFileSync(p));
  const ndjson = corpus.map((b) => Buffer.from(toNdjson(b.toString('utf8'))));
  const dir = mkdtempSync(join(opts.dir ?? scratchParent(), 'kreplay-input-fuzz-'));
  mkdirSync(join(dir, 'out'));
  const stateFile = join(dir, 'state.json');
  const traceFile = join(dir, 'trace.json');
  const ndFile = join(dir, 'trace.ndjson');
  writeFileSync(traceFile, corpus[0] as Buffer);
  writeFileSync(ndFile, ndjson[0] as Buffer);
  const shard = opts.only ? null : (opts.shard ?? null);
  const result: InputCampaignResult = {
    seed: opts.seed, shard, inputs: 0, exits: {}, bad: 0, exit3: 0, crashes: 0, stacks: 0, multiline: 0, modified: 0, memory: 0,
    peakRssMiB: 0, failures: [], commands: {}, kinds: {}, mutations: {}, routes: {}, exitsByCommand: {},
  };
  const memoryKiB = (opts.memoryMiB ?? 512) * 1024;
  const count = (m: Record<string, number>, k: string): void => {
    m[k] = (m[k] ?? 0) + 1;
  };
  const out = process.stdout.write.bind(process.stdout);
  const errw = process.stderr.write.bind(process.stderr);

  async function capture(argv: string[], stdin?: Buffer, viaMain = true): Promise<{ status: number | string; stderr: string; route: string }> {
    let stderr = '';
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = ((s: string | Uint8Array) => {
      if (stderr.length < 4000) stderr += String(s);
      return true;
    }) as typeof process.stderr.write;
    const direct = viaMain ? null : parseDirect(argv);
    const route = `${direct === null ? 'main' : 'handler'}, ${stdin === undefined ? 'file' : 'stdin'}`;
    try {
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
      return { status, stderr, route };
    } catch (e) {
      return { status: `threw ${e instanceof Error ? e.message : String(e)}`, stderr, route };
    } finally {
      process.stdout.write = out;
      process.stderr.write = errw;
      process.exitCode = 0;
    }
  }

  // One state file to diff against, from the first trace.
  const made = await capture(['replay', traceFile, '--state-out', stateFile]);
  if (made.status !== 0) throw new Error(`fuzz:input: cannot make the state file to diff against: ${made.stderr}`);
  /** The files every `diff` may read, as written: checked now and then, and at the end. */
  const shared: Array<[string, Buffer]> = [traceFile, ndFile, stateFile].map((p) => [p, readFileSync(p)]);
  const sharedIntact = (): string | null => shared.find(([p, b]) => !readFileSync(p).equals(b))?.[0] ?? null;

  const fail = (f: InputFailure): void => {
    result.bad++;
    if (result.failures.length < 20) result.failures.push(f);
  };

  /** Makes input `i` and its command line, from its own generator, and runs it. */
  async function runOne(i: number): Promise<void> {
    const r = rng(inputSeed(opts.seed, i));
    const pick = (n: number): number => Math.floor(r() * n);
    const k = pick(20);
    let input: Buffer;
    let kind: string;
    if (k < 3) {
      kind = KINDS[k] as string;
      if (k === 0) input = Buffer.from(Array.from({ length: pick(300) }, () => pick(256)));
      else if (k === 1) input = Buffer.from('['.repeat(pick(100_000)) + (pick(2) ? ']' : ''));
      else input = Buffer.from(`{"kreplay":1,"events":[{"op":"getpid","by":1,"expect":{"ret":${'{"a":'.repeat(pick(120))}1${'}'.repeat(pick(120))}}}]}`);
    } else {
      const ofs = pick(corpus.length);
      const asJson = pick(2) === 1;
      input = (asJson ? corpus[ofs] : ndjson[ofs]) as Buffer;
      const n = pick(4);
      kind = `bundled ${asJson ? 'JSON' : 'NDJSON'} trace, ${n === 0 ? 'as is' : 'mutated'}`;
      for (let m = 0; m < n; m++) {
        const x = mutate(input, r);
        input = x.bytes;
        count(result.mutations, x.name);
      }
    }
    const flags = FLAG_SETS[pick(FLAG_SETS.length)] as string[];
    const cmd = ['replay', 'validate', 'diff'][pick(3)] as string;
    let argv: string[];
    let stdin: Buffer | undefined = input;
    let file: string | null = null;
    if (cmd === 'diff') {
      const other = [traceFile, ndFile, stateFile, '-'][pick(4)] as string;
      const dflags = [[], ['--first-divergence'], ['--first-divergence', '--from', '2'], ['--at', '1'], ['--semantics-a', 'containers-2006', '--semantics-b', 'cgroups-2009'], ['--json']][pick(6)] as string[];
      argv = pick(2) ? ['diff', '-', other, ...dflags] : ['diff', other, '-', ...dflags];
      if (pick(4) === 0) argv = ['diff', '-', ...dflags];
    } else if (pick(8) === 0) {
      // A file with a trace's name, with outputs: --log and --state-out never touch it. A new
      // file each time (unlinked first), which is cheaper than truncating the last one.
      file = join(dir, pick(2) ? 'in.ndjson' : 'in.json');
      rmSync(file, { force: true });
      writeFileSync(file, input);
      stdin = undefined;
      argv = [cmd, file, ...flags];
      if (cmd === 'replay') argv.push(...[[], ['--log', join(dir, 'out', 'log.ndjson')], ['--state-out', join(dir, 'out', 's.json')], ['--log', file], ['--log', join(dir, 'nosuch', 'x')]][pick(5)] as string[]);
    } else argv = [cmd, '-', ...flags];
    count(result.commands, cmd);
    count(result.kinds, kind);
    const ran = await capture(argv, stdin, pick(16) === 0);
    count(result.routes, ran.route);
    const key = typeof ran.status === 'number' ? String(ran.status) : 'threw';
    count(result.exits, key);
    count(result.exitsByCommand, `${cmd} ${key}`);
    // Each input counts once, under the first rule it broke.
    let why = verdict(ran.status, ran.stderr);
    if (why === null && file !== null && !readFileSync(file).equals(input)) why = 'input modified';
    if (why === 'threw') result.crashes++;
    else if (why === 'exit 3') result.exit3++;
    else if (why === 'stderr lines') result.multiline++;
    else if (why === 'input modified') result.modified++;
    else if (why !== null) result.stacks++;
    if (why !== null) fail({ index: i, why, kind, argv, input: input.toString('latin1').slice(0, 300), status: ran.status, stderr: ran.stderr.slice(0, 1000) });
    result.inputs++;
  }

  const every = opts.every ?? 10_000;
  let sinceMemoryCheck = 0;
  const indices = opts.only ?? null;
  const total = indices ? indices.length : opts.inputs;
  try {
    for (let j = 0; j < total; j++) {
      const i = indices ? (indices[j] as number) : j;
      if (shard && i % shard.count !== shard.index) continue;
      // Let signals in now and then: main() never waits on I/O, so nothing else would.
      if (result.inputs % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (opts.stop?.()) break;
      await runOne(i);
      // The peak resident memory is a high-water mark, so reading it every 100 inputs misses no
      // crossing of the bound (getrusage costs more than a small input); the failure names the
      // inputs since the last reading.
      if (result.memory === 0 && result.inputs % 100 === 0 && process.resourceUsage().maxRSS > memoryKiB) {
        result.memory++;
        fail({ index: i, why: `memory (peak RSS over ${memoryKiB / 1024} MiB after inputs ${sinceMemoryCheck} to ${i})`, kind: '', argv: [], input: '', status: 0, stderr: '' });
      }
      if (result.inputs % 100 === 0) sinceMemoryCheck = i + 1;
      if (result.inputs % 10_000 === 0) {
        const changed = sharedIntact();
        if (changed !== null) {
          result.modified++;
          fail({ index: i, why: 'input modified', kind: 'shared diff operand', argv: [changed], input: '', status: 0, stderr: '' });
        }
      }
      if (opts.onProgress && result.inputs % every === 0) opts.onProgress(result.inputs);
    }
    if (result.memory === 0 && process.resourceUsage().maxRSS > memoryKiB) {
      result.memory++;
      fail({ index: -1, why: `memory (peak RSS over ${memoryKiB / 1024} MiB after the inputs from ${sinceMemoryCheck} on)`, kind: '', argv: [], input: '', status: 0, stderr: '' });
    }
    const changed = sharedIntact();
    if (changed !== null) {
      result.modified++;
      fail({ index: -1, why: 'input modified', kind: 'shared diff operand', argv: [changed], input: '', status: 0, stderr: '' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return result;
}
