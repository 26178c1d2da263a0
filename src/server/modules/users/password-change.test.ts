import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, signIn, type TestApp } from '../../../../test/support/api.js';

/** Changing passwords: the current one for one's own, the policy everywhere, sessions and tokens after. */
describe('password changes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
  });
  afterAll(async () => app.close());

  const etagOf = async (id: string) =>
    (await app.as(app.admin).get(`/api/v1/users/${id}`)).headers.etag as string;

  it('needs the current password to change one’s own, and changes nothing without it', async () => {
    const u = await app.user('agent');
    const url = `/api/v1/users/${u.id}`;
    const none = await app
      .as(u)
      .patch(url, { password: 'a brand new secret 42' }, { 'if-match': await etagOf(u.id) });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors).toEqual([
      { path: 'body.currentPassword', message: 'enter your current password' },
    ]);
    const wrong = await app
      .as(u)
      .patch(
        url,
        { password: 'a brand new secret 42', currentPassword: 'not it at all' },
        { 'if-match': await etagOf(u.id) },
      );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('body.currentPassword');
    await signIn(app, u.email, u.password);
    expect((await app.as(app.admin).get(url)).json().version).toBe(1);
  });

  it('ends the user’s other sessions but keeps the one it was changed from; tokens stay unless asked', async () => {
    const u = await app.user('requester');
    const here = await signIn(app, u.email, u.password);
    const elsewhere = await signIn(app, u.email, u.password);
    const r = await app.anonymous.patch(
      `/api/v1/users/${u.id}`,
      { password: 'a brand new secret 42', currentPassword: u.password },
      { cookie: here.cookie, 'x-csrf-token': here.csrf, 'if-match': await etagOf(u.id) },
    );
    expect(r.statusCode).toBe(200);
    expect((await app.anonymous.get('/api/v1/auth/session', { cookie: here.cookie })).statusCode).toBe(200);
    expect((await app.anonymous.get('/api/v1/auth/session', { cookie: elsewhere.cookie })).statusCode).toBe(
      401,
    );
    expect((await app.as(u).get('/api/v1/tokens')).statusCode).toBe(200);
    await signIn(app, u.email, 'a brand new secret 42');
  });

  it('revokes the user’s API tokens too when asked, audited', async () => {
    const u = await app.user('agent');
    const second = (await app.as(u).post('/api/v1/tokens', { name: 'laptop' })).json<{ token: string }>();
    const r = await app
      .as(u)
      .patch(
        `/api/v1/users/${u.id}`,
        { password: 'a brand new secret 42', currentPassword: u.password, revokeTokens: true },
        { 'if-match': await etagOf(u.id) },
      );
    expect(r.statusCode).toBe(200);
    expect((await app.as(u).get('/api/v1/tokens')).statusCode).toBe(401);
    expect((await app.as(second).get('/api/v1/tokens')).statusCode).toBe(401);
    const audit = await app.as(app.admin).get('/api/v1/audit?action=token.revoked&limit=200');
    expect(audit.json().items.length).toBeGreaterThanOrEqual(2);
  });

  it('lets an admin reset someone else’s password without theirs, ending all their sessions', async () => {
    const u = await app.user('agent');
    const s = await signIn(app, u.email, u.password);
    const r = await app
      .as(app.admin)
      .patch(
        `/api/v1/users/${u.id}`,
        { password: 'a brand new secret 42' },
        { 'if-match': await etagOf(u.id) },
      );
    expect(r.statusCode).toBe(200);
    expect((await app.anonymous.get('/api/v1/auth/session', { cookie: s.cookie })).statusCode).toBe(401);
    await signIn(app, u.email, 'a brand new secret 42');
  });

  it('refuses common, repeated and personal passwords wherever a password is set, writing nothing', async () => {
    const created = await app
      .as(app.admin)
      .post('/api/v1/users', { email: 'weak@example.com', name: 'Weak One', password: 'Password2024!' });
    expect(created.statusCode).toBe(400);
    expect(created.json().errors).toEqual([
      { path: 'body.password', message: 'is one of the most common passwords' },
    ]);
    expect((await app.as(app.admin).get('/api/v1/users?q=weak@example.com')).json().items).toEqual([]);
    const u = await app.user('agent', { name: 'Grace Hopper' });
    const reset = await app
      .as(app.admin)
      .patch(`/api/v1/users/${u.id}`, { password: 'abcabcabcabc' }, { 'if-match': await etagOf(u.id) });
    expect(reset.statusCode).toBe(400);
    const own = await app
      .as(u)
      .patch(
        `/api/v1/users/${u.id}`,
        { password: 'Grace Hopper 1906', currentPassword: u.password },
        { 'if-match': await etagOf(u.id) },
      );
    expect(own.statusCode).toBe(400);
    expect(own.json().errors[0]).toEqual({
      path: 'body.password',
      message: 'is built from your e-mail address or name',
    });
    await signIn(app, u.email, u.password);
  });

  it('takes the current password and the token choice only with a new password', async () => {
    const u = await app.user('agent');
    const r = await app
      .as(u)
      .patch(
        `/api/v1/users/${u.id}`,
        { name: 'Renamed', revokeTokens: true },
        { 'if-match': await etagOf(u.id) },
      );
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('body.revokeTokens');
  });
});
