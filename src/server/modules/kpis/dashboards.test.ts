import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('dashboards', () => {
  let app: TestApp;
  let mia: TestUser; // manager
  let ann: TestUser; // agent in the service desk
  let bob: TestUser; // agent
  let rita: TestUser; // requester
  let desk: string;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [mia, ann, bob, rita] = await Promise.all([
      app.user('manager', { name: 'Mia Manager' }),
      app.user('agent', { name: 'Ann Agent' }),
      app.user('agent', { name: 'Bob Builder' }),
      app.user('requester', { name: 'Rita Requester' }),
    ]);
    desk = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Service desk', memberIds: [ann.id] })
    ).json().id;
  });
  afterAll(async () => app?.close());

  const cards = [
    { kind: 'kpi', kpi: 'backlog', teamId: 'mine' },
    { kind: 'chart', kpi: 'sla_resolution', period: 'last_12_months', granularity: 'month' },
    { kind: 'list', kpi: 'open_exposure' },
  ];

  it('offers the defaults for the service-desk manager, the IT manager and an agent', async () => {
    const list = (await app.as(ann).get('/api/v1/dashboards')).json().items;
    expect(list.map((d: { preset: string }) => d.preset)).toEqual(['desk_manager', 'it_manager', 'agent']);
    const mine = (await app.as(ann).get('/api/v1/dashboards/preset-agent')).json();
    // "mine" is the viewer's team; the period is days ending today
    expect(mine.cards[0]).toMatchObject({
      teamId: 'mine',
      resolvedTeamId: desk,
      to: new Date().toISOString().slice(0, 10),
    });
    expect((await app.as(ann).get('/api/v1/dashboards/preset-boss')).statusCode).toBe(404);
    expect((await app.as(rita).get('/api/v1/dashboards')).statusCode).toBe(404);
  });

  it('keeps a personal dashboard private: 404 for everyone else, forged ids too', async () => {
    const r = await app.as(ann).post('/api/v1/dashboards', { name: 'My morning', cards });
    expect(r.statusCode, r.body).toBe(201);
    const d = r.json();
    expect(d).toMatchObject({ name: 'My morning', shared: false, mine: true, owner: { name: 'Ann Agent' } });
    expect(d.cards.map((c: { period: string }) => c.period)).toEqual([
      'last_30_days',
      'last_12_months',
      'last_30_days',
    ]);
    for (const who of [bob, mia, app.admin]) {
      expect((await app.as(who).get(`/api/v1/dashboards/${d.id}`)).statusCode).toBe(404);
      expect(
        (
          await app
            .as(who)
            .put(`/api/v1/dashboards/${d.id}`, { name: 'x', cards: [] }, { 'if-match': '"v1"' })
        ).statusCode,
      ).toBe(404);
      expect((await app.as(who).delete(`/api/v1/dashboards/${d.id}`)).statusCode).toBe(404);
      const theirs = (await app.as(who).get('/api/v1/dashboards')).json().items;
      expect(theirs.map((x: { id: string }) => x.id)).not.toContain(d.id);
    }
    expect(
      (await app.as(bob).get('/api/v1/dashboards/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await app.as(bob).get('/api/v1/dashboards/not-an-id')).statusCode).toBe(400); // malformed: 400
    expect((await app.as(bob).delete('/api/v1/dashboards/preset-agent')).statusCode).toBe(404);
    // changes need the current version; a stale one is refused
    const url = `/api/v1/dashboards/${d.id}`;
    expect((await app.as(ann).put(url, { name: 'Later', cards })).statusCode).toBe(428);
    const ok = await app
      .as(ann)
      .put(url, { name: 'Later', cards: cards.slice(0, 1) }, { 'if-match': '"v1"' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Later', version: 2 });
    expect((await app.as(ann).put(url, { name: 'Stale', cards }, { 'if-match': '"v1"' })).statusCode).toBe(
      412,
    );
    expect((await app.as(ann).delete(url)).statusCode).toBe(204);
    expect((await app.as(ann).get(url)).statusCode).toBe(404);
    const audit = (await app.as(app.admin).get(`/api/v1/audit?entityType=dashboard&entityId=${d.id}`)).json()
      .items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'dashboard.deleted',
      'dashboard.updated',
      'dashboard.created',
    ]);
  });

  it('shares with its filters kept; only managers and admins share; only the owner changes it', async () => {
    const filtered = [
      { kind: 'kpi', kpi: 'sla_resolution', teamId: desk, period: 'last_90_days', granularity: 'week' },
    ];
    expect(
      (await app.as(ann).post('/api/v1/dashboards', { name: 'Ours', shared: true, cards: filtered }))
        .statusCode,
    ).toBe(403);
    const r = await app
      .as(mia)
      .post('/api/v1/dashboards', { name: 'Desk weekly', shared: true, cards: filtered });
    expect(r.statusCode, r.body).toBe(201);
    const seen = (await app.as(bob).get(`/api/v1/dashboards/${r.json().id}`)).json();
    expect(seen).toMatchObject({ shared: true, mine: false, owner: { name: 'Mia Manager' } });
    expect(seen.cards[0]).toMatchObject({
      kpi: 'sla_resolution',
      teamId: desk,
      period: 'last_90_days',
      granularity: 'week',
    });
    const put = await app
      .as(bob)
      .put(`/api/v1/dashboards/${r.json().id}`, { name: 'Mine now', cards: [] }, { 'if-match': '"v1"' });
    expect(put.statusCode).toBe(403);
    expect((await app.as(bob).delete(`/api/v1/dashboards/${r.json().id}`)).statusCode).toBe(403);
  });

  it('refuses cards that do not fit their KPI and other bad input, writing nothing', async () => {
    const bad = async (body: unknown) => {
      const r = await app.as(ann).post('/api/v1/dashboards', body);
      expect(r.statusCode, r.body).toBe(400);
    };
    await bad({ name: 'x', cards: [{ kind: 'kpi', kpi: 'happiness' }] });
    await bad({ name: 'x', cards: [{ kind: 'kpi', kpi: 'backup_success', teamId: desk }] });
    await bad({
      name: 'x',
      cards: [{ kind: 'kpi', kpi: 'backlog', period: 'last_12_months', granularity: 'hour' }],
    });
    await bad({ name: 'x', cards: [{ kind: 'pie', kpi: 'backlog' }] });
    await bad({ name: 'x', cards: [{ kind: 'kpi', kpi: 'backlog', teamId: 'yours' }] });
    await bad({ name: '', cards: [] });
    await bad({ name: 'x', cards: [], owner: mia.id });
    await bad({ name: 'x\u0000', cards: [] });
    const mine = (await app.as(ann).get('/api/v1/dashboards'))
      .json()
      .items.filter((d: { mine: boolean }) => d.mine);
    expect(mine).toEqual([]);
  });

  it('saves concurrent edits one at a time: one wins, the others are stale', async () => {
    const d = (await app.as(ann).post('/api/v1/dashboards', { name: 'Race', cards })).json();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.as(ann).put(`/api/v1/dashboards/${d.id}`, { name: `Race ${i}`, cards }, { 'if-match': '"v1"' }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 412)).toHaveLength(19);
    expect((await app.as(ann).get(`/api/v1/dashboards/${d.id}`)).json().version).toBe(2);
  });
});
