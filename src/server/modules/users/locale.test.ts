import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, signIn, type TestApp } from '../../../../test/support/api.js';

/** A user's language for the web app: chosen by themselves, kept on the server, audited. */
describe('user language', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
  });
  afterAll(async () => app.close());

  const etagOf = async (id: string) =>
    (await app.as(app.admin).get(`/api/v1/users/${id}`)).headers.etag as string;

  it('follows the browser until chosen; a requester sets their own, and the session shows it', async () => {
    const u = await app.user('requester');
    const url = `/api/v1/users/${u.id}`;
    expect((await app.as(u).get(url)).json().locale).toBeNull();
    const r = await app.as(u).patch(url, { locale: 'de' }, { 'if-match': await etagOf(u.id) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ locale: 'de', version: 2 });
    const s = await signIn(app, u.email, u.password);
    const current = await app.anonymous.get('/api/v1/auth/current', { cookie: s.cookie });
    expect(current.json().session.user.locale).toBe('de');
    const entry = await app.database.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'user.updated')
      .where('entity_id', '=', u.id)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ before: { locale: null }, after: { locale: 'de' } });
    const back = await app.as(u).patch(url, { locale: null }, { 'if-match': await etagOf(u.id) });
    expect(back.json().locale).toBeNull();
  });

  it('refuses a language it does not speak, and changes nothing', async () => {
    const u = await app.user('agent');
    const url = `/api/v1/users/${u.id}`;
    for (const locale of ['fr', 'DE', 'de\u0000', 42, 'x'.repeat(5000)]) {
      const r = await app.as(u).patch(url, { locale }, { 'if-match': await etagOf(u.id) });
      expect(r.statusCode).toBe(400);
      expect(r.json().errors[0].path).toBe('body.locale');
    }
    expect((await app.as(u).get(url)).json()).toMatchObject({ locale: null, version: 1 });
  });

  it('lets nobody but an admin set someone else’s language', async () => {
    const u = await app.user('requester');
    const other = await app.user('agent');
    const r = await app
      .as(other)
      .patch(`/api/v1/users/${u.id}`, { locale: 'de' }, { 'if-match': await etagOf(u.id) });
    expect(r.statusCode).toBe(403);
    const byAdmin = await app
      .as(app.admin)
      .patch(`/api/v1/users/${u.id}`, { locale: 'de' }, { 'if-match': await etagOf(u.id) });
    expect(byAdmin.json().locale).toBe('de');
  });
});
