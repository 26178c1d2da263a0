import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';

describe('users', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
  });
  afterAll(async () => app.close());

  it('creates a user and answers with the stored state, an ETag and no secret', async () => {
    const r = await app.as(app.admin).post('/api/v1/users', {
      email: '  Grace@Example.COM ',
      name: 'Grace Hopper',
      role: 'agent',
      password: 'a long enough password',
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"v1"');
    const u = r.json();
    expect(u).toMatchObject({
      email: 'grace@example.com',
      name: 'Grace Hopper',
      role: 'agent',
      active: true,
      version: 1,
    });
    expect(JSON.stringify(u)).not.toMatch(/password|scrypt/);
    const got = await app.as(app.admin).get(`/api/v1/users/${u.id}`);
    expect(got.json()).toEqual(u);
  });

  it('refuses a second account with the same e-mail in any case, and writes nothing', async () => {
    await app.as(app.admin).post('/api/v1/users', { email: 'dup@example.com', name: 'One' });
    const before = await app.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const r = await app.as(app.admin).post('/api/v1/users', { email: 'DUP@example.com', name: 'Two' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'email_taken', errors: [{ path: 'body.email' }] });
    const after = await app.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('gives per-field messages for invalid fields', async () => {
    const r = await app
      .as(app.admin)
      .post('/api/v1/users', { email: 'not-an-email', name: '', role: 'boss', password: 'short' });
    expect(r.statusCode).toBe(400);
    const paths = r
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(['body.email', 'body.name', 'body.password', 'body.role']);
  });

  it('lets requesters see only themselves: others are not found, lists are forbidden', async () => {
    const req = await app.user('requester');
    const other = await app.user('requester');
    expect((await app.as(req).get(`/api/v1/users/${req.id}`)).statusCode).toBe(200);
    expect((await app.as(req).get(`/api/v1/users/${other.id}`)).statusCode).toBe(404);
    expect((await app.as(req).get(`/api/v1/users/${app.admin.id}`)).statusCode).toBe(404);
    expect((await app.as(req).get('/api/v1/users')).statusCode).toBe(404);
    const patchOther = await app
      .as(req)
      .patch(`/api/v1/users/${other.id}`, { name: 'x' }, { 'if-match': '"v1"' });
    expect(patchOther.statusCode).toBe(404);
  });

  it('lets a user rename themselves but not change their own role', async () => {
    const u = await app.user('agent');
    const ok = await app.as(u).patch(`/api/v1/users/${u.id}`, { name: 'New Name' }, { 'if-match': '"v1"' });
    expect(ok.statusCode).toBe(200);
    const bad = await app.as(u).patch(`/api/v1/users/${u.id}`, { role: 'admin' }, { 'if-match': '"v2"' });
    expect(bad.statusCode).toBe(403);
  });

  it('requires If-Match on updates and refuses a stale one with 412', async () => {
    const u = await app.user('agent');
    const url = `/api/v1/users/${u.id}`;
    expect((await app.as(app.admin).patch(url, { name: 'A' })).statusCode).toBe(428);
    const first = await app.as(app.admin).patch(url, { name: 'A' }, { 'if-match': '"v1"' });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"v2"');
    const stale = await app.as(app.admin).patch(url, { name: 'B' }, { 'if-match': '"v1"' });
    expect(stale.statusCode).toBe(412);
    expect((await app.as(app.admin).patch(url, { name: 'B' }, { 'if-match': 'garbage' })).statusCode).toBe(
      412,
    );
    expect((await app.as(app.admin).get(url)).json().name).toBe('A');
  });

  it('keeps the last active admin', async () => {
    const cur = await app.as(app.admin).get(`/api/v1/users/${app.admin.id}`);
    const r = await app
      .as(app.admin)
      .patch(`/api/v1/users/${app.admin.id}`, { role: 'agent' }, { 'if-match': cur.headers.etag as string });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('last_admin');
  });

  it('pages through users with a cursor, in name order, without repeats', async () => {
    for (let i = 0; i < 7; i++) await app.user('agent', { name: `Pager ${String.fromCharCode(71 - i)}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `q=pager&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await app.as(app.admin).get(`/api/v1/users?${qs}`);
      expect(page.statusCode).toBe(200);
      const body = page.json<{ items: { name: string }[]; nextCursor: string | null }>();
      seen.push(...body.items.map((u) => u.name));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Pager A', 'Pager B', 'Pager C', 'Pager D', 'Pager E', 'Pager F', 'Pager G']);
    expect((await app.as(app.admin).get('/api/v1/users?cursor=%%%')).statusCode).toBe(400);
  });

  it('filters by role, team and activity', async () => {
    const team = (await app.as(app.admin).post('/api/v1/teams', { name: 'Filter team' })).json();
    const m = await app.user('manager');
    const cur = await app.as(app.admin).get(`/api/v1/users/${m.id}`);
    await app
      .as(app.admin)
      .patch(`/api/v1/users/${m.id}`, { teamIds: [team.id] }, { 'if-match': cur.headers.etag as string });
    const byTeam = await app.as(app.admin).get(`/api/v1/users?teamId=${team.id}`);
    expect(byTeam.json().items.map((u: { id: string }) => u.id)).toEqual([m.id]);
    const managers = await app.as(app.admin).get('/api/v1/users?role=manager&active=true');
    expect(managers.json().items.every((u: { role: string }) => u.role === 'manager')).toBe(true);
  });
});
