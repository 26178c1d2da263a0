import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../test/support/api.js';

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: {
    properties?: Record<
      string,
      { type?: string | string[]; maxLength?: number; anyOf?: { type?: string | string[] }[] }
    >;
  };
}

const TABLES = ['users', 'teams', 'team_members', 'api_tokens', 'audit_log', 'sessions'] as const;

async function counts(app: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(app.database.db);
    out[t] = Number(r.rows[0]?.n);
  }
  return out;
}

/**
 * Every route in the OpenAPI document gets malformed JSON, wrong types, unknown fields, oversize bodies,
 * overlong strings and invalid ids. Each must answer a clear 4xx problem and write nothing.
 */
const BODY_LIMIT = 65_536;

describe('bad input on every route', () => {
  let app: TestApp;
  let ops: Operation[];
  const id = '00000000-0000-4000-8000-000000000000';
  beforeAll(async () => {
    app = await setup({ STEWARD_BODY_LIMIT: String(BODY_LIMIT) });
    const doc = (await app.anonymous.get('/api/openapi.json')).json<{
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: Operation['body'] }> } }>
      >;
    }>();
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({
        method: m.toUpperCase() as Operation['method'],
        path: path.replace('{id}', id),
        body: op.requestBody?.content['application/json']?.schema,
      })),
    );
    await app.server.sealer.kick();
  });
  afterAll(async () => app.close());

  const send = (op: Operation, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.as(app.admin).req(op.method, url, payload, { 'if-match': '"v1"', ...headers });

  it('knows the routes', () => {
    expect(ops.length).toBeGreaterThanOrEqual(12);
  });

  it('answers each bad request with a 4xx problem document and writes nothing', async () => {
    const before = await counts(app);
    const failures: string[] = [];
    const expect4xx = (
      what: string,
      r: { statusCode: number; headers: Record<string, unknown> },
      allowed: number[],
    ) => {
      const typeOk = String(r.headers['content-type']).startsWith('application/problem+json');
      if (!allowed.includes(r.statusCode) || !typeOk)
        failures.push(`${what}: ${r.statusCode} ${String(r.headers['content-type'])}`);
    };
    for (const op of ops) {
      const label = `${op.method} ${op.path}`;
      if (op.path.includes(id)) {
        const bad = op.path.replace(id, 'not-a-uuid');
        expect4xx(`${label} invalid id`, await send(op, bad, op.body ? {} : undefined), [400]);
      }
      if (op.body && op.path !== '/api/v1/auth/login') {
        const json = { 'content-type': 'application/json' };
        expect4xx(`${label} malformed`, await send(op, op.path, '{"name": ', json), [400]);
        expect4xx(`${label} array`, await send(op, op.path, '[1,2]', json), [400]);
        expect4xx(`${label} unknown field`, await send(op, op.path, { zzUnknown: 1 }), [400]);
        // Agent reports have a limit of their own (megabytes of software lists): there 70 kB is just invalid.
        const ownLimit = label.startsWith('POST /api/v1/agents/report');
        expect4xx(
          `${label} oversize`,
          await send(op, op.path, { name: 'x'.repeat(70_000) }),
          ownLimit ? [400] : [413],
        );
        expect4xx(
          `${label} text/plain`,
          await send(op, op.path, 'hello', { 'content-type': 'text/plain' }),
          [415],
        );
        for (const [field, schema] of Object.entries(op.body.properties ?? {})) {
          // A nullable field is `anyOf: [{ type: string }, { type: null }]`: its types are its alternatives'.
          const types = ([] as string[]).concat(
            schema.type ?? [],
            ...(schema.anyOf ?? []).map((s) => ([] as string[]).concat(s.type ?? [])),
          );
          const wrong = types.includes('string') ? 12345 : 'not the right type';
          expect4xx(`${label} ${field} wrong type`, await send(op, op.path, { [field]: wrong }), [400]);
          if (schema.maxLength) {
            expect4xx(
              `${label} ${field} overlong`,
              await send(op, op.path, { [field]: 'y'.repeat(schema.maxLength + 1) }),
              // a field allowed to be longer than this server's body limit (a CSV import) meets the limit first
              schema.maxLength >= BODY_LIMIT ? [413] : [400],
            );
          }
        }
      }
    }
    const login = { method: 'POST', path: '/api/v1/auth/login' } as Operation;
    const json = { 'content-type': 'application/json' };
    expect4xx('login malformed', await app.anonymous.req('POST', login.path, '{', json), [400]);
    expect4xx(
      'login unknown field',
      await app.anonymous.post(login.path, { email: 'a@b.co', password: 'x', admin: true }),
      [400],
    );
    expect4xx(
      'login overlong',
      await app.anonymous.post(login.path, { email: 'a@b.co', password: 'p'.repeat(600) }),
      [400],
    );
    expect4xx('bad query', await app.as(app.admin).get('/api/v1/users?limit=0'), [400]);
    expect4xx('bad query type', await app.as(app.admin).get('/api/v1/users?limit=abc'), [400]);
    expect4xx('unknown query', await app.as(app.admin).get('/api/v1/users?sneaky=1'), [400]);
    expect(failures).toEqual([]);
    await app.server.sealer.kick();
    expect(await counts(app)).toEqual(before);
  });
});
