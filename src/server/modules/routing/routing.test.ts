import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('routing rules API', () => {
  let app: TestApp;
  let agent: TestUser;
  let requester: TestUser;
  let teamId: string;
  const rulesCount = async () =>
    (await app.as(app.admin).get('/api/v1/routing-rules')).json().items.length as number;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    agent = await app.user('agent');
    requester = await app.user('requester');
    teamId = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Network', memberIds: [agent.id] })
    ).json().id;
  });
  afterAll(async () => app.close());

  it('creates, reads, updates (If-Match) and deletes a rule, auditing each', async () => {
    const admin = app.as(app.admin);
    const created = await admin.post('/api/v1/routing-rules', {
      name: 'Network words',
      conditions: [{ field: 'words', words: ['vpn', 'wifi'] }],
      actions: { setTeam: teamId },
    });
    expect(created.statusCode).toBe(201);
    const rule = created.json();
    expect(rule).toMatchObject({ position: 1, enabled: true, stop: true, version: 1 });
    expect(rule.conditions).toEqual([
      { field: 'words', words: ['vpn', 'wifi'], match: 'any', in: 'title_or_description' },
    ]);
    const url = `/api/v1/routing-rules/${rule.id}`;
    expect((await admin.patch(url, { enabled: false })).statusCode).toBe(428);
    expect((await admin.patch(url, { enabled: false }, { 'if-match': '"v9"' })).statusCode).toBe(412);
    const upd = await admin.patch(url, { enabled: false }, { 'if-match': created.headers.etag as string });
    expect(upd.statusCode).toBe(200);
    expect(upd.json()).toMatchObject({ enabled: false, version: 2 });
    expect((await app.as(agent).get(url)).json().enabled).toBe(false); // agents may read
    expect((await app.as(agent).patch(url, { enabled: true }, { 'if-match': '"v2"' })).statusCode).toBe(403);
    expect((await app.as(requester).get(url)).statusCode).toBe(404);
    expect((await app.as(requester).get('/api/v1/routing-rules')).statusCode).toBe(404);
    expect((await admin.delete(url, { 'if-match': '"v1"' })).statusCode).toBe(412);
    expect((await admin.delete(url)).statusCode).toBe(204);
    expect((await admin.get(url)).statusCode).toBe(404);
    const audit = (await admin.get(`/api/v1/audit?entityType=routing_rule&entityId=${rule.id}`)).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'routing_rule.deleted',
      'routing_rule.updated',
      'routing_rule.created',
    ]);
    expect(audit[1].after).toEqual({ enabled: false, version: 2, updatedAt: expect.any(String) });
  });

  it('refuses invalid rule bodies with a 4xx naming the field, writing nothing', async () => {
    const admin = app.as(app.admin);
    const ok = { name: 'Valid', actions: { setTeam: teamId } };
    expect((await admin.post('/api/v1/routing-rules', ok)).statusCode).toBe(201);
    const before = await rulesCount();
    const cases: [unknown, number, string][] = [
      [{ ...ok, name: 'x', extra: 1 }, 400, ''],
      [{ name: 'No actions', actions: {} }, 400, 'action'],
      [{ name: 'Bad field', conditions: [{ field: 'colour', in: ['red'] }], actions: ok.actions }, 400, ''],
      [{ name: 'Bad uuid', actions: { setTeam: 'nope' } }, 400, 'body.actions.setTeam'],
      [{ name: 'Ghost team', actions: { setTeam: randomUUID() } }, 400, 'body.actions.setTeam'],
      [
        { name: 'Ghost cat', conditions: [{ field: 'category', in: [randomUUID()] }], actions: ok.actions },
        400,
        'body.conditions.0.in',
      ],
      [
        { name: 'Asset', conditions: [{ field: 'asset', in: [randomUUID()] }], actions: ok.actions },
        400,
        'no such item',
      ],
      [{ name: 'Requester agent', actions: { setAgent: requester.id } }, 400, 'body.actions.setAgent'],
      [{ name: 'Outsider', actions: { setTeam: teamId, setAgent: app.admin.id } }, 400, 'not a member'],
      [{ name: 'Too high', actions: { setPriority: 7 } }, 400, 'setPriority'],
      [{ name: 'No words', conditions: [{ field: 'words', words: [] }], actions: ok.actions }, 400, ''],
      [{ name: 'valid', actions: ok.actions }, 409, 'name'],
      ['not json', 400, ''],
    ];
    for (const [body, status, mention] of cases) {
      const res = await admin.post(
        '/api/v1/routing-rules',
        body,
        typeof body === 'string' ? { 'content-type': 'application/json' } : {},
      );
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (mention) expect(res.body).toContain(mention);
    }
    expect(await rulesCount()).toBe(before);
  });

  it('inserts at a position and reorders; a bad order is a 400', async () => {
    const admin = app.as(app.admin);
    for (const r of (await admin.get('/api/v1/routing-rules')).json().items)
      await admin.delete(`/api/v1/routing-rules/${r.id}`);
    const mk = async (name: string, position?: number) =>
      (
        await admin.post('/api/v1/routing-rules', {
          name,
          actions: { setPriority: 2 },
          ...(position ? { position } : {}),
        })
      ).json().id as string;
    const a = await mk('A');
    const b = await mk('B');
    const c = await mk('C', 1);
    const names = async () =>
      (await admin.get('/api/v1/routing-rules'))
        .json()
        .items.map((r: { name: string; position: number }) => `${r.position}${r.name}`);
    expect(await names()).toEqual(['1C', '2A', '3B']);
    const re = await admin.req('PUT', '/api/v1/routing-rules/order', { ids: [b, a, c] });
    expect(re.statusCode).toBe(200);
    expect(await names()).toEqual(['1B', '2A', '3C']);
    expect((await admin.req('PUT', '/api/v1/routing-rules/order', { ids: [b, a] })).statusCode).toBe(400);
    expect((await admin.req('PUT', '/api/v1/routing-rules/order', { ids: [b, a, a] })).statusCode).toBe(400);
    expect(
      (await admin.req('PUT', '/api/v1/routing-rules/order', { ids: [b, a, randomUUID()] })).statusCode,
    ).toBe(400);
    expect(
      (await app.as(agent).req('PUT', '/api/v1/routing-rules/order', { ids: [a, b, c] })).statusCode,
    ).toBe(403);
    await admin.delete(`/api/v1/routing-rules/${a}`);
    expect(await names()).toEqual(['1B', '2C']);
  });

  it('lets agents mark themselves away, admins anyone; requesters cannot', async () => {
    const me = app.as(agent);
    expect((await me.get('/api/v1/users/me/away')).json()).toEqual({ away: false });
    expect((await me.req('PUT', '/api/v1/users/me/away', { away: true })).json()).toEqual({ away: true });
    expect((await app.as(app.admin).get(`/api/v1/users/${agent.id}/away`)).json()).toEqual({ away: true });
    expect((await me.req('PUT', `/api/v1/users/${app.admin.id}/away`, { away: true })).statusCode).toBe(403);
    expect((await app.as(requester).req('PUT', '/api/v1/users/me/away', { away: true })).statusCode).toBe(
      403,
    );
    expect((await app.as(requester).get(`/api/v1/users/${agent.id}/away`)).statusCode).toBe(404);
    expect((await me.req('PUT', '/api/v1/users/me/away', { away: 'yes' })).statusCode).toBe(400);
    expect(
      (await app.as(app.admin).req('PUT', `/api/v1/users/${agent.id}/away`, { away: false })).json(),
    ).toEqual({ away: false });
    expect(
      (await app.as(app.admin).req('PUT', `/api/v1/users/${randomUUID()}/away`, { away: false })).statusCode,
    ).toBe(404);
    const audit = (await app.as(app.admin).get(`/api/v1/audit?entityType=user&entityId=${agent.id}`)).json()
      .items;
    expect(audit.filter((e: { action: string }) => e.action === 'user.away_changed')).toHaveLength(2);
  });

  it('sets a team’s assignment strategy (admins)', async () => {
    const url = `/api/v1/teams/${teamId}/assignment`;
    expect((await app.as(agent).get(url)).json()).toEqual({ strategy: 'none' });
    expect((await app.as(agent).req('PUT', url, { strategy: 'round_robin' })).statusCode).toBe(403);
    expect((await app.as(app.admin).req('PUT', url, { strategy: 'lottery' })).statusCode).toBe(400);
    expect((await app.as(app.admin).req('PUT', url, { strategy: 'fewest_open' })).json()).toEqual({
      strategy: 'fewest_open',
    });
    expect(
      (await app.as(app.admin).req('PUT', `/api/v1/teams/${randomUUID()}/assignment`, { strategy: 'none' }))
        .statusCode,
    ).toBe(404);
    expect((await app.as(agent).get(url)).json()).toEqual({ strategy: 'fewest_open' });
  });
});
