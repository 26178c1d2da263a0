// The other half of route-roles.test.ts: every API route that takes an id, called by every non-admin role
// with the REAL id of someone else's resource that the role may not see (test/support/foreign-ids.ts). The
// answer is 404 — not 403, not 2xx, not a 400 or 412 that tells the id exists — and a write changes nothing:
// the owner (the admin, or whoever alone sees it) re-reads every GET route of the family before and after, and the audit trail gains no entry.
// The routes come from the server's own OpenAPI document: a route whose family has no seeded resource fails
// the coverage test below, naming it.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../test/support/api.js';
import { type Attacker, type Foreign, type Params, seedForeign } from '../../../test/support/foreign-ids.js';
import { multipart } from '../../../test/support/multipart.js';
import {
  minimalBody,
  minimalOf,
  minimalQuery,
  type OpenApiDoc,
  type Operation,
} from '../../../test/support/openapi-bodies.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Route {
  method: Method;
  path: string;
  op: Operation;
}

/**
 * Routes with a parameter that is not a resource of someone's, each with the reason. Public routes (agent
 * tokens) are out of the roles' reach altogether: backup/restores.test.ts gives one device's agent another
 * device's restore.
 */
const NOT_SOMEONES: Record<string, string> = {
  'PUT /api/v1/kb/approvers/{kind}': 'a kind of article: the same for everyone',
  'PUT /api/v1/notification-templates/{event}': 'an event name: the same for everyone',
  'GET /api/v1/kpis/{key}': 'a KPI: the same for everyone (its list follows the caller’s visibility)',
  'GET /api/v1/kpis/{key}/items': 'a KPI: the same for everyone (its list follows the caller’s visibility)',
  'PUT /api/v1/kpis/{key}/target': 'a KPI: the same for everyone',
};

const ATTACKERS: Attacker[] = ['requester', 'agent', 'manager'];

/** The family a route belongs to: the longest family key that its path starts with. */
function familyOf(path: string, keys: string[]): string | undefined {
  return keys.filter((k) => path === k || path.startsWith(`${k}/`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * The route's URL with `params`. A parameter that names no resource (an enum such as a change's risk route, a
 * step's position, a version number) takes its smallest valid value from the document.
 */
function fill(doc: OpenApiDoc, r: Route, params: Params): string | undefined {
  let missing = false;
  const url = r.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const schema = r.op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
    const fixed =
      schema && (schema.enum || schema.type === 'integer') ? String(minimalOf(doc, schema)) : undefined;
    const v = params[name] ?? fixed;
    if (v === undefined) missing = true;
    return encodeURIComponent(v ?? '');
  });
  return missing ? undefined : url;
}

describe('every route × every role × someone else’s id', () => {
  let app: TestApp;
  let doc: OpenApiDoc;
  let foreign: Foreign;
  let routes: Route[];

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    doc = (await app.anonymous.get('/api/openapi.json')).json<OpenApiDoc>();
    foreign = await seedForeign(app);
    routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/') && path.includes('{'))
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([m]) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
          .map(([m, op]) => ({ method: m.toUpperCase() as Method, path, op })),
      )
      // the agent-token routes (public to the session rules): see NOT_SOMEONES
      .filter((r) => !r.path.startsWith('/api/v1/agents/backup/'));
  }, 600_000);
  afterAll(async () => {
    foreign?.close();
    await app?.close();
  });

  const keys = () => Object.keys(foreign.families);
  const ownerOf = (family: string) => foreign.families[family]!.owner ?? app.admin;

  it('has someone else’s resource for every route that takes an id (the list comes from the server)', () => {
    expect(routes.length).toBeGreaterThan(100);
    const uncovered: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (NOT_SOMEONES[key]) continue;
      const family = familyOf(r.path, keys());
      if (!family) {
        uncovered.push(`${key}: no family in test/support/foreign-ids.ts`);
        continue;
      }
      for (const [role, list] of Object.entries(foreign.families[family]!.hidden))
        for (const p of list)
          if (!fill(doc, r, p)) uncovered.push(`${key}: ${role}'s resource lacks a parameter`);
    }
    expect(uncovered).toEqual([]);
  });

  it('seeds real ids: their owner reads every one of them', async () => {
    const missing: string[] = [];
    for (const r of routes) {
      const family = familyOf(r.path, keys());
      if (r.method !== 'GET' || !family) continue;
      for (const list of Object.values(foreign.families[family]!.hidden))
        for (const p of list) {
          const url = fill(doc, r, p);
          const res = url && (await app.as(ownerOf(family)).get(url + minimalQuery(doc, r.op, p)));
          if (res && res.statusCode === 404) missing.push(`${r.path}: ${res.body.slice(0, 120)}`);
        }
    }
    expect(missing).toEqual([]);
  });

  /** What the owner reads of a family's resource, and the audit trail's length: a write must change neither. */
  async function state(family: string, p: Params): Promise<string[]> {
    const reads = routes.filter(
      (r) =>
        r.method === 'GET' &&
        familyOf(r.path, keys()) === family &&
        !/\/(zip|file|export\.pdf)$/.test(r.path),
    );
    const out: string[] = [];
    // what a read computes at the time of reading is not a change
    const timeless = (body: string) => body.replace(/"computedAt":"[^"]*"/g, '"computedAt":"…"');
    for (const r of reads) {
      const url = fill(doc, r, p);
      if (!url) continue;
      const res = await app.as(ownerOf(family)).get(url + minimalQuery(doc, r.op, p));
      out.push(`${r.path} ${res.statusCode} ${timeless(res.body)}`);
    }
    const audit = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log`.execute(
      app.database.db,
    );
    out.push(`audit entries: ${audit.rows[0]!.n}`);
    return out;
  }

  async function attempt(r: Route, url: string, role: Attacker, family: string) {
    const user = foreign.attackers[role];
    const { json, upload } = minimalBody(doc, r.op);
    // The resource's real ETag, so that a precondition check cannot answer before the visibility check.
    const base = await app.as(ownerOf(family)).get(url.replace(/\?.*$/, ''));
    const headers = {
      authorization: `Bearer ${user.token}`,
      'if-match': (base.headers.etag as string) ?? '"1"',
    };
    const sent = await app.server.app.inject({
      method: r.method,
      url,
      headers,
      ...(json === undefined || r.method === 'GET' ? {} : { payload: json as object }),
    });
    // An upload (multipart, which the document does not describe) answers 415 to JSON: send it a file.
    if (upload || sent.statusCode === 415) {
      const m = multipart([{ name: 'file', filename: 'x.txt', type: 'text/plain', data: 'x' }]);
      return app.server.app.inject({
        method: r.method,
        url,
        headers: { ...headers, ...m.headers },
        payload: m.body,
      });
    }
    return sent;
  }

  /**
   * A 403 that the role gets for any id, existing or not (a requester may not edit any article): the role's
   * refusal, which tells nothing of this resource (README, "The API": 403 where the role sees the family but
   * may never do this); or a 400 for a body refused before any look-up. The same request with every id replaced
   * by one nobody has must answer the same.
   */
  async function refusedWhatever(
    r: Route,
    family: string,
    p: Params,
    role: Attacker,
    res: { statusCode: number; body: string },
    keep: readonly string[],
  ): Promise<boolean> {
    // a 400 too: a body refused before any look-up (the matrix's minimal body cannot meet a rule such as "change
    // at least one field") answers the same for every id, so it tells nothing either
    if (res.statusCode !== 403 && res.statusCode !== 400) return false;
    const nobodys = Object.fromEntries(
      Object.entries(p).map(([k, v]) => [
        k,
        /^[0-9a-f-]{36}$/.test(v) && !keep.includes(k) ? randomUUID() : v,
      ]),
    );
    const again = await attempt(r, fill(doc, r, nobodys)! + minimalQuery(doc, r.op, nobodys), role, family);
    return again.statusCode === res.statusCode && again.body === res.body;
  }

  it('answers 404 to every non-admin role on someone else’s resource, and a write changes nothing', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const family = familyOf(r.path, keys());
      if (NOT_SOMEONES[key] || !family) continue;
      const { hidden, crossed = {} } = foreign.families[family]!;
      const nested = (r.path.match(/\{/g) ?? []).length > 1;
      for (const role of ATTACKERS)
        for (const [p, keep] of [
          ...(hidden[role] ?? []).map((p) => [p, []] as const),
          // through the role's own parent: only the child ids are someone else's
          ...(nested ? (crossed[role] ?? []) : []).map((p) => [p, ['id']] as const),
        ]) {
          const url = fill(doc, r, p);
          if (!url) continue;
          const full = url + minimalQuery(doc, r.op, p);
          const before = r.method === 'GET' ? [] : await state(family, p);
          const res = await attempt(r, full, role, family);
          tried++;
          if (res.statusCode !== 404 && !(await refusedWhatever(r, family, p, role, res, keep)))
            wrong.push(`${role} ${key} → ${res.statusCode} ${res.body.slice(0, 160)}`);
          if (r.method !== 'GET') {
            const after = await state(family, p);
            const changed = after.filter((line, i) => line !== before[i]);
            if (changed.length) wrong.push(`${role} ${key} changed: ${changed.join(' | ').slice(0, 300)}`);
          }
        }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(300);
  }, 600_000);
});
