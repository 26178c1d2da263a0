import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

/**
 * Visibility is the heart of the service desk: every route that names a ticket answers 404 to a caller who
 * may not see it, and lists, counts and searches leave it out.
 */
describe('ticket visibility on every route', () => {
  let app: TestApp;
  let requester: TestUser;
  let other: TestUser;
  let agentA: TestUser;
  let agentB: TestUser;
  let manager: TestUser;
  const t: Record<'a' | 'b' | 'none' | 'watched', { id: string }> = {} as never;

  const open = async (as: TestUser, body: Record<string, unknown>) => {
    const r = await app.as(as).post('/api/v1/tickets', { type: 'incident', ...body });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>();
  };

  beforeAll(async () => {
    app = await setup();
    [requester, other, agentA, agentB, manager] = await Promise.all([
      app.user('requester'),
      app.user('requester'),
      app.user('agent'),
      app.user('agent'),
      app.user('manager'),
    ]);
    const teamA = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Team A', memberIds: [agentA.id] })
    ).json();
    const teamB = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Team B', memberIds: [agentB.id] })
    ).json();
    t.a = await open(app.admin, {
      title: 'alpha printer zebrafish',
      requesterId: requester.id,
      teamId: teamA.id,
    });
    t.b = await open(app.admin, {
      title: 'bravo network zebrafish',
      requesterId: other.id,
      teamId: teamB.id,
    });
    t.none = await open(other, { title: 'charlie triage zebrafish' });
    t.watched = await open(app.admin, {
      title: 'delta watched zebrafish',
      requesterId: other.id,
      teamId: teamB.id,
    });
    const w = await app
      .as(app.admin)
      .post(`/api/v1/tickets/${t.watched.id}/watchers`, { userId: requester.id });
    expect(w.statusCode).toBe(200);
  });
  afterAll(async () => app.close());

  const expected = () =>
    [
      { who: 'requester', user: requester, sees: ['a', 'watched'] },
      { who: 'agent of team A', user: agentA, sees: ['a', 'none'] },
      { who: 'agent of team B', user: agentB, sees: ['b', 'none', 'watched'] },
      { who: 'manager', user: manager, sees: ['a', 'b', 'none', 'watched'] },
    ] as const;

  it('shows each caller exactly the tickets they may see in lists, counts and searches', async () => {
    for (const { who, user, sees } of expected()) {
      const want = sees.map((k) => t[k].id).sort();
      const list = await app.as(user).get('/api/v1/tickets?limit=200');
      expect(list.statusCode).toBe(200);
      expect(
        list
          .json()
          .items.map((x: { id: string }) => x.id)
          .sort(),
        who,
      ).toEqual(want);
      const count = await app.as(user).get('/api/v1/tickets/count');
      expect(count.json().count, who).toBe(want.length);
      const search = await app.as(user).get('/api/v1/tickets?q=zebrafish');
      expect(
        search
          .json()
          .items.map((x: { id: string }) => x.id)
          .sort(),
        who,
      ).toEqual(want);
      const filtered = await app.as(user).get('/api/v1/tickets/count?q=zebrafish&status=new');
      expect(filtered.json().count, who).toBe(want.length);
    }
  });

  it('answers 404 on every ticket route for a ticket the caller may not see, and writes nothing', async () => {
    const before = await app.as(manager).get('/api/v1/tickets?limit=200');
    for (const { who, user, sees } of expected()) {
      for (const key of ['a', 'b', 'none', 'watched'] as const) {
        if ((sees as readonly string[]).includes(key)) continue;
        const id = t[key].id;
        const as = app.as(user);
        const label = `${who} / ${key}`;
        const calls = [
          await as.get(`/api/v1/tickets/${id}`),
          await as.patch(`/api/v1/tickets/${id}`, { title: 'x' }, { 'if-match': '"v1"' }),
          await as.post(`/api/v1/tickets/${id}/transition`, { status: 'cancelled' }),
          await as.post(`/api/v1/tickets/${id}/comments`, { body: 'hello' }),
          await as.get(`/api/v1/tickets/${id}/timeline`),
          await as.get(`/api/v1/tickets/${id}/watchers`),
          await as.post(`/api/v1/tickets/${id}/watchers`, { userId: user.id }),
          await as.delete(`/api/v1/tickets/${id}/watchers/${user.id}`),
          await as.post(`/api/v1/tickets/${id}/confirm`, {}),
          await as.post(`/api/v1/tickets/${id}/reopen`, {}),
          await as.post('/api/v1/tickets/bulk', { ids: [id], patch: { status: 'cancelled' } }),
        ];
        expect(
          calls.map((c) => c.statusCode),
          label,
        ).toEqual(calls.map(() => 404));
        for (const c of calls) expect(c.json().code, label).toBe('not_found');
      }
    }
    const after = await app.as(manager).get('/api/v1/tickets?limit=200');
    expect(after.json()).toEqual(before.json());
  });

  it('lets callers read what they see; what they may not do there is a 403, not a 404', async () => {
    for (const { who, user, sees } of expected()) {
      for (const key of sees) {
        const id = t[key].id;
        const get = await app.as(user).get(`/api/v1/tickets/${id}`);
        expect(get.statusCode, `${who} / ${key}`).toBe(200);
        expect((await app.as(user).get(`/api/v1/tickets/${id}/timeline`)).statusCode).toBe(200);
        expect((await app.as(user).get(`/api/v1/tickets/${id}/watchers`)).statusCode).toBe(200);
      }
    }
    // The requester sees ticket a but may not change its fields, nor cancel the watched ticket of someone else.
    const patch = await app
      .as(requester)
      .patch(`/api/v1/tickets/${t.a.id}`, { title: 'mine now' }, { 'if-match': '"v1"' });
    expect(patch.statusCode).toBe(403);
    const cancel = await app
      .as(requester)
      .post(`/api/v1/tickets/${t.watched.id}/transition`, { status: 'cancelled' });
    expect(cancel.statusCode).toBe(403);
    const bulk = await app
      .as(requester)
      .post('/api/v1/tickets/bulk', { ids: [t.a.id], patch: { status: 'cancelled' } });
    expect(bulk.statusCode).toBe(403);
  });

  it('makes a ticket visible to a requester added as a watcher, and invisible again when removed', async () => {
    const x = await open(app.admin, { title: 'echo', requesterId: other.id });
    expect((await app.as(requester).get(`/api/v1/tickets/${x.id}`)).statusCode).toBe(404);
    await app.as(agentA).post(`/api/v1/tickets/${x.id}/watchers`, { userId: requester.id });
    expect((await app.as(requester).get(`/api/v1/tickets/${x.id}`)).statusCode).toBe(200);
    // A requester cannot add someone else, but may remove themselves.
    const add = await app.as(requester).post(`/api/v1/tickets/${x.id}/watchers`, { userId: other.id });
    expect(add.statusCode).toBe(403);
    expect(
      (await app.as(requester).delete(`/api/v1/tickets/${x.id}/watchers/${requester.id}`)).statusCode,
    ).toBe(204);
    expect((await app.as(requester).get(`/api/v1/tickets/${x.id}`)).statusCode).toBe(404);
  });

  it('keeps a ticket assigned to an agent in their sight after they leave its team', async () => {
    const team = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Team C', memberIds: [agentA.id] })
    ).json();
    const x = await open(app.admin, {
      title: 'golf',
      requesterId: other.id,
      teamId: team.id,
      assigneeId: agentA.id,
    });
    const y = await open(app.admin, { title: 'hotel', requesterId: other.id, teamId: team.id });
    await app.as(app.admin).patch(`/api/v1/teams/${team.id}`, { memberIds: [] }, { 'if-match': '"v1"' });
    expect((await app.as(agentA).get(`/api/v1/tickets/${x.id}`)).statusCode).toBe(200);
    expect((await app.as(agentA).get(`/api/v1/tickets/${y.id}`)).statusCode).toBe(404);
    const mine = await app.as(agentA).get('/api/v1/tickets?assignee=me');
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([x.id]);
  });

  it('moves a ticket out of an agent’s sight when it leaves their queue', async () => {
    const x = await open(app.admin, { title: 'foxtrot', requesterId: other.id });
    expect((await app.as(agentA).get(`/api/v1/tickets/${x.id}`)).statusCode).toBe(200);
    const b = (await app.as(agentB).get(`/api/v1/tickets/${t.b.id}`)).json();
    const move = await app
      .as(manager)
      .patch(`/api/v1/tickets/${x.id}`, { teamId: b.teamId }, { 'if-match': '"v1"' });
    expect(move.statusCode).toBe(200);
    expect((await app.as(agentA).get(`/api/v1/tickets/${x.id}`)).statusCode).toBe(404);
    expect((await app.as(agentB).get(`/api/v1/tickets/${x.id}`)).statusCode).toBe(200);
  });
});
