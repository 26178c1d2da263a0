import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, signIn, type TestApp } from '../../../../test/support/api.js';

describe('sign-in, sessions, CSRF and tokens', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup({ STEWARD_LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(async () => app.close());

  it('signs in with the right password and sets an httpOnly SameSite session cookie', async () => {
    const s = await signIn(app, app.admin.email, app.admin.password);
    expect(s.cookieAttrs.httpOnly).toBe(true);
    expect(s.cookieAttrs.sameSite).toBe('Lax');
    expect(s.cookieAttrs.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await app.anonymous.get('/api/v1/auth/session', { cookie: s.cookie });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(app.admin.email);
    expect(me.json().csrfToken).toBe(s.csrf);
  });

  it('stores only a hash of the session secret', async () => {
    const s = await signIn(app, app.admin.email, app.admin.password);
    const secret = s.cookie.split('=')[1] ?? '';
    const rows = await app.database.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.some((r) => r.id_hash === secret)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('refuses a wrong password and an unknown e-mail with the same answer', async () => {
    const a = await app.anonymous.post('/api/v1/auth/login', {
      email: app.admin.email,
      password: 'wrong password!!',
    });
    const b = await app.anonymous.post('/api/v1/auth/login', {
      email: 'nobody@example.com',
      password: 'wrong password!!',
    });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().code).toBe('invalid_credentials');
    expect(b.json().detail).toBe(a.json().detail);
  });

  it('throttles an e-mail after repeated failures, even with the right password then', async () => {
    const u = await app.user('agent');
    for (let i = 0; i < 3; i++) {
      const r = await app.anonymous.post('/api/v1/auth/login', {
        email: u.email,
        password: 'not the password',
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await app.anonymous.post('/api/v1/auth/login', { email: u.email, password: u.password });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const audit = await app.as(app.admin).get(`/api/v1/audit?action=auth.login_failed&entityId=${u.id}`);
    expect(audit.json().items.length).toBe(3);
  });

  it('requires the CSRF token on cookie-authenticated writes, but not on reads or bearer writes', async () => {
    const s = await signIn(app, app.admin.email, app.admin.password);
    const body = { name: 'CSRF team' };
    const without = await app.anonymous.post('/api/v1/teams', body, { cookie: s.cookie });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('csrf');
    const wrong = await app.anonymous.post('/api/v1/teams', body, {
      cookie: s.cookie,
      'x-csrf-token': 'x'.repeat(32),
    });
    expect(wrong.statusCode).toBe(403);
    const read = await app.anonymous.get('/api/v1/teams', { cookie: s.cookie });
    expect(read.statusCode).toBe(200);
    const ok = await app.anonymous.post('/api/v1/teams', body, { cookie: s.cookie, 'x-csrf-token': s.csrf });
    expect(ok.statusCode).toBe(201);
    const bearer = await app.as(app.admin).post('/api/v1/teams', { name: 'Bearer team' });
    expect(bearer.statusCode).toBe(201);
  });

  it('signs out: the session no longer works', async () => {
    const s = await signIn(app, app.admin.email, app.admin.password);
    const out = await app.anonymous.post('/api/v1/auth/logout', undefined, {
      cookie: s.cookie,
      'x-csrf-token': s.csrf,
    });
    expect(out.statusCode).toBe(204);
    const after = await app.anonymous.get('/api/v1/auth/session', { cookie: s.cookie });
    expect(after.statusCode).toBe(401);
  });

  it('ends sessions and refuses sign-in and tokens of a deactivated user', async () => {
    const u = await app.user('agent');
    const s = await signIn(app, u.email, u.password);
    // Used just before: a remembered resolution of the token must not outlive the deactivation.
    expect((await app.as(u).get('/api/v1/tokens')).statusCode).toBe(200);
    const cur = await app.as(app.admin).get(`/api/v1/users/${u.id}`);
    const off = await app
      .as(app.admin)
      .patch(`/api/v1/users/${u.id}`, { active: false }, { 'if-match': cur.headers.etag as string });
    expect(off.statusCode).toBe(200);
    expect((await app.anonymous.get('/api/v1/auth/session', { cookie: s.cookie })).statusCode).toBe(401);
    expect((await app.as(u).get('/api/v1/tokens')).statusCode).toBe(401);
    const again = await app.anonymous.post('/api/v1/auth/login', { email: u.email, password: u.password });
    expect(again.statusCode).toBe(401);
  });

  it('applies a role change to the user’s tokens at once', async () => {
    const u = await app.user('agent');
    expect((await app.as(u).get('/api/v1/users')).statusCode).toBe(200);
    const cur = await app.as(app.admin).get(`/api/v1/users/${u.id}`);
    const down = await app
      .as(app.admin)
      .patch(`/api/v1/users/${u.id}`, { role: 'requester' }, { 'if-match': cur.headers.etag as string });
    expect(down.statusCode).toBe(200);
    expect((await app.as(u).get('/api/v1/users')).statusCode).toBe(404);
  });

  it('ignores an identity in the request body', async () => {
    const agent = await app.user('agent');
    const r = await app.as(agent).post('/api/v1/tokens', { name: 'x', userId: app.admin.id });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].message).toContain('userId');
  });

  it('shows a token once, stores a hash, accepts it as Bearer, and stops accepting it when revoked', async () => {
    const u = await app.user('requester');
    const created = await app.as(u).post('/api/v1/tokens', { name: 'laptop' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    const list = await app.as(u).get('/api/v1/tokens');
    expect(JSON.stringify(list.json())).not.toContain(token);
    const stored = await app.database.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toBe(token);
    expect((await app.as({ token }).get('/api/v1/tokens')).statusCode).toBe(200);
    const other = await app.user('requester');
    expect((await app.as(other).delete(`/api/v1/tokens/${id}`)).statusCode).toBe(404);
    expect((await app.as(u).delete(`/api/v1/tokens/${id}`)).statusCode).toBe(204);
    expect((await app.as({ token }).get('/api/v1/tokens')).statusCode).toBe(401);
  });

  it('answers 401 for an unknown, malformed or missing credential on private routes', async () => {
    expect((await app.anonymous.get('/api/v1/users')).statusCode).toBe(401);
    expect((await app.as({ token: 'stw_abcdefgh_' + 'a'.repeat(43) }).get('/api/v1/users')).statusCode).toBe(
      401,
    );
    expect((await app.as({ token: 'garbage' }).get('/api/v1/users')).statusCode).toBe(401);
    expect(
      (await app.anonymous.get('/api/v1/users', { cookie: 'steward_session=nonsense' })).statusCode,
    ).toBe(401);
    expect((await app.anonymous.get('/api/v1/nothing-here')).statusCode).toBe(401);
  });

  it('keeps public what is declared public', async () => {
    expect((await app.anonymous.get('/api/health')).json().database.status).toBe('up');
    const doc = await app.anonymous.get('/api/openapi.json');
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toBe('3.1.0');
    expect(Object.keys(doc.json().paths)).toContain('/api/v1/users/{id}');
    expect((await app.anonymous.get('/api/docs')).statusCode).toBeLessThan(400);
  });
});
