// The smallest valid request for an operation of the server's own OpenAPI document: required fields only,
// the first enum value, a plausible value per format. Route tests use it so that a request gets past body
// validation to the permission check, for every route, without a hand-written body per route.
import { randomUUID } from 'node:crypto';

/** A JSON schema as the OpenAPI document spells it (only what {@link minimalOf} reads). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

/** One operation of the document. */
export interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

/** The parts of the document {@link minimalOf} resolves references in. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const STRINGS: Record<string, () => string> = {
  uuid: () => randomUUID(),
  'date-time': () => new Date(Date.now() + 86_400_000).toISOString(),
  date: () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  email: () => 'someone@example.com',
  uri: () => 'https://example.com/',
};

/** Patterns the API uses, with a value each matches. */
const PATTERNS: [RegExp, string][] = [
  [/^\^\[0-9a-f\]\{64\}\$$/, 'a'.repeat(64)],
  [/^\^\[0-9a-f\]\{40\}\$$/, 'a'.repeat(40)],
];

/** The smallest value `schema` accepts. */
export function minimalOf(doc: OpenApiDoc, schema: Schema, depth = 0): unknown {
  if (schema.$ref)
    return minimalOf(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!] ?? {}, depth);
  if (depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return minimalOf(doc, alt.find((s) => s.type !== 'null') ?? alt[0]!, depth);
  if (schema.allOf?.length)
    return Object.assign({}, ...schema.allOf.map((s) => minimalOf(doc, s, depth) as object));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? [])
        out[key] = minimalOf(doc, schema.properties?.[key] ?? {}, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () =>
        minimalOf(doc, schema.items ?? {}, depth + 1),
      );
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1, (schema.exclusiveMinimum ?? 0) + 1);
    case 'boolean':
      return false;
    case 'string': {
      const byFormat = schema.format ? STRINGS[schema.format] : undefined;
      if (byFormat) return byFormat();
      const byPattern = PATTERNS.find(([p]) => schema.pattern && p.test(schema.pattern));
      if (byPattern) return byPattern[1];
      return 'x'.repeat(Math.max(8, schema.minLength ?? 0));
    }
    case undefined:
    default:
      return schema.default ?? null;
  }
}

/** The smallest JSON body of `op` (undefined when it takes none), and whether it is an upload. */
export function minimalBody(doc: OpenApiDoc, op: Operation): { json?: unknown; upload: boolean } {
  const content = op.requestBody?.content ?? {};
  if (content['multipart/form-data']) return { upload: true };
  const schema = content['application/json']?.schema;
  return { json: schema ? minimalOf(doc, schema) : undefined, upload: false };
}

/** The required query parameters of `op`, each from `values` when it names it, else its smallest value. */
export function minimalQuery(doc: OpenApiDoc, op: Operation, values: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const p of op.parameters ?? [])
    if (p.in === 'query' && p.required) q.set(p.name, values[p.name] ?? String(minimalOf(doc, p.schema)));
  const s = q.toString();
  return s ? `?${s}` : '';
}
