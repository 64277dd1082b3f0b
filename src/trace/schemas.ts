import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import type { Event, TraceHeader } from './schema-types.js';

/** The schemas (the single source of truth for what is well-formed, reference: Traces), read from `schemas/`. */
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);
const ID = 'https://kreplay.dev/schemas/';

export interface RawTrace extends TraceHeader {
  events: Event[];
}

interface Validators {
  trace: ValidateFunction<RawTrace>;
  header: ValidateFunction<TraceHeader>;
  event: ValidateFunction<Event>;
  /** Every op name, from the schema's discriminated union. */
  ops: string[];
  /** The properties each op allows, for did-you-mean hints on unknown fields. */
  fields: Map<string, string[]>;
}

let cached: Validators | null = null;

type SchemaObject = Record<string, unknown>;
const readSchema = (name: string): SchemaObject =>
  JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8')) as SchemaObject;

/** Op name → allowed fields, from `$defs/<X>Event.properties` of the event schema. */
function opFields(event: SchemaObject): Map<string, string[]> {
  const defs = event.$defs as Record<string, { properties?: Record<string, { const?: unknown }> }>;
  const out = new Map<string, string[]>();
  for (const def of Object.values(defs)) {
    const op = def.properties?.op?.const;
    if (typeof op === 'string') out.set(op, Object.keys(def.properties ?? {}));
  }
  return out;
}

/** Compiles the schemas once (they reference each other by `$id`). */
export function validators(): Validators {
  if (cached) return cached;
  const event = readSchema('event');
  // verbose: errors carry the offending data and schema, which the messages quote (only on failure).
  const ajv = new Ajv({ discriminator: true, $data: false, allErrors: false, verbose: true, strict: false });
  ajv.addSchema(event).addSchema(readSchema('header')).addSchema(readSchema('trace'));
  const get = <T>(name: string): ValidateFunction<T> => ajv.getSchema<T>(`${ID}${name}.schema.json`) as ValidateFunction<T>;
  const fields = opFields(event);
  cached = { trace: get('trace'), header: get('header'), event: get('event'), ops: [...fields.keys()], fields };
  return cached;
}

export type { ErrorObject };
