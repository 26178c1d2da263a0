import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../test/support/api.js';
import { findBadText, parseQuery } from './wellformed.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface Route {
  method: Method;
  /** The registered path, with `:name` parameters and `*` wildcards. */
  path: string;
}

/**
 * Every route of the fully wired server, from Fastify's own route tree (`printRoutes`), so a route added
 * without an OpenAPI entry is probed too. Each line is `<indent>├── <segment> (METHODS)`, four characters of
 * indent per level; a route's path is its ancestors' segments joined.
 */
function routesOf(tree: string): Route[] {
  const prefix: string[] = [];
  const out: Route[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    prefix.length = depth;
    prefix.push(m[2] ?? '');
    for (const method of (m[3] ?? '').split(', ')) {
      if (method === 'HEAD' || method === '' || method === 'OPTIONS') continue;
      out.push({ method: method as Method, path: prefix.join('') });
    }
  }
  return out;
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
}

const UUID = '00000000-0000-4000-8000-000000000000';
/** What a bad value looks like in a URL (percent-encoded) and in JSON text (escaped). */
const BAD_URL = ['a%00b', '%00', 'a%ED%A0%80b', '%ED%B0%80', 'a%FFb', '100%'];
const BAD_JSON = ['"a\\u0000b"', '"\\ud800"', '"a\\udc00b"', '"\\ude00\\ud83d"'];

describe('malformed text at the edge', () => {
  let app: TestApp;
  let routes: Route[];
  let doc: OpenApi;
  let misprinted: string[];
  beforeAll(async () => {
    app = await setup();
    const fastify = app.server.app;
    const printed = routesOf(fastify.printRoutes({ commonPrefix: false }));
    routes = printed.filter((r) => fastify.hasRoute({ method: r.method, url: r.path }));
    misprinted = printed.filter((r) => !routes.includes(r)).map((r) => `${r.method} ${r.path}`);
    // find-my-way prints the docs' static wildcard without its `static/` segment.
    routes.push({ method: 'GET', path: '/api/docs/static/*' });
    doc = (await app.anonymous.get('/api/openapi.json')).json<OpenApi>();
  });
  afterAll(async () => app.close());

  /** The OpenAPI entry of a route, if it has one (`:id` there is `{id}`). */
  const opOf = (r: Route) => doc.paths[r.path.replace(/:(\w+)/gu, '{$1}')]?.[r.method.toLowerCase()];
  const withParams = (path: string, value: (name: string) => string) =>
    path.replace(/:(\w+)/gu, (_, name: string) => value(name)).replace(/\*$/u, 'x');

  it('finds every route', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(misprinted).toEqual(['GET /api/docs/*']);
    expect(app.server.app.hasRoute({ method: 'GET', url: '/api/docs/static/*' })).toBe(true);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/v1/agents/enrolment-tokens' });
    expect(routes).toContainEqual({ method: 'DELETE', path: '/api/v1/tickets/:id/watchers/:userId' });
  });

  it('answers NUL, lone surrogates and undecodable text in params, query and body with 400, never 5xx', async () => {
    const failures: string[] = [];
    let probes = 0;
    const probe = async (what: string, url: string, payload?: string | Buffer, type = 'application/json') => {
      probes++;
      const headers: Record<string, string> = { 'if-match': '"v1"' };
      if (payload !== undefined) headers['content-type'] = type;
      const r = await app.as(app.admin).req(what.split(' ')[0] as Method, url, payload, headers);
      const problem = String(r.headers['content-type']).startsWith('application/problem+json');
      if (r.statusCode !== 400 || !problem)
        failures.push(`${what} ${url}: ${r.statusCode} ${r.body.slice(0, 100).replace(/\s+/gu, ' ')}`);
    };
    for (const r of routes) {
      const op = opOf(r);
      const at = `${r.method} ${r.path}`;
      const url = withParams(r.path, () => UUID);
      for (const name of r.path.match(/:\w+/gu) ?? []) {
        for (const bad of BAD_URL) {
          await probe(
            `${at} param`,
            withParams(r.path, (n) => (`:${n}` === name ? bad : UUID)),
          );
        }
      }
      const keys = new Set([
        'q',
        ...(op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      ]);
      for (const key of keys) {
        for (const bad of BAD_URL) await probe(`${at} query`, `${url}?${key}=${bad}`);
      }
      await probe(`${at} query key`, `${url}?a%00=1`);
      if (r.method === 'GET' || r.method === 'DELETE') continue;
      // The backup endpoint's uploads are bytes (restic's files), not text: a NUL there is data.
      if (r.path.startsWith('/api/v1/backup/devices/')) continue;
      const schema = op?.requestBody?.content['application/json']?.schema;
      for (const field of ['name', ...Object.keys(schema?.properties ?? {})]) {
        for (const bad of BAD_JSON) await probe(`${at} body`, url, `{"${field}":${bad}}`);
        await probe(`${at} body nested`, url, `{"${field}":{"deep":[1,${BAD_JSON[1]}]}}`);
        await probe(`${at} body bytes`, url, Buffer.from(`{"${field}":"a\xffb"}`, 'latin1'));
      }
      await probe(`${at} body key`, url, '{"a\\u0000":1}');
    }
    // A CSV the import would take (a dry run) but for the one bad character.
    const csv = '/api/v1/cis/import?dryRun=true';
    await probe('POST csv', csv, 'class,name\nlaptop,a\u0000b', 'text/csv');
    await probe('POST csv bytes', csv, Buffer.from('class,name\nlaptop,a\xffb', 'latin1'), 'text/csv');
    expect(failures).toEqual([]);
    expect(probes).toBeGreaterThan(1000);
  });

  it('keeps well-formed text, astral characters included', async () => {
    const created = await app.as(app.admin).post('/api/v1/teams', { name: 'Équipe 😀 ü' });
    expect(created.statusCode).toBe(201);
    const found = await app.as(app.admin).get(`/api/v1/teams?q=${encodeURIComponent('😀 ü')}`);
    expect(found.json<{ items: { name: string }[] }>().items.map((t) => t.name)).toEqual(['Équipe 😀 ü']);
    const bad = await app.as(app.admin).get('/api/v1/teams?q=a%00');
    expect(bad.json()).toMatchObject({ code: 'invalid_text', errors: [{ path: 'query.q' }] });
  });
});

describe('text checks', () => {
  it('names the first bad string or key, and walks deep bodies without recursion', () => {
    expect(findBadText({ a: ['ok', { b: 'x\u0000' }] }, 'body')).toBe('body.a.1.b');
    expect(findBadText({ ['k\uD800']: 1 }, 'body')).toBe('body');
    expect(findBadText({ a: '\uD83D\uDE00', b: ['é'] }, 'body')).toBeUndefined();
    let deep: unknown = '\uDC00';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findBadText(deep, 'body')).toMatch(/^body(\.0)+$/u);
    // A body that is a stream (the backup endpoint's uploads) is not walked: its object graph has cycles.
    const stream = new PassThrough();
    expect(findBadText(stream, 'body')).toBeUndefined();
    expect(findBadText(Buffer.from('a\u0000b'), 'body')).toBeUndefined();
  });

  it('parses a query like Fastify and marks undecodable pairs', () => {
    expect({ ...parseQuery('a=1&b=x+y&a=2&c&d=%C3%A9') }).toEqual({ a: ['1', '2'], b: 'x y', c: '', d: 'é' });
    expect(Object.getOwnPropertySymbols(parseQuery('a=%FF'))).toHaveLength(1);
    expect(Object.getOwnPropertySymbols(parseQuery('a=%E2%82%AC'))).toHaveLength(0);
  });
});
