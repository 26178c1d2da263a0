import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('routing a new ticket', () => {
  let app: TestApp;
  let agents: TestUser[];
  let requester: TestUser;
  let net: string;
  let desk: string;
  let hardware: string;
  let printers: string;

  const admin = () => app.as(app.admin);
  const rule = async (body: Record<string, unknown>) => {
    const res = await admin().post('/api/v1/routing-rules', body);
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().id as string;
  };
  const open = async (body: Record<string, unknown>, as: TestUser = requester) => {
    const res = await app.as(as).post('/api/v1/tickets', { type: 'incident', title: 'Something', ...body });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json();
  };
  const routingEvents = async (id: string) =>
    (await admin().get(`/api/v1/tickets/${id}/timeline?limit=200`))
      .json()
      .items.filter((i: { kind: string }) => i.kind === 'routing')
      .map((i: { to: { ruleName: string; changes: Record<string, unknown>; skipped?: string[] } }) => i.to);
  const strategy = (team: string, s: string) =>
    admin().req('PUT', `/api/v1/teams/${team}/assignment`, { strategy: s });

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    agents = [await app.user('agent'), await app.user('agent'), await app.user('agent')];
    requester = await app.user('requester');
    const team = async (name: string, memberIds: string[]) =>
      (await admin().post('/api/v1/teams', { name, memberIds })).json().id as string;
    net = await team(
      'Network',
      agents.map((a) => a.id),
    );
    desk = await team('Desk', [requester.id]);
    hardware = (await admin().post('/api/v1/categories', { name: 'Hardware' })).json().id;
    printers = (await admin().post('/api/v1/categories', { name: 'Printers', parentId: hardware })).json().id;
  });
  afterAll(async () => app.close());
  beforeEach(async () => {
    for (const r of (await admin().get('/api/v1/routing-rules')).json().items)
      await admin().delete(`/api/v1/routing-rules/${r.id}`);
    await strategy(net, 'none');
    for (const a of agents) await admin().req('PUT', `/api/v1/users/${a.id}/away`, { away: false });
  });

  it('evaluates rules in order: the first match wins unless it lets evaluation go on', async () => {
    const words = await rule({
      name: 'VPN',
      conditions: [{ field: 'words', words: ['vpn'] }],
      actions: { setTeam: net },
    });
    const incidents = await rule({
      name: 'Incidents',
      conditions: [{ field: 'type', in: ['incident'] }],
      actions: { setTeam: desk, setPriority: 5 },
    });
    let t = await open({ title: 'VPN is down' });
    expect(t).toMatchObject({ teamId: net, priority: 3, priorityOverridden: false });
    expect(await routingEvents(t.id)).toEqual([{ ruleId: words, ruleName: 'VPN', changes: { teamId: net } }]);

    await admin().req('PUT', '/api/v1/routing-rules/order', { ids: [incidents, words] });
    t = await open({ title: 'VPN is down' });
    expect(t).toMatchObject({ teamId: desk, priority: 5, priorityOverridden: true });

    await admin().req('PUT', '/api/v1/routing-rules/order', { ids: [words, incidents] });
    const etag = (await admin().get(`/api/v1/routing-rules/${words}`)).headers.etag as string;
    expect(
      (await admin().patch(`/api/v1/routing-rules/${words}`, { stop: false }, { 'if-match': etag }))
        .statusCode,
    ).toBe(200);
    t = await open({ title: 'VPN is down' });
    // both apply: the team stays the first rule's, the priority comes from the second
    expect(t).toMatchObject({ teamId: net, priority: 5 });
    expect((await routingEvents(t.id)).map((e: { ruleName: string }) => e.ruleName)).toEqual([
      'VPN',
      'Incidents',
    ]);
    // a ticket nothing matches is left alone, without routing events
    t = await open({ type: 'request', title: 'New chair' });
    expect(t.teamId).toBeNull();
    expect(await routingEvents(t.id)).toEqual([]);
  });

  it('matches each condition type', async () => {
    await rule({
      name: 'Problems',
      conditions: [{ field: 'type', in: ['problem'] }],
      actions: { setPriority: 4 },
    });
    await rule({
      name: 'Hardware tree',
      conditions: [{ field: 'category', in: [hardware] }],
      actions: { setPriority: 2 },
    });
    await rule({
      name: 'Hardware itself',
      position: 1,
      conditions: [
        { field: 'category', in: [hardware], includeSubcategories: false },
        { field: 'type', in: ['request'] },
      ],
      actions: { setPriority: 1 },
    });
    await rule({
      name: 'Both words in the description',
      conditions: [{ field: 'words', words: ['disk', 'full'], match: 'all', in: 'description' }],
      actions: { setPriority: 5 },
    });
    await rule({
      name: 'Desk people',
      conditions: [{ field: 'requesterTeam', in: [desk] }],
      actions: { setTeam: net },
    });
    const p = (b: Record<string, unknown>, as?: TestUser) => open(b, as).then((t) => t.priority as number);
    expect(await p({ type: 'problem' }, agents[0])).toBe(4);
    expect(await p({ categoryId: printers }, agents[0])).toBe(2); // subcategory
    expect(await p({ type: 'request', categoryId: printers }, agents[0])).toBe(2); // not Hardware itself: the tree
    expect(await p({ type: 'request', categoryId: hardware }, agents[0])).toBe(1); // Hardware itself, first
    expect(await p({ description: 'The DISK is Full again' }, agents[0])).toBe(5);
    expect(await p({ description: 'disks fully used' }, agents[0])).toBe(3); // whole words only
    expect(await p({ title: 'disk full', description: 'nothing' }, agents[0])).toBe(3); // description only
    const mine = await open({ title: 'Help' }); // the requester is in Desk
    expect(mine.teamId).toBe(net);
    expect((await open({ title: 'Help' }, agents[1])).teamId).toBeNull();
  });

  it('assigns round-robin inside the team, fairly, skipping agents marked away', async () => {
    await strategy(net, 'round_robin');
    await rule({ name: 'All to network', actions: { setTeam: net } });
    const ids = [...agents.map((a) => a.id)].sort();
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push((await open({ title: `t${i}` })).assigneeId);
    expect(got).toEqual([...ids, ...ids]);
    const t = await open({ title: 'status' });
    expect(t.status).toBe('assigned');
    expect((await routingEvents(t.id))[0].changes).toMatchObject({
      teamId: net,
      assignedBy: 'round_robin',
      status: 'assigned',
    });

    const away = agents.find((a) => a.id === ids[2]) as TestUser;
    await app.as(away).req('PUT', '/api/v1/users/me/away', { away: true });
    const later: string[] = [];
    for (let i = 0; i < 4; i++) later.push((await open({ title: `u${i}` })).assigneeId);
    expect(later).not.toContain(away.id);
    expect(later.filter((x) => x === ids[0])).toHaveLength(2);
    expect(later.filter((x) => x === ids[1])).toHaveLength(2);

    for (const a of agents) await app.as(a).req('PUT', '/api/v1/users/me/away', { away: true });
    const nobody = await open({ title: 'everyone away' });
    expect(nobody).toMatchObject({ teamId: net, assigneeId: null, status: 'new' });
  });

  it('keeps round-robin fair when tickets arrive at the same moment', async () => {
    await strategy(net, 'round_robin');
    await rule({ name: 'All to network', actions: { setTeam: net } });
    const burst = await Promise.all(Array.from({ length: 9 }, (_, i) => open({ title: `burst ${i}` })));
    const per = new Map<string, number>();
    for (const t of burst) per.set(t.assigneeId, (per.get(t.assigneeId) ?? 0) + 1);
    expect([...per.values()]).toEqual([3, 3, 3]);
  });

  it('assigns to the member with the fewest open tickets', async () => {
    await strategy(net, 'fewest_open');
    await rule({ name: 'All to network', actions: { setTeam: net } });
    const open0 = async () =>
      Object.fromEntries(
        (
          await sql<{ id: string; n: number }>`
            select u.id, (select count(*)::int from tickets t where t.assignee_id = u.id and t.status not in ('resolved','closed','cancelled')) as n
            from users u where u.id = any(${agents.map((a) => a.id)}::uuid[])`.execute(app.database.db)
        ).rows.map((r) => [r.id, r.n]),
      ) as Record<string, number>;
    for (let i = 0; i < 5; i++) {
      const before = await open0();
      const min = Math.min(...Object.values(before));
      const t = await open({ title: `f${i}` });
      expect(before[t.assigneeId]).toBe(min);
    }
    const counts = Object.values(await open0());
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('never overrides what the creator set, and skips stale or unavailable targets with a note', async () => {
    await rule({
      name: 'Everything',
      stop: false,
      actions: { setTeam: net, setCategory: hardware, addWatchers: [agents[2]?.id ?? ''] },
    });
    const t = await open({ title: 'Routed by hand', teamId: desk, categoryId: printers }, agents[0]);
    expect(t).toMatchObject({ teamId: desk, categoryId: printers });
    expect((await routingEvents(t.id))[0].changes).toEqual({ watcherIds: [agents[2]?.id] });
    const watchers = await sql`select user_id from ticket_watchers where ticket_id = ${t.id}`.execute(
      app.database.db,
    );
    expect(watchers.rows).toEqual([{ user_id: agents[2]?.id }]);

    await rule({ name: 'Agent zero', actions: { setAgent: agents[0]?.id ?? '' } });
    await app.as(agents[0] as TestUser).req('PUT', '/api/v1/users/me/away', { away: true });
    const skipped = await open({ title: 'x' });
    expect(skipped.assigneeId).toBeNull();
    expect((await routingEvents(skipped.id))[1].skipped).toEqual([expect.stringContaining('away')]);

    const doomed = (await admin().post('/api/v1/teams', { name: 'Doomed' })).json().id;
    await rule({ name: 'To doomed', position: 1, stop: false, actions: { setTeam: doomed } });
    await admin().delete(`/api/v1/teams/${doomed}`);
    const still = await open({ title: 'y' });
    expect(still.teamId).toBe(net); // 'Everything' (stop: false) filled it after the skipped action
    expect((await routingEvents(still.id))[0]).toMatchObject({
      ruleName: 'To doomed',
      skipped: [expect.stringContaining('no longer exists')],
    });
  });

  it('rolls the creation back as a whole when routing fails in the database', async () => {
    await rule({ name: 'All to network', actions: { setTeam: net } });
    const db = app.database.db;
    await sql`create function refuse_routing() returns trigger language plpgsql as $$
      begin if new.kind = 'routing' then raise exception 'routing storage broken'; end if; return new; end $$`.execute(
      db,
    );
    await sql`create trigger refuse_routing before insert on ticket_events for each row execute function refuse_routing()`.execute(
      db,
    );
    const count = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from tickets`.execute(db)).rows[0]?.n);
    const before = await count();
    try {
      const res = await app.as(requester).post('/api/v1/tickets', { type: 'incident', title: 'half made?' });
      expect(res.statusCode).toBe(500);
      expect(await count()).toBe(before);
    } finally {
      await sql`drop trigger refuse_routing on ticket_events`.execute(db);
      await sql`drop function refuse_routing()`.execute(db);
    }
    const ok = await open({ title: 'after repair' });
    expect(ok.teamId).toBe(net);
    const audit = (await admin().get(`/api/v1/audit?entityType=ticket&entityId=${ok.id}`)).json().items;
    expect(audit[0]).toMatchObject({
      action: 'ticket.opened',
      after: expect.objectContaining({ teamId: net }),
    });
  });
});
