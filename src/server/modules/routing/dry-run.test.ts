// Testing the routing rules against a sample ticket: the same order, stop and "first setter wins" rules as
// routing a real ticket, nothing written (no ticket, no turn taken), and admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('routing rules: test against a sample ticket', () => {
  let app: TestApp;
  let agent: TestUser;
  let away: TestUser;
  let teamId: string;
  let categoryId: string;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    const admin = app.as(app.admin);
    agent = await app.user('agent');
    away = await app.user('agent');
    teamId = (await admin.post('/api/v1/teams', { name: 'Network', memberIds: [agent.id, away.id] })).json()
      .id;
    await admin.put(`/api/v1/teams/${teamId}/assignment`, { strategy: 'round_robin' });
    await admin.put(`/api/v1/users/${away.id}/away`, { away: true });
    categoryId = (await admin.post('/api/v1/categories', { name: 'Hardware' })).json().id;
    const rule = (body: object) => admin.post('/api/v1/routing-rules', body);
    expect(
      (
        await rule({
          name: 'Printers',
          conditions: [{ field: 'words', words: ['printer'] }],
          actions: { setCategory: categoryId, setPriority: 2 },
          stop: false,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await rule({
          name: 'Away agent',
          conditions: [{ field: 'words', words: ['printer'] }],
          actions: { setAgent: away.id },
          stop: false,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await rule({
          name: 'Hardware to network',
          conditions: [
            { field: 'category', in: [categoryId] },
            { field: 'type', in: ['incident'] },
          ],
          actions: { setTeam: teamId, setPriority: 4 },
        })
      ).statusCode,
    ).toBe(201);
    expect((await rule({ name: 'Never reached', actions: { setPriority: 5 } })).statusCode).toBe(201);
  });
  afterAll(async () => app?.close());

  const test = (user: { token: string }, body: unknown) =>
    app.as(user).post('/api/v1/routing-rules/test', body);

  it('reports each rule in order and the fields the ticket would end with', async () => {
    const before = await app.database.db.selectFrom('teams').select('last_assignee_id').execute();
    const r = await test(app.admin, { title: 'The printer on floor 2 jams' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.rules.map((x: { name: string; outcome: string }) => [x.name, x.outcome])).toEqual([
      ['Printers', 'matched'],
      ['Away agent', 'matched'],
      ['Hardware to network', 'matched'],
      ['Never reached', 'not_reached'],
    ]);
    expect(body.rules[1].skipped).toEqual(['agent: away, inactive or not in the team']);
    expect(body.rules[2]).toMatchObject({ conditions: [true, true], skipped: ['priority: already set'] });
    expect(body.result).toEqual({
      teamId,
      assigneeId: null,
      assignedBy: 'round_robin',
      categoryId,
      priority: 2,
      watcherIds: [],
    });
    // nothing written: no ticket, and the team's turn did not move
    expect(await app.database.db.selectFrom('tickets').select('id').execute()).toEqual([]);
    expect(await app.database.db.selectFrom('teams').select('last_assignee_id').execute()).toEqual(before);
  });

  it('shows which condition failed, and the category set on the sample counts as set by hand', async () => {
    const r = (await test(app.admin, { type: 'request', title: 'New laptop', categoryId })).json();
    expect(r.rules.map((x: { outcome: string }) => x.outcome)).toEqual([
      'no_match',
      'no_match',
      'no_match',
      'matched',
    ]);
    expect(r.rules[2].conditions).toEqual([true, false]);
    expect(r.result).toMatchObject({ categoryId, priority: 5, teamId: null, assignedBy: null });
  });

  it('is for admins only and validates the sample', async () => {
    expect((await test(agent, { title: 'printer' })).statusCode).toBe(403);
    const requester = await app.user('requester');
    expect((await test(requester, { title: 'printer' })).statusCode).toBe(404);
    const bad = await test(app.admin, { title: '', categoryId: 'nope', extra: 1 });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining([expect.stringContaining('title')]));
    expect((await test(app.admin, { title: 'a\u0000b' })).statusCode).toBe(400);
  });
});
