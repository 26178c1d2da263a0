// Hardening of sessions and transport (issue 26 item 5): signing in renews the session id (the session the
// browser came with ends), a role change ends the person's sessions, and HSTS is sent over HTTPS only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, signIn, type TestApp } from '../../../../test/support/api.js';

describe('session renewal and HSTS', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup({ STEWARD_TRUST_PROXY: 'true' });
  });
  afterAll(async () => app.close());

  const session = (cookie: string) => app.anonymous.get('/api/v1/auth/session', { cookie });

  it('ends the session a sign-in came with: the id is new and the old one is dead', async () => {
    const u = await app.user('agent');
    const first = await signIn(app, u.email, u.password);
    expect((await session(first.cookie)).statusCode).toBe(200);
    const again = await app.anonymous.post(
      '/api/v1/auth/login',
      { email: u.email, password: u.password },
      { cookie: first.cookie },
    );
    expect(again.statusCode).toBe(200);
    const renewed = again.cookies.find((c) => c.name === 'steward_session')!.value;
    expect(`steward_session=${renewed}`).not.toBe(first.cookie);
    expect((await session(first.cookie)).statusCode).toBe(401);
    expect((await session(`steward_session=${renewed}`)).statusCode).toBe(200);
    // Another browser's session is not touched by this sign-in.
    const other = await signIn(app, u.email, u.password);
    await app.anonymous.post('/api/v1/auth/login', { email: u.email, password: u.password });
    expect((await session(other.cookie)).statusCode).toBe(200);
  });

  it('ends the sessions of someone whose role changes', async () => {
    const u = await app.user('agent');
    const s = await signIn(app, u.email, u.password);
    const cur = await app.as(app.admin).get(`/api/v1/users/${u.id}`);
    const same = await app
      .as(app.admin)
      .patch(`/api/v1/users/${u.id}`, { name: 'Still an agent' }, { 'if-match': cur.headers.etag as string });
    expect(same.statusCode).toBe(200);
    expect((await session(s.cookie)).statusCode).toBe(200);
    const r = await app
      .as(app.admin)
      .patch(`/api/v1/users/${u.id}`, { role: 'manager' }, { 'if-match': same.headers.etag as string });
    expect(r.statusCode, r.body).toBe(200);
    expect((await session(s.cookie)).statusCode).toBe(401);
    const back = await signIn(app, u.email, u.password);
    expect((await session(back.cookie)).json().user.role).toBe('manager');
  });

  it('sends HSTS over HTTPS (behind a trusted proxy) and not over plain HTTP', async () => {
    const https = await app.anonymous.get('/api/health', { 'x-forwarded-proto': 'https' });
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const http = await app.anonymous.get('/api/health');
    expect(http.headers['strict-transport-security']).toBeUndefined();
  });
});
