// Every registered API route (read from the server's own OpenAPI document, so a new route is covered without
// editing this file) answered for every role, by the one documented rule (README, "The API"; permissions.ts):
// anonymous callers get 401 on every private route; what a role may not see is 404, never 403, lists
// included; 403 only where the role sees the resource family but may not do this; nothing is a 5xx.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../test/support/api.js';

/**
 * Routes that declare `public: true`: sign-in, health, and the agent's own (agent token) routes. The backup
 * endpoint's restic routes are public too (agent token), but hidden from the OpenAPI document.
 */
const PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/current',
  'POST /api/v1/auth/forgot-password',
  'POST /api/v1/auth/set-password',
  'GET /api/v1/setup',
  'POST /api/v1/setup/admin',
  'GET /api/health',
  'POST /api/v1/agents/enrol',
  'POST /api/v1/agents/report',
  'GET /api/v1/agents/backup',
  'POST /api/v1/agents/backup/runs',
  'POST /api/v1/agents/backup/changes',
  'POST /api/v1/agents/backup/progress',
  'POST /api/v1/agents/backup/restores/claim',
  'POST /api/v1/agents/backup/restores/{id}/progress',
  'POST /api/v1/agents/backup/restores/{id}/finish',
]);

/**
 * Path prefixes whose resources a role may not see at all: it must never learn more than a 404 there (the
 * caller's own `/api/v1/users/me/…` excepted).
 */
const HIDDEN: Record<'requester' | 'agent', readonly string[]> = {
  requester: [
    '/api/v1/users',
    '/api/v1/teams',
    '/api/v1/audit',
    '/api/v1/admin',
    '/api/v1/routing',
    '/api/v1/sla',
    '/api/v1/settings',
    '/api/v1/mail',
    '/api/v1/ci-classes',
    '/api/v1/licences',
    '/api/v1/agents',
    '/api/v1/enrolment',
    '/api/v1/dr',
    // change management: /changes, /change-templates, /change-windows, /change-approval-routes, /change-calendar
    '/api/v1/change',
    '/api/v1/macros',
    '/api/v1/compliance',
  ],
  agent: ['/api/v1/audit', '/api/v1/admin'],
};

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Streams that never end on their own (server-sent events): an injected request would wait for ever. Their
 * 401 for anonymous callers is checked below like every route's; who hears what is live/live.test.ts.
 */
const STREAMS = new Set(['GET /api/v1/events']);

describe('every route × every role', () => {
  let app: TestApp;
  let requester: TestUser;
  let agent: TestUser;
  let routes: { method: Method; path: string; url: string }[];

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [requester, agent] = await Promise.all([app.user('requester'), app.user('agent')]);
    const doc = (await app.anonymous.get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
          .map((m) => ({
            method: m.toUpperCase() as Method,
            path,
            // a parameter is an id nobody has: the answer must not depend on what exists
            url: path.replace(/\{[^}]+\}/g, (p) => (/id\}$/i.test(p) ? randomUUID() : 'nothing-here')),
          })),
      );
  });
  afterAll(async () => app.close());

  it('covers the whole API (the list comes from the server, not from this file)', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.some((r) => r.path === '/api/v1/users' && r.method === 'GET')).toBe(true);
  });

  it('answers anonymous callers 401 on every private route', async () => {
    for (const r of routes) {
      if (PUBLIC.has(`${r.method} ${r.path}`)) continue;
      const res = await app.anonymous.req(r.method, r.url, r.method === 'GET' ? undefined : {});
      expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('answers 404, never 403, where a role may not see; no role ever gets a 5xx', async () => {
    const roles = [
      ['requester', requester],
      ['agent', agent],
      ['admin', app.admin],
    ] as const;
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (PUBLIC.has(key) || STREAMS.has(key) || r.path === '/api/v1/auth/logout') continue;
      for (const [role, user] of roles) {
        // If-Match so that updates get past the precondition check to the permission check
        const res = await app
          .as(user)
          .req(r.method, r.url, r.method === 'GET' ? undefined : {}, { 'if-match': '"0"' });
        const what = `${role} ${r.method} ${r.path}: ${res.body.slice(0, 200)}`;
        expect(res.statusCode, what).toBeLessThan(500);
        if (role === 'admin') expect(res.statusCode, what).not.toBe(403);
        else if (HIDDEN[role].some((p) => r.path.startsWith(p)) && !r.path.startsWith('/api/v1/users/me/')) {
          // a list or anything else: 404 (a body that fails validation may still be a 400 first)
          expect([400, 404], what).toContain(res.statusCode);
        }
      }
    }
  });
});
