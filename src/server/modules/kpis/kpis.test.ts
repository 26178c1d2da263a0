import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_KEYS } from '../../../contracts/index.js';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { refreshSla } from '../sla/index.js';
import { dailyFromScratch, dailyStored } from './index.js';

const ALWAYS_WEEK = Array.from({ length: 7 }, () => [[0, 1440]]);
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('KPIs', () => {
  let app: TestApp;
  let mia: TestUser; // manager
  let ann: TestUser; // agent, service desk
  let bob: TestUser; // agent, operations
  let rita: TestUser; // requester
  let desk: string;
  let ops: string;
  let mail: string; // a business service
  const admin = () => app.as(app.admin);

  /** Every row of a KPI's list, page by page. */
  async function listAll(as: TestUser | { token: string }, key: string, qs: string) {
    const rows: { ref: string | null; hit: boolean | null; restricted: boolean }[] = [];
    let cursor: string | null = null;
    let total = -1;
    do {
      const url = `/api/v1/kpis/${key}/items?${qs}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await app.as(as).get(url);
      expect(r.statusCode, r.body).toBe(200);
      rows.push(...r.json().items);
      total = r.json().total;
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(rows.length).toBe(total);
    return rows;
  }

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [mia, ann, bob, rita] = await Promise.all([
      app.user('manager', { name: 'Mia Manager' }),
      app.user('agent', { name: 'Ann Agent' }),
      app.user('agent', { name: 'Bob Builder' }),
      app.user('requester', { name: 'Rita Requester' }),
    ]);
    desk = (await admin().post('/api/v1/teams', { name: 'Service desk', memberIds: [ann.id] })).json().id;
    ops = (await admin().post('/api/v1/teams', { name: 'Operations', memberIds: [bob.id] })).json().id;
    await admin().post('/api/v1/teams', { name: 'Security', memberIds: [], security: true });
    mail = (await admin().post('/api/v1/cis', { classKey: 'service', name: 'Mail' })).json().id;
    const cal = (
      await admin().post('/api/v1/sla/calendars', { name: 'Always', timezone: 'UTC', week: ALWAYS_WEEK })
    ).json().id;
    const pol = await admin().post('/api/v1/sla/policies', {
      name: 'Incidents',
      ticketType: 'incident',
      calendarId: cal,
      targets: { '3': { firstResponseMinutes: 60, resolutionMinutes: 240 } },
    });
    expect(pol.statusCode, pol.body).toBe(201);
    const open = async (title: string, extra: Record<string, unknown> = {}) => {
      const r = await app
        .as(ann)
        .post('/api/v1/tickets', { type: 'incident', title, requesterId: rita.id, teamId: desk, ...extra });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const move = (id: string, status: string) =>
      app.as(ann).post(`/api/v1/tickets/${id}/transition`, { status });
    const reply = (id: string, status?: string) =>
      app.as(ann).post(`/api/v1/tickets/${id}/comments`, { body: 'On it', ...(status ? { status } : {}) });
    // resolved at first contact, rated 5
    const t1 = await open('Printer jam', { assigneeId: ann.id, ciIds: [mail] });
    await reply(t1, 'resolved');
    await app.as(rita).post(`/api/v1/tickets/${t1}/confirm`, { rating: 5 });
    // resolved, reopened, resolved again
    const t2 = await open('VPN drops', { assigneeId: ann.id });
    await reply(t2, 'resolved');
    expect((await app.as(rita).post(`/api/v1/tickets/${t2}/reopen`, { reason: 'again' })).statusCode).toBe(
      200,
    );
    await move(t2, 'resolved');
    // moved to another team, then resolved there
    const t3 = await open('Server slow', { assigneeId: ann.id });
    await reply(t3);
    const v3 = (await app.as(ann).get(`/api/v1/tickets/${t3}`)).json().version;
    const moved = await app
      .as(ann)
      .patch(`/api/v1/tickets/${t3}`, { teamId: ops, assigneeId: bob.id }, { 'if-match': `"v${v3}"` });
    expect(moved.statusCode, moved.body).toBe(200);
    await app.as(bob).post(`/api/v1/tickets/${t3}/transition`, { status: 'resolved' });
    // open tickets: the backlog
    await open('Mail bounces', { ciIds: [mail] });
    await open('New laptop', { teamId: ops });
    const t6 = await open('Phishing?');
    expect((await admin().put(`/api/v1/tickets/${t6}/security`, { security: true })).statusCode).toBe(200);
    // cancelled
    const t7 = await open('Duplicate');
    await move(t7, 'cancelled');
    // resolved late (created two days ago): response and resolution missed, rated 2
    const t8 = await open('Disk full', { assigneeId: ann.id });
    await sql`UPDATE tickets SET created_at = now() - interval '2 days' WHERE id = ${t8}`.execute(
      app.database.db,
    );
    await app.server.ctx.tx((db) => refreshSla(db, [t8]));
    await reply(t8, 'resolved');
    await app.as(rita).post(`/api/v1/tickets/${t8}/confirm`, { rating: 2 });
  });
  afterAll(async () => app?.close());

  const period = `from=${daysAgo(30)}&to=${today}`;

  it('counts exactly the list it opens, for every KPI, filter and the hits', async () => {
    for (const key of KPI_KEYS) {
      const info = (await app.as(mia).get(`/api/v1/kpis`))
        .json()
        .items.find((k: { key: string }) => k.key === key);
      const slices = ['', ...(info.dimensions.includes('team') ? [`&teamId=${desk}`, `&teamId=${ops}`] : [])];
      if (info.dimensions.includes('service')) slices.push(`&serviceId=${mail}`);
      for (const slice of slices) {
        const qs = `${period}${slice}&granularity=week`;
        const r = await app.as(mia).get(`/api/v1/kpis/${key}?${qs}`);
        expect(r.statusCode, r.body).toBe(200);
        const k = r.json();
        expect((await listAll(mia, key, qs)).length, `${key}${slice}`).toBe(k.count);
        if (k.hits !== null) expect((await listAll(mia, key, `${qs}&hits=true`)).length).toBe(k.hits);
        // each trend point opens its own list too
        for (const p of k.trend.filter((x: { count: number }) => x.count > 0)) {
          const rows = await listAll(mia, key, `from=${p.from}&to=${p.to}${slice}`);
          expect(rows.length, `${key} ${p.from}`).toBe(p.count);
        }
      }
    }
  });

  it('measures the seeded desk as it happened', async () => {
    const get = async (key: string, extra = '') =>
      (await app.as(mia).get(`/api/v1/kpis/${key}?${period}${extra}`)).json();
    expect(await get('backlog')).toMatchObject({ value: 3, count: 3 });
    expect(await get('backlog', `&teamId=${ops}`)).toMatchObject({ value: 1 });
    expect(await get('backlog', `&serviceId=${mail}`)).toMatchObject({ value: 1 });
    // four resolved: one at first contact (t1); t2 was reopened; t3 moved teams; t8 was reassigned? no: fcr
    const fcr = await get('fcr');
    expect(fcr).toMatchObject({ count: 4, hits: 2 });
    expect(await get('reopen_rate')).toMatchObject({ count: 4, hits: 1, value: 0.25 });
    expect(await get('csat')).toMatchObject({ count: 2, value: 3.5 });
    const res = await get('sla_resolution');
    expect(res).toMatchObject({ count: 4, hits: 3, value: 0.75, met: false });
    const mttr = await get('mttr');
    expect(mttr.value).toBeGreaterThan(47 / 4);
    // the late ticket's list row carries its hours
    const rows = (await app.as(mia).get(`/api/v1/kpis/mttr/items?${period}`)).json().items;
    expect(Math.max(...rows.map((r: { measure: number }) => r.measure))).toBeGreaterThan(47);
  });

  it('shows tickets the caller may not see as restricted rows, still counted', async () => {
    // Ann works the service desk: the operations ticket and the security incident are not hers to see.
    const rows = await listAll(ann, 'backlog', period);
    expect(rows).toHaveLength(3);
    const hidden = rows.filter((r) => r.restricted);
    expect(hidden).toHaveLength(2);
    for (const r of hidden) expect(r).toMatchObject({ id: null, ref: null, title: null, restricted: true });
    expect(rows.filter((r) => !r.restricted)).toEqual([
      expect.objectContaining({ ref: expect.stringMatching(/^INC-\d+$/), title: 'Mail bounces' }),
    ]);
    expect((await listAll(mia, 'backlog', period)).filter((r) => r.restricted)).toHaveLength(1);
  });

  it('keeps the aggregates equal to a computation from scratch', async () => {
    expect(await dailyStored(app.database.db)).toEqual(await dailyFromScratch(app.database.db));
  });

  it('refuses bad input and hides KPIs from requesters', async () => {
    const bad = async (url: string, status = 400) => {
      const r = await app.as(mia).get(url);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
      return r.json();
    };
    await bad(`/api/v1/kpis/happiness?${period}`, 404);
    await bad(`/api/v1/kpis/happiness/items?${period}`, 404);
    await bad(`/api/v1/kpis/backlog?from=${today}&to=${daysAgo(3)}`);
    await bad(`/api/v1/kpis/backlog?from=2026-02-30&to=${today}`);
    await bad(`/api/v1/kpis/backlog?from=2000-01-01&to=${today}`);
    await bad(`/api/v1/kpis/backlog?from=2020-01-01&to=${today}&granularity=day`);
    await bad(`/api/v1/kpis/backlog?${period}&granularity=hour`);
    await bad(`/api/v1/kpis/backlog?${period}&teamId=nope`);
    await bad(`/api/v1/kpis/backup_success?${period}&teamId=${desk}`);
    await bad(`/api/v1/kpis/backlog/items?${period}&cursor=WzEsMl0`);
    await bad(`/api/v1/kpis/backlog?${period}&extra=1`);
    expect((await app.as(rita).get(`/api/v1/kpis`)).statusCode).toBe(404);
    expect((await app.as(rita).get(`/api/v1/kpis/backlog?${period}`)).statusCode).toBe(404);
    expect((await app.anonymous.get(`/api/v1/kpis`)).statusCode).toBe(401);
  });

  it('lets admins set targets, audited, and nobody else', async () => {
    expect((await app.as(mia).put('/api/v1/kpis/csat/target', { target: 4.5 })).statusCode).toBe(403);
    expect((await admin().put('/api/v1/kpis/fcr/target', { target: 2 })).statusCode).toBe(400);
    expect((await admin().put('/api/v1/kpis/fcr/target', { target: 'high' })).statusCode).toBe(400);
    expect((await admin().put('/api/v1/kpis/nope/target', { target: 1 })).statusCode).toBe(404);
    const set = await Promise.all(
      [3, 3.5, 4.5].map((target) => admin().put('/api/v1/kpis/csat/target', { target })),
    );
    expect(set.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const now = (await app.as(mia).get(`/api/v1/kpis/csat?${period}`)).json();
    expect([3, 3.5, 4.5]).toContain(now.target);
    const audit = (await admin().get('/api/v1/audit?entityType=kpi&entityId=csat')).json().items;
    expect(audit).toHaveLength(3);
    expect(audit[0].action).toBe('kpi.target_set');
  });
});
