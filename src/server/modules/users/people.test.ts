import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('the staff directory (GET /api/v1/people)', () => {
  let app: TestApp;
  let rita: TestUser;
  let gone: TestUser;
  beforeAll(async () => {
    app = await setup();
    rita = await app.user('requester', { name: 'Rita Requester' });
    await app.user('agent', { name: 'Ritchie Blackmore' });
    await app.user('manager', { name: 'Marguerite Duras' });
    await app.user('agent', { name: 'Hank Hardware' });
    gone = await app.user('agent', { name: 'Rita Gone' });
    const u = (await app.as(app.admin).get(`/api/v1/users/${gone.id}`)).json();
    const off = await app
      .as(app.admin)
      .patch(`/api/v1/users/${gone.id}`, { active: false }, { 'if-match': `"v${u.version}"` });
    expect(off.statusCode, off.body).toBe(200);
  });
  afterAll(async () => app.close());

  it('lets a requester find active colleagues by part of the name, the best matches first, name and e-mail only', async () => {
    const r = await app.as(rita).get('/api/v1/people?q=rit');
    expect(r.statusCode, r.body).toBe(200);
    const items = r.json().items as Record<string, unknown>[];
    expect(items.map((p) => p.name)).toEqual(['Rita Requester', 'Ritchie Blackmore', 'Marguerite Duras']);
    for (const p of items) expect(Object.keys(p).sort()).toEqual(['email', 'id', 'name']);
    const byMail = (await app.as(rita).get(`/api/v1/people?q=${encodeURIComponent(rita.email)}`)).json();
    expect(byMail.items).toEqual([{ id: rita.id, name: 'Rita Requester', email: rita.email }]);
    expect((await app.as(rita).get('/api/v1/people?q=rit&limit=1')).json().items).toHaveLength(1);
    // a LIKE wildcard is a character, not a pattern
    expect((await app.as(rita).get('/api/v1/people?q=%25%25')).json().items).toEqual([]);
  });

  it('refuses bad queries with the parameter named, and strangers', async () => {
    for (const qs of [
      '',
      'q=r',
      'q=%20r%20',
      'q=a%00b',
      `q=${'x'.repeat(101)}`,
      'q=rit&limit=21',
      'q=rit&x=1',
    ]) {
      const r = await app.as(rita).get(`/api/v1/people?${qs}`);
      expect(r.statusCode, qs).toBe(400);
    }
    const nul = await app.as(rita).get('/api/v1/people?q=a%00b');
    expect(JSON.stringify(nul.json().errors)).toContain('query.q');
    expect((await app.anonymous.get('/api/v1/people?q=rit')).statusCode).toBe(401);
  });
});
