import fc from 'fast-check';
import { BadInputError } from '../errors.js';
import { replayEvents } from '../replay/replay.js';
import { parseJson, parseTrace } from '../trace/load.js';

/**
 * The tool fuzzing its own front door (reference: Traces): random JSON values and mutated traces go
 * through parse, schema validation and replay. Each must either replay (well-formed) or be
 * rejected with a one-line BadInputError that names where — never another exception (exit 3),
 * never a stack trace, never a changed Object.prototype.
 */

const SEED_TRACE = {
  kreplay: 1,
  semantics: 'cgroups-2009',
  config: { cpus: 2, nodes: 2 },
  events: [
    { op: 'fork', by: 1, expect: { ret: 2 } },
    { op: 'mount', by: 1, hierarchy: 'h', subsystems: ['cpuset'] },
    { op: 'mkdir', by: 1, hierarchy: 'h', path: '/__proto__' },
    { op: 'write', by: 1, hierarchy: 'h', path: '/__proto__', file: 'cpuset.cpus', value: '0-1' },
    { op: 'kill', by: 2, pid: 2, sig: 19 },
    { op: 'vps_create', by: 1, vps: 7 },
    { op: 'vps_checkpoint', by: 1, vps: 7, image: 'constructor' },
  ],
};

type J = unknown;
const WEIRD: J[] = [null, true, -1, 0, 1.5, 1e300, -1e300, 2 ** 53 + 2, '', '__proto__', 'constructor', [], {}, 'x'.repeat(300), '\u0000', '\ud800'];

/** A mutation of a JSON value at a random path: drop, retype, replace by a weird value, nest deeply, add odd keys. */
function mutate(v: J, path: number[], kind: number, weird: J): J {
  if (path.length === 0 || v === null || typeof v !== 'object') {
    switch (kind % 5) {
      case 0: return weird;
      case 1: return typeof v === 'number' ? String(v) : typeof v === 'string' ? v.length : [v];
      case 2: { let x: J = v; for (let i = 0; i < 2000; i++) x = [x]; return x; }
      case 3: return JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}}');
      default: return { ...(typeof v === 'object' && v !== null ? v : {}), extra: weird };
    }
  }
  const [head, ...rest] = path;
  if (Array.isArray(v)) {
    if (v.length === 0) return mutate(v, [], kind, weird);
    const i = (head as number) % v.length;
    const copy = [...v];
    if (rest.length === 0 && kind % 7 === 6) copy.splice(i, 1);
    else copy[i] = mutate(v[i], rest, kind, weird);
    return copy;
  }
  const o = v as Record<string, J>;
  const keys = Object.keys(o);
  if (keys.length === 0) return mutate(v, [], kind, weird);
  const k = keys[(head as number) % keys.length] as string;
  const copy: Record<string, J> = JSON.parse(JSON.stringify(o));
  if (rest.length === 0 && kind % 7 === 6) delete copy[k];
  else Object.defineProperty(copy, k, { value: mutate(o[k], rest, kind, weird), enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Texts to feed: random JSON, mutated seed traces (as text, sometimes truncated), random bytes. */
export function frontDoorInputArb(): fc.Arbitrary<string> {
  const mutated = fc
    .tuple(fc.array(fc.nat(50), { minLength: 0, maxLength: 5 }), fc.nat(20), fc.constantFrom(...WEIRD), fc.nat(100))
    .map(([path, kind, weird, cut]) => {
      const text = JSON.stringify(mutate(SEED_TRACE, path, kind, weird));
      return cut < 10 ? text.slice(0, Math.floor((text.length * cut) / 10)) : text;
    });
  return fc.oneof(
    { arbitrary: mutated, weight: 6 },
    { arbitrary: fc.json({ maxDepth: 4 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
  );
}

const protoIsClean = (): boolean =>
  Object.getOwnPropertyNames(Object.prototype).every((k) => Object.prototype.hasOwnProperty.call(Object.prototype, k)) &&
  !('polluted' in Object.prototype) &&
  Object.keys(Object.prototype).length === 0;

/** One input through the front door; returns what went wrong, or null when it behaved. */
export function frontDoorProblem(text: string, source = 'input.json'): string | null {
  try {
    const t = parseTrace(parseJson(text, source), source);
    replayEvents(t.header, t.events);
  } catch (e) {
    if (!(e instanceof BadInputError)) return `not a bad-input error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    if (/\n/.test(e.message.trim())) return `a multi-line message: ${JSON.stringify(e.message)}`;
    if (!e.message.startsWith(source)) return `the message does not name the location: ${e.message}`;
  }
  return protoIsClean() ? null : 'Object.prototype was changed';
}

export function frontDoorProperty(): fc.IPropertyWithHooks<[string]> {
  return fc.property(frontDoorInputArb(), (text) => {
    const problem = frontDoorProblem(text);
    if (problem) throw new Error(problem);
  });
}
