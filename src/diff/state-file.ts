import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { BadInputError } from '../errors.js';
import type { Json } from '../state/json.js';
import { firstSchemaError } from '../trace/schema-errors.js';

export type CanonicalStateJson = { [key: string]: Json };

let validator: ValidateFunction<CanonicalStateJson> | null = null;

/** The validator of schemas/state.schema.json (reference: Determinism and the state), compiled once. */
export function stateValidator(): ValidateFunction<CanonicalStateJson> {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(new URL('../../schemas/state.schema.json', import.meta.url), 'utf8')) as object;
  validator = new Ajv({ allErrors: false, verbose: true, strict: false }).compile<CanonicalStateJson>(schema);
  return validator;
}

/** Checks a parsed state file (`replay --state-out`) against the schema; bad input if it fails (reference: Traces). */
export function parseStateFile(value: unknown, source: string): CanonicalStateJson {
  const validate = stateValidator();
  if (validate(value)) return value;
  const { path, detail } = firstSchemaError(validate.errors);
  throw new BadInputError(`${source} (${path || '/'})`, `not a canonical state: ${detail}`);
}
