import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

interface T {
  id: string;
  number: number;
  priority: number;
  createdAt: string;
  updatedAt: string;
  status: string;
  type: string;
}

describe('finding tickets', () => {
  let app: TestApp;
  let requester: TestUser;
  let agent: TestUser;
  let team: { id: string };
  let category: { id: string };
  const made: T[] = [];

  beforeAll(async () => {
    app = await setup();
    [requester, agent] = await Promise.all([app.user('requester'), app.user('agent')]);
    team = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Search team', memberIds: [agent.id] })
    ).json();
    category = (await app.as(app.admin).post('/api/v1/categories', { name: 'Hardware' })).json();
    const types = ['incident', 'request', 'problem'];
    for (let i = 0; i < 24; i++) {
      const r = await app.as(agent).post('/api/v1/tickets', {
        type: types[i % 3],
        title: `sorting fixture ${i}`,
        requesterId: i % 4 === 0 ? requester.id : undefined,
        impact: (i % 5) + 1,
        urgency: ((i * 3) % 5) + 1,
        ...(i % 2 === 0 ? { teamId: team.id } : {}),
        ...(i % 6 === 0 ? { teamId: team.id, assigneeId: agent.id } : {}),
        ...(i % 7 === 0 ? { categoryId: category.id } : {}),
      });
      expect(r.statusCode, r.body).toBe(201);
      made.push(r.json());
    }
    // Touch some tickets so that updated order differs from created order.
    for (const t of made.filter((_, i) => i % 5 === 0)) {
      await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'touch' });
      await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, { status: 'in_progress' });
    }
  });
  afterAll(async () => app.close());

  async function all(as: TestUser, qs: string, limit: number): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const r = await app
        .as(as)
        .get(`/api/v1/tickets?${qs}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode, r.body).toBe(200);
      const page: { items: T[]; nextCursor: string | null } = r.json();
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  const SORTS = ['created', 'updated', 'priority', 'number'] as const;
  const keyOf = (t: T, sort: (typeof SORTS)[number]) =>
    sort === 'created'
      ? t.createdAt
      : sort === 'updated'
        ? t.updatedAt
        : sort === 'priority'
          ? t.priority
          : t.number;

  it.each(SORTS.flatMap((s) => [[s, 'asc'] as const, [s, 'desc'] as const]))(
    'pages by %s %s without duplicates or gaps',
    async (sort, order) => {
      const paged = await all(app.admin, `q=fixture&sort=${sort}&order=${order}`, 5);
      const whole = await all(app.admin, `q=fixture&sort=${sort}&order=${order}`, 200);
      expect(paged.map((t) => t.id)).toEqual(whole.map((t) => t.id));
      expect(new Set(paged.map((t) => t.id)).size).toBe(made.length);
      for (let i = 1; i < paged.length; i++) {
        const a = keyOf(paged[i - 1] as T, sort);
        const b = keyOf(paged[i] as T, sort);
        if (order === 'asc') expect(a <= b).toBe(true);
        else expect(a >= b).toBe(true);
      }
    },
  );

  it('refuses cursors that are not from the same list order', async () => {
    const first = (await app.as(app.admin).get('/api/v1/tickets?sort=number&limit=2')).json();
    expect(
      (await app.as(app.admin).get(`/api/v1/tickets?sort=created&limit=2&cursor=${first.nextCursor}`))
        .statusCode,
    ).toBe(400);
    expect((await app.as(app.admin).get('/api/v1/tickets?cursor=nonsense')).statusCode).toBe(400);
    expect((await app.as(app.admin).get('/api/v1/tickets?sort=relevance')).statusCode).toBe(400);
    expect((await app.as(app.admin).get('/api/v1/tickets?status=new,bogus')).statusCode).toBe(400);
    const blank = await app.as(app.admin).get('/api/v1/tickets/count?q=');
    expect(blank.json().count).toBe((await app.as(app.admin).get('/api/v1/tickets/count')).json().count);
  });

  it('filters by status, type, priority, team, assignee, category, requester and dates', async () => {
    const ids = async (qs: string) => (await all(app.admin, `q=fixture&${qs}`, 200)).map((t) => t.id).sort();
    const want = (pred: (t: T & Record<string, unknown>, i: number) => boolean) =>
      made
        .filter((t, i) => pred(t as T & Record<string, unknown>, i))
        .map((t) => t.id)
        .sort();
    const now = async () => (await all(app.admin, 'q=fixture', 200)) as (T & Record<string, unknown>)[];
    const current = await now();
    const by = (pred: (t: T & Record<string, unknown>) => boolean) =>
      current
        .filter(pred)
        .map((t) => t.id)
        .sort();
    expect(await ids('status=in_progress')).toEqual(by((t) => t.status === 'in_progress'));
    expect(await ids('status=new,assigned')).toEqual(
      by((t) => t.status === 'new' || t.status === 'assigned'),
    );
    expect(await ids('type=problem,request')).toEqual(want((t) => t.type !== 'incident'));
    expect(await ids('priority=1,5')).toEqual(by((t) => t.priority === 1 || t.priority === 5));
    expect(await ids(`teamId=${team.id}`)).toEqual(want((_, i) => i % 2 === 0));
    expect(await ids(`assignee=${agent.id}`)).toEqual(want((_, i) => i % 6 === 0));
    expect(await ids('assignee=none')).toEqual(want((_, i) => i % 6 !== 0));
    expect((await all(agent, 'q=fixture&assignee=me', 200)).map((t) => t.id).sort()).toEqual(
      want((_, i) => i % 6 === 0),
    );
    expect(await ids(`categoryId=${category.id}`)).toEqual(want((_, i) => i % 7 === 0));
    expect(await ids(`requesterId=${requester.id}`)).toEqual(want((_, i) => i % 4 === 0));
    const mid = made[12] as T;
    expect(await ids(`createdFrom=${mid.createdAt}`)).toEqual(want((_, i) => i >= 12));
    expect(await ids(`createdTo=${mid.createdAt}`)).toEqual(want((_, i) => i < 12));
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await ids(`updatedFrom=${future}`)).toEqual([]);
    expect(
      (await app.as(app.admin).get(`/api/v1/tickets/count?q=fixture&teamId=${team.id}`)).json().count,
    ).toBe(12);
  });

  it('ranks title matches above description and comment matches', async () => {
    const open = async (title: string, description = '') =>
      (await app.as(agent).post('/api/v1/tickets', { type: 'incident', title, description })).json();
    const inComment = await open('unrelated one');
    await app.as(agent).post(`/api/v1/tickets/${inComment.id}/comments`, { body: 'the kumquat is broken' });
    const inDescription = await open('unrelated two', 'a kumquat problem');
    const inTitle = await open('kumquat outage');
    const r = (await app.as(app.admin).get('/api/v1/tickets?q=kumquat')).json();
    expect(r.items.map((t: T) => t.id)).toEqual([inTitle.id, inDescription.id, inComment.id]);
    const phrase = (await app.as(app.admin).get('/api/v1/tickets?q=%22kumquat%20outage%22')).json();
    expect(phrase.items.map((t: T) => t.id)).toEqual([inTitle.id]);
    const without = (await app.as(app.admin).get('/api/v1/tickets?q=kumquat%20-outage')).json();
    expect(without.items.map((t: T) => t.id).sort()).toEqual([inDescription.id, inComment.id].sort());
    const paged = await all(app.admin, 'q=kumquat', 1);
    expect(paged.map((t) => t.id)).toEqual([inTitle.id, inDescription.id, inComment.id]);
  });

  it('never lets a requester find a ticket by a word that is only in an internal note', async () => {
    const t = (
      await app.as(requester).post('/api/v1/tickets', { type: 'incident', title: 'my laptop' })
    ).json();
    await app
      .as(agent)
      .post(`/api/v1/tickets/${t.id}/comments`, { body: 'suspect xylophonist malware', internal: true });
    await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'we are on it, glockenspiel' });
    const mine = (await app.as(requester).get('/api/v1/tickets?q=xylophonist')).json();
    expect(mine.items).toEqual([]);
    expect((await app.as(requester).get('/api/v1/tickets/count?q=xylophonist')).json().count).toBe(0);
    expect(
      (await app.as(requester).get('/api/v1/tickets?q=glockenspiel')).json().items.map((x: T) => x.id),
    ).toEqual([t.id]);
    expect(
      (await app.as(agent).get('/api/v1/tickets?q=xylophonist')).json().items.map((x: T) => x.id),
    ).toEqual([t.id]);
  });
});
