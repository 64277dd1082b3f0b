import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { BadInputError } from '../errors.js';
import type { Json } from '../state/json.js';
import { cut } from '../trace/json-position.js';
import { firstSchemaError } from '../trace/schema-errors.js';
import { KEY_FIELDS } from './state-diff.js';

export type CanonicalStateJson = { [key: string]: Json };

let validator: ValidateFunction<CanonicalStateJson> | null = null;

/** The validator of schemas/state.schema.json (reference: Determinism and the state), compiled once. */
export function stateValidator(): ValidateFunction<CanonicalStateJson> {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(new URL('../../schemas/state.schema.json', import.meta.url), 'utf8')) as object;
  validator = new Ajv({ allErrors: false, verbose: true, strict: false }).compile<CanonicalStateJson>(schema);
  return validator;
}

const isObject = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const segment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The state's own invariants, which a schema cannot say: within each collection (tasks,
 * hierarchies, cgroups, css_sets, ...) every entity's key is unique, as in any state kreplay
 * writes; two tasks with one pid would make `diff` pair the wrong entities. Returns the JSON
 * path and description of the first breach, or null. Iterative: any depth is safe.
 */
export function stateFileBreach(state: CanonicalStateJson): { path: string; detail: string } | null {
  const stack: Array<[Json, string]> = [[state, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [Json, string];
    if (Array.isArray(v)) {
      const field = path.slice(path.lastIndexOf('/') + 1);
      const keyField = Object.prototype.hasOwnProperty.call(KEY_FIELDS, field) ? KEY_FIELDS[field]?.find((f) => v.length > 0 && v.every((e) => isObject(e) && f in e)) : undefined;
      if (keyField !== undefined) {
        const seen = new Map<string, number>();
        for (let i = 0; i < v.length; i++) {
          const k = JSON.stringify((v[i] as { [key: string]: Json })[keyField]);
          const first = seen.get(k);
          if (first !== undefined) {
            return { path: `${path}/${i}/${keyField}`, detail: `${keyField} ${cut(k, 80)} appears twice in ${field} (also at ${path}/${first})` };
          }
          seen.set(k, i);
        }
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i] as Json, `${path}/${i}`]);
    } else if (isObject(v)) {
      for (const k of Object.keys(v).reverse()) stack.push([v[k] as Json, `${path}/${segment(k)}`]);
    }
  }
  return null;
}

/**
 * Checks a parsed state file (`replay --state-out`) against the schema and its own invariants
 * ({@link stateFileBreach}); bad input if it fails (reference: Traces).
 */
export function parseStateFile(value: unknown, source: string): CanonicalStateJson {
  const validate = stateValidator();
  if (!validate(value)) {
    const { path, detail } = firstSchemaError(validate.errors);
    throw new BadInputError(`${source} (${path || '/'})`, `not a canonical state: ${detail}`);
  }
  const breach = stateFileBreach(value);
  if (breach) throw new BadInputError(`${source} (${breach.path})`, `not a canonical state: ${breach.detail}`);
  return value;
}
