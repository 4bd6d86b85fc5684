// Bad input, generated from the OpenAPI document: for every documented operation, thousands of
// requests that each break at least one rule of that operation's published schema (wrong types,
// missing or unknown fields, out-of-range numbers and enums, overlong strings, malformed JSON, an
// unsupported content type, bad path ids and query values, deep or oversized bodies, NUL bytes),
// sent over a real socket with a valid API key so they get past authentication and reach
// validation. Every answer must be a 4xx problem+json (never a 5xx, never a success), and the
// database must be exactly as it was: every table's rows are fingerprinted before and after.
//
// The generators and the judge of "certainly invalid" are both driven by the schemas in
// /openapi.json, so a new route or field is fuzzed the day it is documented. The judge mirrors how
// the server reads a request (query values are strings coerced to numbers, strings may be trimmed
// before their length is checked) and errs on the side of "valid": a request is only expected to
// be refused when it breaks a rule the server cannot read around. A request that nevertheless
// succeeds is listed, with how to reproduce it (the seed), because either the route accepts what
// its own document forbids or the generator is wrong.
//
// FUZZ_SEED and FUZZ_REQUESTS override the seed and the number of malformed requests; the seed is
// printed. FUZZ_ONLY (a regular expression over "METHOD /path") replays some operations alone,
// with the same requests; FUZZ_DUMP=<file> writes every request, its answer and its breaks.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createApiKey } from '../../src/auth/index.ts';
import { seedDemoData } from '../../src/demo/index.ts';
import { createEndpoint } from '../../src/events/webhooks/endpoint-store.ts';
import { TEST_API_KEY, startTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, tableFingerprint, testDbKind, type TestDatabase } from '../helpers/database.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
/** Malformed requests in all (split evenly over the operations that take input). */
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 5_100);
/** Requests in flight at once: enough to keep the server busy, few enough for a 2-core machine. */
const CONCURRENCY = 6;
/** The server's body limit (app.ts bodyLimit): anything larger must be a 413. */
const BODY_LIMIT = 256 * 1024;

// ---------------------------------------------------------------------------------------------
// The OpenAPI document, as far as the fuzzer needs it

/** A JSON Schema (the subset the document uses: draft 2020-12 as emitted from zod). */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  description?: string;
  /** set by the fuzzer: a string documented as a time (see markTimes) */
  'x-fuzz-time'?: boolean;
}

interface ParamSpec {
  in: 'path' | 'query' | 'header';
  name: string;
  required: boolean;
  schema: Schema;
  /** documented as opaque (a cursor): only a value the server issued is valid */
  opaque: boolean;
}

interface Operation {
  method: string;
  path: string;
  params: ParamSpec[];
  body?: { schema: Schema; examples: unknown[] };
  /** every method documented for this path (an undocumented one is a break) */
  pathMethods: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, {
    parameters?: { in: string; name: string; required?: boolean; schema?: Schema & { description?: string }; description?: string }[];
    requestBody?: { content?: Record<string, { schema?: Schema; examples?: Record<string, { value?: unknown }> }> };
  }>>;
  components?: { schemas?: Record<string, Schema> };
}

const httpMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;
let doc: OpenApiDoc;

function deref(s: Schema): Schema {
  let cur = s;
  for (let i = 0; cur.$ref && i < 20; i++) {
    const name = cur.$ref.replace(/^#\/components\/schemas\//, '');
    cur = doc.components?.schemas?.[name] ?? {};
  }
  return cur;
}

/**
 * Marks the strings documented as times: named *since / *until, described as ISO 8601, or with an
 * ISO 8601 example. JSON Schema says only "string" for them, yet a value that is no real time
 * (2026-02-30, hour 25, trailing junk) is bad input the route must refuse (see isRealTime).
 */
function markTimes(schema: Schema, name: string, description = ''): Schema {
  const s: Schema = { ...schema };
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('string') && !s.enum && !s.pattern && (
    /(^|_)(since|until)$/.test(name) || /ISO 8601|date-time/i.test(`${description} ${s.description ?? ''}`)
    || s.format === 'date-time' || (typeof s.example === 'string' && /^\d{4}-\d\d-\d\dT/.test(s.example))
  )) s['x-fuzz-time'] = true;
  if (s.anyOf) s.anyOf = s.anyOf.map((b) => markTimes(b, name, description));
  if (s.properties) s.properties = Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, markTimes(p, k)]));
  if (s.items) s.items = markTimes(s.items, name);
  return s;
}

/**
 * A real time in ISO 8601 form: it starts with a calendar date that exists (no 2026-02-30, no
 * month 13), JavaScript reads it, and it falls between the years 1 and 9999 (what PostgreSQL
 * stores). Lenient otherwise: a date alone, or any time-of-day form Date.parse accepts.
 */
function isRealTime(v: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(v);
  const t = Date.parse(v);
  if (!m || Number.isNaN(t)) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return false;
  const year = new Date(t).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** Strings that look like times and are not (or are out of range). */
const impossibleTimes = [
  '2026-02-30T10:00:00Z', '2027-02-29T00:00:00Z', '2026-04-31', '2026-13-01T00:00:00Z', '2026-00-10', '2026-11-00',
  '2026-11-25T25:00:00Z', '2026-11-25T10:61:00Z', '2026-11-25T10:00:00+25:00', '2026-11-25junk', '2026-11-25T10:00:00Z junk',
  '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', 'yesterday', 'now', '1700000000', '25/11/2026', 'Tue, 25 Nov 2026 10:00:00 GMT',
];

function operationsOf(d: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(d.paths)) {
    const pathMethods = httpMethods.filter((m) => item[m]).map((m) => m.toUpperCase());
    for (const method of httpMethods) {
      const op = item[method];
      if (!op) continue;
      const params: ParamSpec[] = (op.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
        .map((p) => ({
          in: p.in as ParamSpec['in'],
          name: p.name,
          required: Boolean(p.required),
          schema: markTimes(p.schema ?? {}, p.name, p.description),
          opaque: /\bopaque\b/i.test(`${p.description ?? ''} ${p.schema?.description ?? ''}`),
        }));
      const media = op.requestBody?.content?.['application/json'];
      const bodySchema = media?.schema ? markTimes(media.schema, '') : undefined;
      // The documented examples: baselines that are valid by the route's own account.
      const examples = bodySchema
        ? [...Object.values(media?.examples ?? {}).map((e) => e.value), bodySchema.example, ...(bodySchema.examples ?? [])].filter((e) => e !== undefined && accepts(bodySchema, e, 'json'))
        : [];
      ops.push({ method: method.toUpperCase(), path, params, body: bodySchema ? { schema: bodySchema, examples } : undefined, pathMethods });
    }
  }
  return ops;
}

const hasInputs = (op: Operation) => op.params.length > 0 || op.body !== undefined || op.method !== 'GET';

// ---------------------------------------------------------------------------------------------
// The judge: does a value satisfy a schema, the way the server reads it?

/** `json`: a parsed JSON body value. `param`: a query, path or header value (a string, or a list
 *  of strings for a repeated query key), which the server coerces to a number where the schema
 *  says number. */
type Mode = 'json' | 'param';

/** PostgreSQL text cannot hold U+0000, so a NUL anywhere in the input is refused by every route. */
function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 50 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasNul(x, depth + 1));
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
}

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function accepts(schema: Schema, v: unknown, mode: Mode): boolean {
  const s = deref(schema);
  if (s.anyOf && !s.anyOf.some((b) => accepts(b, v, mode))) return false;
  // oneOf is judged like anyOf: a value matching two branches is counted valid (the lenient side).
  if (s.oneOf && !s.oneOf.some((b) => accepts(b, v, mode))) return false;
  if (s.allOf && !s.allOf.every((b) => accepts(b, v, mode))) return false;
  if (s.enum && !s.enum.some((e) => e === v)) return false;
  if ('const' in s && s.const !== v) return false;
  if (s.type === undefined) return true;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types.some((t) => acceptsType(s, t, v, mode));
}

function acceptsNumber(s: Schema, n: number, integer: boolean): boolean {
  if (!Number.isFinite(n)) return false;
  if (integer && !Number.isSafeInteger(n)) return false;
  if (s.minimum !== undefined && n < s.minimum) return false;
  if (s.maximum !== undefined && n > s.maximum) return false;
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) return false;
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) return false;
  return true;
}

function acceptsType(s: Schema, t: string, v: unknown, mode: Mode): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'boolean':
      // A query value cannot be a JSON boolean; how a route coerces one is unknown: count it valid.
      return mode === 'param' ? true : typeof v === 'boolean';
    case 'integer':
    case 'number':
      if (mode === 'param') {
        // z.coerce.number(): Number(value), so "", " " and "0x1f" are numbers; a repeated key is NaN.
        if (typeof v !== 'string' && !Array.isArray(v)) return false;
        return acceptsNumber(s, Number(v), t === 'integer');
      }
      return typeof v === 'number' && acceptsNumber(s, v, t === 'integer');
    case 'string': {
      if (typeof v !== 'string') return false;
      if (s['x-fuzz-time'] && !isRealTime(v)) return false;
      // Lengths are in code points (as JSON Schema and the server's zod count them). Routes may
      // trim before checking: the upper bound is judged on the trimmed text, the lower bound on
      // the raw text, and the pattern passes if either form matches (the lenient side).
      if (s.minLength !== undefined && codePoints(v) < s.minLength) return false;
      if (s.maxLength !== undefined && codePoints(v.trim()) > s.maxLength) return false;
      if (s.pattern !== undefined) {
        const re = new RegExp(s.pattern);
        if (!re.test(v) && !re.test(v.trim())) return false;
      }
      return true;
    }
    case 'array':
      if (!Array.isArray(v)) return false;
      if (s.minItems !== undefined && v.length < s.minItems) return false;
      if (s.maxItems !== undefined && v.length > s.maxItems) return false;
      return s.items === undefined || v.every((x) => accepts(s.items!, x, mode));
    case 'object': {
      if (!isPlainObject(v)) return false;
      for (const r of s.required ?? []) if (v[r] === undefined) return false;
      for (const [k, x] of Object.entries(v)) {
        const p = s.properties?.[k];
        if (p) {
          if (x !== undefined && !accepts(p, x, mode)) return false;
        } else if (s.additionalProperties === false) {
          return false;
        } else if (isPlainObject(s.additionalProperties) && !accepts(s.additionalProperties, x, mode)) {
          return false;
        }
      }
      return true;
    }
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests, and why each one is certainly invalid

/** A query or path value: `raw` is put on the wire as is (percent-garbage); otherwise it is encoded. */
type WireValue = string | { raw: string };

interface FuzzRequest {
  op: Operation;
  method: string;
  /** path parameter values by name; `absent` marks a value chosen to name nothing stored */
  path: Record<string, { value: WireValue; absent?: boolean }>;
  query: [string, WireValue][];
  headers: Record<string, string>;
  body?: { text: string | Uint8Array; contentType: string | null };
}

const decodeBoth = (w: WireValue): string[] => {
  if (typeof w === 'string') return [w];
  try {
    return [w.raw, decodeURIComponent(w.raw)];
  } catch {
    return [w.raw];
  }
};

/** Unsupported media types: no parser is registered for them, so they are a 415 on every route. */
const unsupportedTypes = ['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=fuzz', 'application/octet-stream', 'image/png', 'application/vnd.api+json'];

function hasProtoKey(v: unknown, depth = 0): boolean {
  if (depth > 50 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasProtoKey(x, depth + 1));
  return Object.keys(v).some((k) => k === '__proto__' || hasProtoKey((v as Record<string, unknown>)[k], depth + 1));
}

/**
 * The rules this request breaks (empty: it might be valid). Only breaks the server cannot read
 * around count; anything the judge is unsure of counts as valid.
 */
function breaks(r: FuzzRequest): string[] {
  const out: string[] = [];
  const { op } = r;
  if (r.method !== op.method) out.push(`method ${r.method} is not documented for ${op.path}`);
  for (const p of op.params) {
    if (p.in === 'path') {
      const given = r.path[p.name];
      if (!given) continue;
      const forms = decodeBoth(given.value);
      if (forms.some((f) => f === '')) out.push(`path ${p.name} is empty`);
      else if (forms.every((f) => hasNul(f) || !accepts(p.schema, f, 'param'))) out.push(`path ${p.name} is invalid`);
      else if (given.absent) out.push(`path ${p.name} names nothing stored`);
    } else if (p.in === 'query') {
      const values = r.query.filter(([k]) => k === p.name).map(([, v]) => v);
      if (values.length === 0) {
        if (p.required && p.schema.default === undefined) out.push(`query ${p.name} is missing`);
        continue;
      }
      // An opaque value (a cursor) is valid only as the server issued it; empty means "none".
      if (p.opaque && values.some((v) => typeof v !== 'string' || (v !== '' && !known.cursors.includes(v)))) {
        out.push(`query ${p.name} was not issued by the server`);
        continue;
      }
      const decoded = values.map(decodeBoth);
      // Every combination of possible decodings must be invalid.
      const candidates: unknown[] = values.length === 1
        ? decoded[0]!
        : [decoded.map((d) => d[0]!), decoded.map((d) => d[d.length - 1]!)];
      if (candidates.every((c) => hasNul(c) || !accepts(p.schema, c, 'param'))) out.push(`query ${p.name} is invalid`);
    } else {
      const v = r.headers[p.name];
      if (v !== undefined && !accepts(p.schema, v, 'param')) out.push(`header ${p.name} is invalid`);
    }
  }
  if (r.body && r.method !== 'GET') {
    const { text, contentType } = r.body;
    const size = typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
    const base = contentType?.split(';')[0]!.trim().toLowerCase() ?? null;
    if (size > BODY_LIMIT) out.push('body over the size limit');
    else if (contentType === null) {
      if (size > 0) out.push('body without a content type');
    } else if (unsupportedTypes.some((u) => u.split(';')[0] === base)) out.push(`unsupported content type ${base}`);
    else if (base === 'application/json') {
      const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
      if (s.trim() !== '') {
        let parsed: unknown;
        let ok = true;
        try {
          parsed = JSON.parse(s.replace(/^\uFEFF/, ''));
        } catch {
          ok = false;
        }
        if (!ok) out.push('malformed JSON');
        else if (hasProtoKey(parsed)) out.push('a __proto__ key');
        else if (hasNul(parsed)) out.push('a NUL character in the body');
        else if (op.body && !accepts(op.body.schema, parsed, 'json')) out.push('body breaks the schema');
      } else if (op.body && !accepts(op.body.schema, null, 'json')) {
        // An empty JSON body is "no body". The document marks every body required, but a schema
        // that admits null is optional in the route (rotate-secret): only judge the others.
        out.push('required body missing');
      }
    } else if (base === 'text/plain') {
      const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
      // text/plain is parsed as a string: a break only where the schema wants something else.
      if (op.body && (hasNul(s) || !accepts(op.body.schema, s, 'json'))) out.push('text/plain body where an object is required');
    }
  } else if (!r.body && op.body && r.method !== 'GET' && !accepts(op.body.schema, null, 'json')) {
    out.push('required body missing');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators

interface Known {
  /** next_cursor values the server issued, one per sort */
  cursors: string[];
  /** the query each cursor was issued for (a cursor is only valid with the same sort and filters) */
  cursorQueries: Map<string, [string, string][]>;
  conversationIds: string[];
  messageIds: string[];
  webhookIds: string[];
  deliveryIds: number[];
  eventIds: number[];
  sessionIds: string[];
  userIdentifiers: string[];
}
let known: Known;

const uuidPattern = (s: Schema) => s.format === 'uuid' || /\[1-8\]/.test(s.pattern ?? '');

/** Strings that are awkward anywhere: unicode of every width, control characters, injections. */
const awkwardStrings = [
  'é', '漢字', '😀🔥', '\u202Eevil', '\u200B', 'ﬁ', 'Ａ', '\uFFFD', '\t\n', 'a\u0000b', '\u0000',
  "' OR 1=1 --", '"; DROP TABLE chatbot_messages; --', '<script>alert(1)</script>', '../../etc/passwd',
  '${jndi:ldap://x}', '%00', '\\u0000', 'null', 'undefined', 'NaN', '[]', '{}', '🏳️‍🌈'.repeat(3),
];

const fcAwkward = fc.constantFrom(...awkwardStrings);
const nulString = fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`);

/** A string of n code points without whitespace (so trimming cannot shorten it). */
const longString = (min: number, max: number, units = ['x', 'é', '漢', '😀', '0']) =>
  fc.tuple(fc.integer({ min, max }), fc.constantFrom(...units)).map(([n, unit]) => unit.repeat(n));

const fcUuid = fc.uuid({ version: 4 });

/** A JSON value that may be valid for the schema (the baseline that breaks are applied to). */
function validJson(schema: Schema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema);
  const hinted = hintFor(name, s);
  if (hinted) return hinted;
  if (s.anyOf?.length) return fc.oneof(...s.anyOf.map((b) => validJson(b, name, depth + 1)));
  if (s.oneOf?.length) return fc.oneof(...s.oneOf.map((b) => validJson(b, name, depth + 1)));
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if ('const' in s) return fc.constant(s.const);
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const t = types.find((x) => x !== 'null') ?? types[0];
  switch (t) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : s.minimum ?? -1000;
      const max = s.maximum ?? min + 1000;
      return fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) });
    }
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'string': {
      if (uuidPattern(s)) return fcUuid;
      if (s['x-fuzz-time']) return fc.date({ min: new Date('2027-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
      const min = Math.max(s.minLength ?? 0, 1);
      const max = Math.max(min, Math.min(s.maxLength ?? 40, min + 40));
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= max && x.trim() === x);
      return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }).filter((x) => x.trim().length >= min);
    }
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(validJson(s.items ?? {}, name, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, (s.minItems ?? 0) + 3) });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = Object.entries(s.properties ?? {});
      const required = new Set(s.required ?? []);
      // Every required property, and each optional one half the time.
      return fc.tuple(...props.map(([k, p]) => fc.tuple(fc.constant(k), required.has(k) ? validJson(p, k, depth + 1).map((v) => ({ v })) : fc.option(validJson(p, k, depth + 1).map((v) => ({ v })), { nil: undefined }))))
        .map((entries) => Object.fromEntries(entries.filter(([, x]) => x !== undefined).map(([k, x]) => [k, x!.v])));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values that exist in the database, for fields whose name says what they refer to. */
function hintFor(name: string, s: Schema): fc.Arbitrary<unknown> | undefined {
  const pick = <T>(list: T[]) => (list.length ? fc.constantFrom(...list) : undefined);
  if (name === 'conversation_id' && uuidPattern(s)) return pick(known.conversationIds);
  if ((name === 'message_id' || name === 'before' || name === 'after') && uuidPattern(s)) return pick(known.messageIds);
  if (name === 'delivery_id') return pick(known.deliveryIds);
  if (name === 'event_id') return pick(known.eventIds);
  if (name === 'content' && s.type === 'string') return fc.constantFrom('Hello, is my sofa on its way?', 'Thanks!', 'Order 0012345 please');
  if (name === 'messages' && s.type === 'array') return fc.constant([{ role: 'user', content: 'What are your hours at the Canton store?' }]);
  return undefined;
}

function deepNest(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** One sample of each JSON kind, plus some awkward ones: the type errors of any schema are among them. */
const anyKind = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.0001, 1e308, -1e308, 2 ** 53, '', 'x', '0', 'true', [], [null], {}, { a: 1 }),
  fcAwkward,
  fc.integer({ min: 1, max: 4000 }).map((d) => deepNest(d)),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A JSON value that certainly breaks the schema (filtered through the judge). */
function invalidJson(schema: Schema, name = '', depth = 0, examples: unknown[] = []): fc.Arbitrary<unknown> {
  const s = deref(schema);
  // Breaks aimed at this schema's own rules come twice as often as the generic wrong kinds.
  const options: fc.WeightedArbitrary<unknown>[] = [{ weight: 1, arbitrary: anyKind }, { weight: 1, arbitrary: nulString }];
  const push = (arbitrary: fc.Arbitrary<unknown>) => { options.push({ weight: 2, arbitrary }); };
  const branches = s.anyOf ?? s.oneOf ?? [s];
  for (const raw of branches) {
    const b = deref(raw);
    if (b.enum) push(fc.oneof(fc.string({ maxLength: 20 }), fcAwkward, fc.constantFrom(...b.enum.filter((e): e is string => typeof e === 'string').flatMap((e) => [e.toUpperCase(), ` ${e}`, `${e}x`, e.slice(1)]))));
    const types = b.type === undefined ? [] : Array.isArray(b.type) ? b.type : [b.type];
    if (types.includes('string')) {
      if (b['x-fuzz-time']) push(fc.constantFrom(...impossibleTimes));
      if (b.maxLength !== undefined) push(longString(b.maxLength + 1, b.maxLength + 1 + Math.min(b.maxLength * 3, 20_000)));
      if (b.minLength !== undefined && b.minLength > 0) push(fc.string({ maxLength: b.minLength - 1 }).filter((x) => x.trim() === x));
      if (b.pattern) push(fc.oneof(fcAwkward, fc.string({ maxLength: 40 }), fcUuid.map((u) => `${u}x`), fcUuid.map((u) => u.replace(/-/g, '')), fcUuid.map((u) => u.slice(0, 35) + 'g')));
    }
    if (types.includes('integer') || types.includes('number')) {
      const edges: number[] = [0.5, -1, -1e9, 1e15, 2 ** 53 + 2, 1e300];
      if (b.minimum !== undefined) edges.push(b.minimum - 1, b.minimum - 0.5);
      if (b.exclusiveMinimum !== undefined) edges.push(b.exclusiveMinimum, b.exclusiveMinimum - 1);
      if (b.maximum !== undefined) edges.push(b.maximum + 1, b.maximum + 0.5, b.maximum * 10 + 7);
      push(fc.constantFrom(...edges));
      if (types.includes('integer')) push(fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)));
    }
    if (types.includes('array') && depth < 3) {
      const item = b.items ?? {};
      if (b.maxItems !== undefined) push(fc.array(validJson(item, name, depth + 1), { minLength: b.maxItems + 1, maxLength: b.maxItems + 4 }));
      if (b.minItems !== undefined && b.minItems > 0) push(fc.constant([]));
      push(fc.tuple(fc.array(validJson(item, name, depth + 1), { maxLength: 2 }), invalidJson(item, name, depth + 1)).map(([ok, bad]) => [...ok, bad]));
    }
    if (types.includes('object') && depth < 4) {
      const props = Object.entries(b.properties ?? {});
      // The documented examples first: then the one break is the only thing wrong.
      const documented = examples.filter(isPlainObject);
      const generated = validJson(b, name, depth + 1) as fc.Arbitrary<Record<string, unknown>>;
      const baseline = documented.length ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...documented) }, { weight: 1, arbitrary: generated }) : generated;
      for (const r of b.required ?? []) {
        push(baseline.map((o) => {
          const copy = { ...o };
          delete copy[r];
          return copy;
        }));
      }
      if (b.additionalProperties === false) {
        push(fc.tuple(baseline, fc.oneof(fc.constantFrom('unknown_field', 'Content', 'inboxStatus', 'id', 'constructor', 'toString'), fc.string({ minLength: 1, maxLength: 12 })), anyKind)
          .filter(([, k]) => !(k in (b.properties ?? {})) && k !== '__proto__')
          .map(([o, k, v]) => ({ ...o, [k]: v })));
      }
      for (const [k, p] of props) {
        push(fc.tuple(baseline, invalidJson(p, k, depth + 1)).map(([o, bad]) => ({ ...o, [k]: bad })));
      }
    }
  }
  return fc.oneof(...options).filter((v) => hasNul(v) || !accepts(s, v, 'json'));
}

/** A query, path or header value that certainly breaks the schema. */
function invalidParam(p: ParamSpec): fc.Arbitrary<WireValue | WireValue[]> {
  const s = deref(p.schema);
  const branches = s.anyOf ?? [s];
  const options: fc.Arbitrary<WireValue | WireValue[]>[] = [
    nulString,
    fcAwkward,
    fc.constantFrom<WireValue>({ raw: '%' }, { raw: '%zz' }, { raw: '%E0%A4%A' }, { raw: '%FF%FE' }, { raw: '%C0%80' }, { raw: '%00' }, { raw: '%u0000' }),
  ];
  for (const raw of branches) {
    const b = deref(raw);
    const types = b.type === undefined ? [] : Array.isArray(b.type) ? b.type : [b.type];
    if (types.includes('integer') || types.includes('number')) {
      const edges = ['-1', '1.5', 'abc', '', ' ', 'NaN', 'Infinity', '-Infinity', '1e400', '9'.repeat(30), '0x', '--1', '1_000', '١٢', '５', '1;DROP TABLE x', '2e', '+-3'];
      if (b.minimum !== undefined) edges.push(String(b.minimum - 1), String(b.minimum - 0.5));
      if (b.maximum !== undefined) edges.push(String(b.maximum + 1), String(b.maximum * 10 + 7), `${b.maximum}.5`);
      options.push(fc.constantFrom(...edges));
      options.push(fc.tuple(fc.nat(50), fc.nat(50)).map(([a, c]) => [String(a + 1), String(c + 1)]));
    }
    if (types.includes('string')) {
      if (b['x-fuzz-time']) options.push(fc.constantFrom(...impossibleTimes));
      if (b.maxLength !== undefined) options.push(longString(b.maxLength + 1, b.maxLength + 1 + Math.min(b.maxLength * 2, 3000)));
      if (b.minLength !== undefined && b.minLength > 0) options.push(fc.constant(''));
      if (b.enum) {
        const values = b.enum.map(String);
        options.push(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...values.flatMap((e) => [e.toUpperCase(), `${e} `, `${e}x`, e.slice(1), `${e},${e}`]))));
        options.push(fc.constant([values[0]!, values[values.length - 1]!]));
      }
      if (b.pattern || b.format === 'uuid') {
        options.push(fc.oneof(
          fcUuid.map((u) => `${u}x`),
          fcUuid.map((u) => u.replace(/-/g, '')),
          fcUuid.map((u) => `${u.slice(0, 35)}g`),
          fcUuid.map((u) => `{${u}}`),
          fcUuid.map((u) => `urn:uuid:${u}`),
          fcUuid.map((u) => `${u.slice(0, 14)}9${u.slice(15)}`),
          fc.constantFrom('123', '0', '-1', 'me', 'null', 'x'.repeat(600)),
          fc.string({ maxLength: 40 }),
        ));
        options.push(fc.tuple(fcUuid, fcUuid).map(([a, c]) => [a, c]));
      }
    }
  }
  if (p.opaque) options.push(forgedOpaque().map((f) => f.value));
  const accepted = (v: WireValue | WireValue[]): boolean => {
    if (p.opaque) return !Array.isArray(v) && typeof v === 'string' && (v === '' || known.cursors.includes(v));
    if (Array.isArray(v)) return !hasNul(v) && accepts(s, v.map((x) => (typeof x === 'string' ? x : x.raw)), 'param');
    return decodeBoth(v).some((f) => !hasNul(f) && f !== '' && accepts(s, f, 'param')) || (p.in === 'path' && decodeBoth(v).some((f) => f === ''));
  };
  return fc.oneof(...options).filter((v) => !accepted(v));
}

/**
 * Forged opaque values: junk, and real cursors (base64url JSON) with one field replaced by a value
 * the server never puts there, or removed.
 */
function forgedOpaque(): fc.Arbitrary<{ value: string; query?: [string, string][] }> {
  const real = known.cursors.map((c) => ({ query: known.cursorQueries.get(c), fields: JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown> }));
  const bad = fc.constantFrom<unknown>(
    'garbage', '2026-13-45 25:61:61', '2026-02-30 10:00:00', '0000-00-00 00:00:00', '2026-11-25 24:00:00', '99999-01-01 00:00:00',
    '2026-11-25', '-'.repeat(36), '0'.repeat(36), 'NaN', "'; DROP TABLE chatbot_conversations; --", 'a\u0000b', '', null, {}, [], true, 1.5, 1e308, -5, 2 ** 53 + 2,
  );
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const forged = fc.tuple(fc.constantFrom(...real), fc.constantFrom('s', 'a', 'v', 'id', 't'), fc.option(bad, { nil: undefined, freq: 6 }))
    // The tie-break time is read only by the priority sort: elsewhere changing it changes nothing.
    .filter(([c, field]) => field !== 't' || c.fields.s === 'priority')
    .map(([c, field, v]) => {
      const copy: Record<string, unknown> = { ...c.fields };
      if (v === undefined) delete copy[field];
      else copy[field] = v;
      // Sent with the query the real cursor was issued for, so it is judged, not refused for a
      // different sort.
      return { value: encode(copy), query: c.query };
    });
  const junk = fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.jsonValue({ maxDepth: 2 }).map(encode), fc.base64String({ minLength: 4, maxLength: 80 }));
  return fc.oneof({ weight: 4, arbitrary: forged }, { weight: 1, arbitrary: junk.map((value) => ({ value })) })
    .filter((f) => f.value !== '' && !known.cursors.includes(f.value));
}

/** A query or path value that is (probably) valid, existing ids preferred. */
function validParam(p: ParamSpec, op: Operation): fc.Arbitrary<string | string[]> {
  const s = deref(p.schema);
  if (p.in === 'path') {
    if (p.name === 'id' && op.path.startsWith('/api/conversations/')) return fc.constantFrom(...known.conversationIds);
    if (p.name === 'id' && op.path.startsWith('/api/webhooks/')) return fc.constantFrom(...known.webhookIds);
    if (p.name === 'id' && op.path.startsWith('/v1/sessions/')) return fc.constantFrom(...known.sessionIds, ...known.userIdentifiers);
    if (p.name === 'delivery_id') return fc.constantFrom(...known.deliveryIds.map(String));
  }
  if (p.name === 'session_id') return fc.constantFrom(...known.sessionIds);
  if (p.name === 'conversation_id') return fc.constantFrom(...known.conversationIds);
  if ((p.name === 'before' || p.name === 'after') && uuidPattern(deref(p.schema))) return fc.constantFrom(...known.messageIds);
  if (p.name === 'token') return fc.constant(TEST_API_KEY);
  const isList = s.anyOf?.some((b) => deref(b).type === 'array');
  if (s.example !== undefined) {
    // The documented example is valid by the route's own account; a list example (a,b) gives
    // any of its items, repeated or comma-separated.
    const items = String(s.example).split(',').filter(Boolean);
    return isList && items.length > 1
      ? fc.subarray(items, { minLength: 1 }).chain((sub) => fc.constantFrom<string | string[]>(sub.join(','), sub.length > 1 ? sub : sub[0]!))
      : fc.constant(String(s.example));
  }
  if (isList) {
    // A list parameter without an example: one or two values, repeated or comma-separated.
    return fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 3 }));
  }
  return validJson(s, p.name).map((v) => String(v));
}

const methodsOtherThan = (op: Operation) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !op.pathMethods.includes(m));

/** Query keys no operation declares: servers must ignore them (they are noise, never a break). */
const noiseQuery = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom('utm_source', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'a[b]', 'x.y', '', ' '), fc.string({ minLength: 1, maxLength: 8 })),
    fc.oneof(fc.string({ maxLength: 20 }), fcAwkward, fc.constantFrom<WireValue>({ raw: '%zz' }, { raw: '%' })),
  ),
  { maxLength: 2 },
);

/** Bodies that no route can take: broken JSON, unsupported types, oversize, prototype keys. */
function transportBreak(op: Operation): fc.Arbitrary<{ text: string | Uint8Array; contentType: string | null }> {
  const json = 'application/json';
  const malformed = fc.oneof(
    fc.constantFrom('{', '{"a":', '{"content": "x",}', "{'a':1}", 'NaN', '{"a":1}}', 'undefined', '[1,2', '{"a":"\\uZZZZ"}', '{"a" 1}', '{a:1}', 'tru', '"unterminated', '{"a":1,,"b":2}', '01', '{"a":01}', '\u0000', '{"a":"\u0001"}', '}{'),
    fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && !parses(s)),
    fc.integer({ min: 2, max: 3000 }).map((d) => '['.repeat(d)),
  ).filter((s) => !parses(s));
  const options: fc.Arbitrary<{ text: string | Uint8Array; contentType: string | null }>[] = [
    malformed.map((text) => ({ text, contentType: json })),
    fc.tuple(fc.constantFrom(...unsupportedTypes), fc.constantFrom('{}', '<a/>', 'a=1&b=2', '--fuzz\r\n\r\nx\r\n--fuzz--')).map(([contentType, text]) => ({ text, contentType })),
    fc.constantFrom('{"a":1}', 'x=1').map((t) => ({ text: new TextEncoder().encode(t), contentType: null })),
    fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT + 64 * 1024 }).map((n) => ({ text: `{"content":"${'x'.repeat(n)}"}`, contentType: json })),
    fc.constantFrom('{"__proto__":{"admin":true}}', '{"a":{"__proto__":{"x":1}}}', '[{"__proto__":null}]').map((text) => ({ text, contentType: json })),
  ];
  if (op.body) {
    // Where a body is expected: none at all, a JSON text declared as text/plain, or well-formed
    // JSON nested far deeper than any schema (up to 100,000 levels, just under the size limit).
    options.push(fc.constant({ text: '', contentType: json }));
    options.push(validJson(op.body.schema).map((v) => ({ text: JSON.stringify(v) ?? 'null', contentType: 'text/plain' })));
    options.push(fc.tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.boolean()).map(([n, inObject]) => ({
      text: inObject ? `{"a":${'['.repeat(n)}${']'.repeat(n)}}` : `${'['.repeat(n)}${']'.repeat(n)}`,
      contentType: json,
    })));
  }
  return fc.oneof(...options);
}

function parses(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** One malformed request for an operation: a plausible baseline with one to three breaks. */
function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');
  const baseline = fc.record({
    path: fc.tuple(...pathParams.map((p) => validParam(p, op).map((v) => [p.name, { value: String(v) }] as const))).map((e) => Object.fromEntries(e) as FuzzRequest['path']),
    // Required parameters always, each optional one a quarter of the time (opaque ones never:
    // a cursor comes only with the query it was issued for, as a mutation).
    query: fc.tuple(...queryParams.filter((p) => !p.opaque).map((p) => (p.required
      ? validParam(p, op).map((v) => ({ v }))
      : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: validParam(p, op).map((v) => ({ v })) })).map((x) => [p.name, x] as const)))
      .map((entries) => entries.flatMap(([k, x]) => (x === undefined ? [] : Array.isArray(x.v) ? x.v.map((v) => [k, v] as [string, WireValue]) : [[k, x.v] as [string, WireValue]]))),
    noise: noiseQuery,
    idem: fc.option(fc.stringMatching(/^[a-zA-Z0-9-]{1,40}$/), { nil: undefined }),
    body: op.body
      ? (op.body.examples.length ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...op.body.examples) }, { weight: 1, arbitrary: validJson(op.body.schema) }) : validJson(op.body.schema))
        .map((v) => ({ text: JSON.stringify(v) ?? '', contentType: 'application/json' as string | null }))
      : fc.constant(undefined),
    charset: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8'),
  });

  type Mutation = (r: FuzzRequest) => void;
  // Weighted: breaks that reach validation (bad values, bad bodies) come more often than those
  // that end in a 404 before it (ids naming nothing, undocumented methods).
  const mutations: fc.WeightedArbitrary<Mutation>[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<Mutation>) => mutations.push({ weight, arbitrary });
  for (const p of pathParams) {
    add(3, invalidParam(p).map((v): Mutation => (r) => {
      r.path[p.name] = { value: Array.isArray(v) ? v[0]! : v };
    }));
    // A well-formed id that names nothing stored (a 404 that must store nothing either).
    const absent = p.name === 'delivery_id'
      ? fc.integer({ min: 1_000_000, max: Number.MAX_SAFE_INTEGER }).map(String)
      : uuidPattern(deref(p.schema)) ? fcUuid : fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 24 }).map((h) => `fuzz-nobody-${h}`);
    add(1, absent.map((value): Mutation => (r) => {
      r.path[p.name] = { value, absent: true };
    }));
  }
  for (const p of queryParams.filter((q) => q.opaque)) {
    // A cursor comes with exactly the query it was issued for (the same filters and sort), so
    // the forgery itself is what gets judged; undeclared noise stays.
    add(3, forgedOpaque().map((f): Mutation => (r) => {
      const declared = new Set(queryParams.map((q) => q.name));
      r.query = [...r.query.filter(([k]) => !declared.has(k)), ...(f.query ?? []), [p.name, f.value]];
    }));
  }
  for (const p of queryParams) {
    add(2, invalidParam(p).map((v): Mutation => (r) => {
      r.query = r.query.filter(([k]) => k !== p.name);
      for (const x of Array.isArray(v) ? v : [v]) r.query.push([p.name, x]);
    }));
    if (p.required) add(1, fc.constant<Mutation>((r) => {
      r.query = r.query.filter(([k]) => k !== p.name);
    }));
  }
  for (const p of headerParams) {
    // Header values are bytes (Latin-1 on the wire): overlong ones are built from such characters.
    const headerValue = fc.oneof(longString((deref(p.schema).maxLength ?? 255) + 1, (deref(p.schema).maxLength ?? 255) + 600, ['x', 'é', '0']), fc.constant(''));
    add(1, headerValue.map((v): Mutation => (r) => {
      r.headers[p.name] = v;
    }));
  }
  if (op.body) {
    const schema = op.body.schema;
    // Where the body admits unknown members (the chat request), now and then one more, deeply
    // nested: noise beside the break, which the route must neither choke on nor store.
    const open = deref(schema).additionalProperties !== false;
    const extra = open ? fc.option(fc.integer({ min: 100, max: 3_000 }).map((d) => deepNest(d, '\u00e9')), { nil: undefined, freq: 5 }) : fc.constant(undefined);
    add(8, fc.tuple(invalidJson(schema, '', 0, op.body.examples), fc.constantFrom('application/json', 'application/json; charset=utf-8'), extra).map(([v, ct, deep]): Mutation => (r) => {
      const value = deep !== undefined && isPlainObject(v) ? { ...v, fuzz_extra: deep } : v;
      r.body = { text: JSON.stringify(value) ?? '', contentType: ct };
    }));
  }
  if (op.method !== 'GET') {
    add(3, transportBreak(op).map((b): Mutation => (r) => {
      r.body = b;
    }));
  }
  const others = methodsOtherThan(op);
  if (others.length) {
    add(1, fc.constantFrom(...others).map((m): Mutation => (r) => {
      r.method = m;
      if (m === 'GET') r.body = undefined;
    }));
  }

  return fc.tuple(baseline, fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }))
    .map(([b, muts]) => {
      const r: FuzzRequest = {
        op,
        method: op.method,
        path: { ...b.path },
        query: [...b.query, ...b.noise.filter(([k]) => !op.params.some((p) => p.name === k))],
        headers: {},
        body: b.body ? { ...b.body, contentType: b.charset } : undefined,
      };
      if (b.idem !== undefined && headerParams.length) r.headers['idempotency-key'] = b.idem;
      for (const m of muts) m(r);
      return r;
    })
    .filter((r) => breaks(r).length > 0);
}

/** Requests to an operation without inputs: only noise, so any answer below 500 will do. */
function noInputArb(op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(noiseQuery, fc.option(fc.constantFrom(...methodsOtherThan(op)), { nil: undefined, freq: 3 }))
    .map(([noise, method]) => ({ op, method: method ?? op.method, path: {}, query: noise, headers: {} }));
}

// ---------------------------------------------------------------------------------------------
// Sending and judging

function urlOf(r: FuzzRequest): string {
  const enc = (w: WireValue) => (typeof w === 'string' ? encodeURIComponent(w) : w.raw);
  const path = r.op.path.replace(/\{(\w+)\}/g, (_m, name: string) => enc(r.path[name]?.value ?? ''));
  const qs = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${enc(v)}`).join('&');
  return qs ? `${path}?${qs}` : path;
}

function describeRequest(r: FuzzRequest): string {
  const body = r.body ? ` [${r.body.contentType ?? 'no content-type'}] ${typeof r.body.text === 'string' ? JSON.stringify(r.body.text.slice(0, 160)) : `<${r.body.text.byteLength} bytes>`}${typeof r.body.text === 'string' && r.body.text.length > 160 ? `… (${r.body.text.length} chars)` : ''}` : '';
  const url = urlOf(r);
  return `${r.method} ${url.length > 200 ? `${url.slice(0, 200)}… (${url.length} chars)` : url}${Object.keys(r.headers).length ? ` headers ${JSON.stringify(r.headers).slice(0, 120)}` : ''}${body}`;
}

interface Outcome {
  request: FuzzRequest;
  expectRefusal: boolean;
  status: number;
  problem: string | null;
}

async function send(baseUrl: string, r: FuzzRequest, key: string): Promise<{ status: number; problem: string | null }> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...r.headers };
  let body: string | Uint8Array | undefined;
  if (r.body && r.method !== 'GET') {
    body = r.body.text;
    if (r.body.contentType !== null) headers['content-type'] = r.body.contentType;
  }
  try {
    const res = await fetch(`${baseUrl}${urlOf(r)}`, { method: r.method, headers, body: body as BodyInit | undefined, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    if (res.status < 400 || res.status >= 500) return { status: res.status, problem: null };
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('application/problem+json')) return { status: res.status, problem: `content-type ${type || '(none)'}: ${text.slice(0, 120)}` };
    let parsed: { status?: unknown; title?: unknown } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: res.status, problem: `not JSON: ${text.slice(0, 120)}` };
    }
    if (parsed.status !== res.status || typeof parsed.title !== 'string') return { status: res.status, problem: `body without status/title: ${text.slice(0, 120)}` };
    return { status: res.status, problem: null };
  } catch (err) {
    return { status: 0, problem: `no answer: ${(err as Error).message}` };
  }
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

// ---------------------------------------------------------------------------------------------
// The database, fingerprinted

let t: TestDatabase;
let app: TestApp;
let agentKey: string;

// Nothing is excluded from the fingerprint: no route updates anything on a read (API keys keep no
// last-used time; the bootstrap key is not stored), and no background worker runs in the test app.
const fingerprint = () => tableFingerprint(t.database);

const changedTables = (a: Record<string, string>, b: Record<string, string>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.database, { conversations: 4, messages: 40, seed: 11 });
  const agent = await createAgent(t.database.db, { name: 'Fuzz Agent', email: 'fuzz.agent@example.com' });
  agentKey = (await createApiKey(t.database.db, { name: 'fuzz-agent-key', agentId: agent.agent_id })).key;
  // A webhook endpoint first, so the conversation below also leaves deliveries to point at.
  const endpoint = await createEndpoint(t.database.db, { url: 'https://hooks.example.com/fuzz', eventTypes: null, description: 'fuzz' });
  // The rate limit would answer 429 before validation: lift it so every request is judged.
  app = await startTestApp({ database: t.database, env: { RATE_LIMIT_PER_MINUTE: '1000000' } });

  // A conversation created the way customers create them, with a session and a known identifier.
  const sessionId = `fuzz-session-${randomUUID()}`;
  for (const content of ['Hi, what are your hours at the Canton store?', 'And do you deliver on Sundays?']) {
    const res = await fetch(`${app.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: sessionId, user_identifier: 'fuzz.customer@example.com', messages: [{ role: 'user', content }] }),
    });
    expect(res.status, await res.text()).toBe(200);
  }
  const res = await fetch(`${app.baseUrl}/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as OpenApiDoc;

  // One cursor the server issued per sort: the baseline of forged ones.
  const cursors: string[] = [];
  const cursorQueries = new Map<string, [string, string][]>();
  for (const sort of ['last_message_at', 'priority', 'waiting_since', 'created_at']) {
    const query: [string, string][] = [['limit', '1'], ['active_only', 'false'], ['sort', sort]];
    const page = await fetch(`${app.baseUrl}/api/conversations?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    const { next_cursor: next } = (await page.json()) as { next_cursor: string | null };
    expect(next, `a next_cursor for sort=${sort}`).toBeTruthy();
    cursors.push(next!);
    cursorQueries.set(next!, query);
  }
  const q = <T>(query: ReturnType<typeof sql>) => t.database.query<T>(query);
  known = {
    cursors,
    cursorQueries,
    conversationIds: (await q<{ id: string }>(sql`SELECT conversation_id::text AS id FROM chatbot_conversations ORDER BY 1`)).map((r) => r.id),
    messageIds: (await q<{ id: string }>(sql`SELECT message_id::text AS id FROM chatbot_messages ORDER BY message_created_at DESC LIMIT 20`)).map((r) => r.id),
    webhookIds: [endpoint.id],
    deliveryIds: (await q<{ id: number }>(sql`SELECT id::int AS id FROM webhook_deliveries ORDER BY 1 LIMIT 20`)).map((r) => r.id),
    eventIds: (await q<{ id: number }>(sql`SELECT id::int AS id FROM inbox_events ORDER BY 1 LIMIT 20`)).map((r) => r.id),
    sessionIds: [sessionId],
    userIdentifiers: (await q<{ u: string }>(sql`SELECT DISTINCT user_identifier AS u FROM chatbot_conversations ORDER BY 1 LIMIT 5`)).map((r) => r.u),
  };
  expect(known.deliveryIds.length, 'the seeded conversation left webhook deliveries').toBeGreaterThan(0);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe(`bad input generated from the OpenAPI document (${testDbKind})`, () => {
  it('thousands of malformed requests over every operation: never a 5xx or a success, always problem+json, nothing stored', async () => {
    const started = Date.now();
    const ops = operationsOf(doc);
    // Every documented operation of the contract's API is walked, the chat endpoint included.
    expect(ops.length).toBeGreaterThanOrEqual(30);
    for (const must of ['POST /v1/chat/completions', 'PATCH /api/conversations/{id}', 'POST /api/conversations/{id}/messages', 'POST /webhook/inbox/new-message', 'POST /api/webhooks']) {
      expect(ops.map((o) => `${o.method} ${o.path}`)).toContain(must);
    }
    // Operations with inputs split the total evenly; those without (nothing to break but the
    // method and stray query keys) get a quarter share on top.
    const perInputOp = Math.ceil(TOTAL / ops.filter(hasInputs).length);
    const share = (op: Operation) => (hasInputs(op) ? perInputOp : Math.ceil(perInputOp / 4));
    const timeFields = ops.flatMap((op) => [
      ...op.params.filter((p) => deref(p.schema)['x-fuzz-time']).map((p) => `${op.method} ${op.path} ${p.in} ${p.name}`),
      ...Object.entries(op.body ? deref(op.body.schema).properties ?? {} : {}).filter(([, p]) => p['x-fuzz-time']).map(([k]) => `${op.method} ${op.path} body ${k}`),
    ]);
    console.log(`time fields (only real times valid): ${timeFields.join('; ')}`);
    console.log(`fuzz seed ${SEED} (FUZZ_SEED to replay): ${TOTAL} malformed requests over ${ops.filter(hasInputs).length} operations with inputs, and ${ops.filter((o) => !hasInputs(o)).length} without, on ${testDbKind}`);

    const before = await fingerprint();
    let previous = before;
    const outcomes: Outcome[] = [];
    const storedBy: string[] = [];
    const perOp: string[] = [];
    const timing = { generate: 0, send: 0, fingerprint: 0 };
    for (const [i, op] of ops.entries()) {
      if (ONLY && !ONLY.test(`${op.method} ${op.path}`)) continue;
      const n = share(op);
      const expectRefusal = hasInputs(op);
      const genStarted = Date.now();
      const requests = fc.sample(expectRefusal ? requestArb(op) : noInputArb(op), { seed: SEED + i, numRuns: n });
      timing.generate += Date.now() - genStarted;
      const opStarted = Date.now();
      await pool(requests, CONCURRENCY, async (request, j) => {
        const { status, problem } = await send(app.baseUrl, request, j % 2 ? agentKey : TEST_API_KEY);
        outcomes.push({ request, expectRefusal, status, problem });
      });
      timing.send += Date.now() - opStarted;
      const byStatus: Record<number, number> = {};
      for (const o of outcomes.slice(-n)) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
      perOp.push(`${op.method} ${op.path}: ${n} in ${Date.now() - opStarted} ms ${JSON.stringify(byStatus)}`);
      // Fingerprint after each operation: a change is pinned to the operation that made it.
      const fpStarted = Date.now();
      const now = await fingerprint();
      timing.fingerprint += Date.now() - fpStarted;
      const changed = changedTables(previous, now);
      if (changed.length) storedBy.push(`${op.method} ${op.path} changed ${changed.join(', ')}`);
      previous = now;
    }

    const statusCounts = new Map<number, number>();
    for (const o of outcomes) statusCounts.set(o.status, (statusCounts.get(o.status) ?? 0) + 1);
    console.log(`${outcomes.length} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${JSON.stringify(timing)} ms); statuses ${JSON.stringify(Object.fromEntries([...statusCounts].sort(([a], [b]) => a - b)))}`);
    console.log(perOp.join('\n'));

    if (process.env.FUZZ_DUMP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.FUZZ_DUMP, outcomes.map((o) => `${o.status} ${describeRequest(o.request)} | ${breaks(o.request).join('; ')}`).join('\n'));
    }
    const serverErrors = outcomes.filter((o) => o.status >= 500 || o.status === 0);
    const accepted = outcomes.filter((o) => o.expectRefusal && o.status > 0 && o.status < 400);
    const badProblems = outcomes.filter((o) => o.problem && o.status >= 400 && o.status < 500);
    // Grouped by operation and status, a few examples each: one bug often fails hundreds of requests.
    const list = (os: Outcome[]) => {
      const groups = new Map<string, Outcome[]>();
      for (const o of os) {
        const key = `${o.status} ${o.request.method} ${o.request.op.path}`;
        groups.set(key, [...(groups.get(key) ?? []), o]);
      }
      return [...groups].map(([key, group]) => `  ${key} (${group.length}×), e.g.\n${group.slice(0, 3).map((o) => `    ${describeRequest(o.request)}\n      breaks: ${breaks(o.request).join('; ') || '(none)'}${o.problem ? `\n      ${o.problem}` : ''}`).join('\n')}`).join('\n');
    };

    const report = [
      serverErrors.length ? `${serverErrors.length} answered 5xx or not at all:\n${list(serverErrors)}` : '',
      accepted.length ? `${accepted.length} malformed requests were accepted (the route takes what its document forbids, or the generator is wrong):\n${list(accepted)}` : '',
      badProblems.length ? `${badProblems.length} 4xx answers were not problem+json with status and title:\n${list(badProblems)}` : '',
      storedBy.length ? `stored data changed:\n  ${storedBy.join('\n  ')}` : '',
    ].filter(Boolean).join('\n\n');

    if (!ONLY) expect(outcomes.filter((o) => o.expectRefusal).length).toBeGreaterThanOrEqual(Math.min(TOTAL, 5_000));
    expect(report === '', `seed ${SEED}\n${report}`).toBe(true);
    expect(await fingerprint(), 'a rejected request changed stored data').toEqual(before);
  }, 600_000);
});
