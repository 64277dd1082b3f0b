import type { ErrorObject } from 'ajv';
import { cut } from './json-position.js';
import { didYouMean } from './suggest.js';
import { validators } from './schemas.js';

const SAFE = Number.MAX_SAFE_INTEGER;
const EXPECT_FIELDS = ['ret', 'err', 'blocked', 'released', 'calls'];
const TRACE_FIELDS = ['kreplay', 'semantics', 'config', 'note', 'events', 'check'];

/** A value for a message: JSON, cut with an ellipsis and its size when long (input depth is bounded at load). */
const show = (v: unknown): string => (v === undefined ? 'nothing' : cut(JSON.stringify(v) ?? String(v), 120));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const lastSegment = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** `expect` is a oneOf (ret | err | blocked) beside additionalProperties: say which rule it broke. */
function expectMessage(data: unknown): string {
  if (!isObject(data)) return `expect must be an object such as {"ret": 0}, got ${show(data)}`;
  for (const key of Object.keys(data)) {
    if (!EXPECT_FIELDS.includes(key)) return `unknown field "${cut(key, 60)}" in expect${didYouMean(key, EXPECT_FIELDS)}`;
  }
  const kinds = ['ret', 'err', 'blocked'].filter((k) => k in data);
  return kinds.length === 0
    ? 'expect needs exactly one of "ret", "err", "blocked"'
    : `expect needs exactly one of "ret", "err", "blocked", got ${kinds.map((k) => `"${k}"`).join(' and ')}`;
}

/** The fields an object at `path` may have, for did-you-mean hints. */
function knownFields(path: string, data: Record<string, unknown>, schema: unknown): string[] {
  if (typeof data.op === 'string') return validators().fields.get(data.op) ?? [];
  if (lastSegment(path) === 'expect') return EXPECT_FIELDS;
  if (path === '') return TRACE_FIELDS;
  return isObject(schema) && isObject(schema.properties) ? Object.keys(schema.properties) : [];
}

/** A one-line description of what went wrong and what was expected (reference: Traces). */
function describe(e: ErrorObject, path: string): string {
  const p = e.params as Record<string, unknown>;
  const data = e.data;
  switch (e.keyword) {
    case 'discriminator': {
      const ops = validators().ops;
      if (p.error === 'mapping') {
        const op = cut(String(p.tagValue), 60);
        const hint = didYouMean(op, ops);
        return `unknown op ${show(p.tagValue)}` + (hint || `; expected one of: ${ops.join(', ')}`);
      }
      return `"op" must be a string naming an operation, got ${show(p.tagValue)}`;
    }
    case 'required':
      if (lastSegment(path) === 'expect') return expectMessage(data);
      return isObject(data) && typeof data.op === 'string'
        ? `${data.op} needs field "${String(p.missingProperty)}"`
        : `missing required field "${String(p.missingProperty)}"`;
    case 'additionalProperties': {
      const key = cut(String(p.additionalProperty), 60);
      const known = isObject(data) ? knownFields(path, data, e.parentSchema) : [];
      if (lastSegment(path) === 'config') return `unknown config key "${key}"${didYouMean(key, known)}`;
      const what = isObject(data) && typeof data.op === 'string' ? ` for ${data.op}` : '';
      return `unknown field "${key}"${what}${didYouMean(key, known)}`;
    }
    case 'oneOf':
      return lastSegment(path) === 'expect' ? expectMessage(data) : `${show(data)} matches none of the allowed forms`;
    case 'type':
      return `expected ${p.type === 'integer' ? 'an integer' : `a value of type ${String(p.type)}`}, got ${show(data)}`;
    case 'maximum':
    case 'minimum':
      if (typeof data === 'number' && (p.limit === SAFE || p.limit === -SAFE)) return `${show(data)} is not a safe integer`;
      return `expected a number ${String(p.comparison)} ${String(p.limit)}, got ${show(data)}`;
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const hint = typeof data === 'string' ? didYouMean(data, allowed) : '';
      if (path === '/semantics') return `unknown semantics ${show(data)}${hint} (known: ${allowed.join(', ')})`;
      return `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(data)}${hint}`;
    }
    case 'const':
      return `expected ${show(p.allowedValue)}, got ${show(data)}`;
    case 'pattern': {
      const desc = isObject(e.parentSchema) && typeof e.parentSchema.description === 'string' ? e.parentSchema.description : `a string matching ${String(p.pattern)}`;
      return `expected ${desc}, got ${show(data)}`;
    }
    default:
      return `${e.message ?? 'invalid'}, got ${show(data)}`;
  }
}

/** The JSON path an error is about: a discriminator error is about the `op` field itself. */
function errorPath(e: ErrorObject): string {
  if (e.keyword === 'discriminator') return `${e.instancePath}/op`;
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
  return e.instancePath;
}

/**
 * The first schema error as `{path, detail}`, `path` being a JSON pointer to the offending value
 * (for an unknown field, the field itself).
 */
export function firstSchemaError(errors: ErrorObject[] | null | undefined): { path: string; detail: string } {
  const e = errors?.[0];
  if (!e) return { path: '', detail: 'does not match the schema' };
  // oneOf failures on `expect` come after their branch errors; report the object as a whole.
  const expectErr = errors.find((x) => lastSegment(x.instancePath) === 'expect' && (x.keyword === 'oneOf' || x.keyword === 'required'));
  const chosen = expectErr ?? e;
  return misspeltRequired(chosen) ?? { path: errorPath(chosen), detail: describe(chosen, chosen.instancePath) };
}

/**
 * ajv checks `required` before `additionalProperties`, so `{"cod": 0}` would read "needs field
 * code". When an unknown field is a near miss of the missing one, report the typo instead.
 */
function misspeltRequired(e: ErrorObject): { path: string; detail: string } | null {
  if (e.keyword !== 'required' || !isObject(e.data)) return null;
  const missing = String((e.params as { missingProperty: string }).missingProperty);
  const known = knownFields(e.instancePath, e.data, e.parentSchema);
  const typo = Object.keys(e.data).find((k) => !known.includes(k) && didYouMean(k, [missing]) !== '');
  if (typo === undefined) return null;
  const what = lastSegment(e.instancePath) === 'expect' ? ' in expect' : typeof e.data.op === 'string' ? ` for ${e.data.op}` : '';
  return { path: `${e.instancePath}/${typo}`, detail: `unknown field "${typo}"${what}; did you mean "${missing}"?` };
}
