import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { createCtx } from '../../platform/context.js';
import { recomputeAll } from './index.js';

const MIN = 60_000;
const ALWAYS_WEEK = Array.from({ length: 7 }, () => [[0, 1440]]);
// One working hour a weekday: 240 business minutes take four working days, so the due time moves whatever
// the time of day the test runs at.
const SHORT_WEEK = [[], [[540, 600]], [[540, 600]], [[540, 600]], [[540, 600]], [[540, 600]], []];

describe('SLA calendars, policies and ticket clocks', () => {
  let app: TestApp;
  let agent: TestUser;
  let requester: TestUser;
  let team: { id: string };
  let calendar: { id: string; version: number };

  beforeAll(async () => {
    app = await setup();
    [agent, requester] = await Promise.all([app.user('agent'), app.user('requester')]);
    team = (await app.as(app.admin).post('/api/v1/teams', { name: 'Desk', memberIds: [agent.id] })).json();
  });
  afterAll(async () => app.close());

  const admin = () => app.as(app.admin);
  const open = async (body: Record<string, unknown> = {}) =>
    (
      await app.as(agent).post('/api/v1/tickets', {
        type: 'incident',
        title: 'Mail is down',
        teamId: team.id,
        requesterId: requester.id,
        ...body,
      })
    ).json();
  const listItem = async (id: string) => {
    const page = (await app.as(agent).get('/api/v1/tickets?limit=100')).json();
    return page.items.find((t: { id: string }) => t.id === id);
  };

  it('lets admins manage calendars, with clear errors for bad ones', async () => {
    const bad = await admin().post('/api/v1/sla/calendars', {
      name: 'Nowhere',
      timezone: 'Mars/Olympus',
      week: ALWAYS_WEEK,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.timezone');
    const empty = await admin().post('/api/v1/sla/calendars', {
      name: 'Never',
      timezone: 'UTC',
      week: Array.from({ length: 7 }, () => []),
    });
    expect(empty.statusCode).toBe(400);
    const overlap = await admin().post('/api/v1/sla/calendars', {
      name: 'Overlap',
      timezone: 'UTC',
      week: [
        [
          [60, 120],
          [100, 200],
        ],
        [],
        [],
        [],
        [],
        [],
        [],
      ],
    });
    expect(overlap.statusCode).toBe(400);
    expect(
      (await app.as(agent).post('/api/v1/sla/calendars', { name: 'x', timezone: 'UTC', week: ALWAYS_WEEK }))
        .statusCode,
    ).toBe(403);
    const r = await admin().post('/api/v1/sla/calendars', {
      name: 'Round the clock',
      timezone: 'UTC',
      week: ALWAYS_WEEK,
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"v1"');
    calendar = r.json();
    const dup = await admin().post('/api/v1/sla/calendars', {
      name: 'round THE clock',
      timezone: 'UTC',
      week: ALWAYS_WEEK,
    });
    expect(dup.statusCode).toBe(409);
    expect((await app.as(agent).get(`/api/v1/sla/calendars/${calendar.id}`)).statusCode).toBe(200);
    expect((await app.as(requester).get('/api/v1/sla/calendars')).statusCode).toBe(404);
    const noMatch = await admin().patch(`/api/v1/sla/calendars/${calendar.id}`, { name: 'x' });
    expect(noMatch.statusCode).toBe(428);
    const stale = await admin().patch(
      `/api/v1/sla/calendars/${calendar.id}`,
      { name: 'x' },
      { 'if-match': '"v9"' },
    );
    expect(stale.statusCode).toBe(412);
    const audit = (await admin().get(`/api/v1/audit?entityType=sla_calendar&entityId=${calendar.id}`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['sla.calendar_created']);
  });

  it('lets admins define one enabled policy per ticket type', async () => {
    const unknownCal = await admin().post('/api/v1/sla/policies', {
      name: 'Incidents',
      ticketType: 'incident',
      calendarId: '00000000-0000-4000-8000-000000000000',
      targets: { '3': { firstResponseMinutes: 60, resolutionMinutes: 240 } },
    });
    expect(unknownCal.statusCode).toBe(400);
    const badShare = await admin().post('/api/v1/sla/policies', {
      name: 'Incidents',
      ticketType: 'incident',
      calendarId: calendar.id,
      targets: { '3': { firstResponseMinutes: 60, resolutionMinutes: 240 } },
      warnShare: 1.5,
    });
    expect(badShare.statusCode).toBe(400);
    const p = await admin().post('/api/v1/sla/policies', {
      name: 'Incidents',
      ticketType: 'incident',
      calendarId: calendar.id,
      targets: {
        '3': { firstResponseMinutes: 60, resolutionMinutes: 240 },
        '5': { firstResponseMinutes: 15, resolutionMinutes: 60 },
      },
    });
    expect(p.statusCode).toBe(201);
    expect(p.json()).toMatchObject({ warnShare: 0.75, pauseOn: ['requester', 'vendor'], enabled: true });
    const second = await admin().post('/api/v1/sla/policies', {
      name: 'Incidents again',
      ticketType: 'incident',
      calendarId: calendar.id,
      targets: { '3': { firstResponseMinutes: 60, resolutionMinutes: 240 } },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('type_taken');
    const inUse = await admin().delete(`/api/v1/sla/calendars/${calendar.id}`);
    expect(inUse.statusCode).toBe(409);
    // A policy change queues one recompute of the live tickets.
    const jobs = await sql<{ n: string }>`SELECT count(*)::text AS n FROM jobs WHERE name = 'sla.recompute'
      AND state = 'pending'`.execute(app.database.db);
    expect(Number(jobs.rows[0]!.n)).toBeGreaterThanOrEqual(1);
  });

  it('shows due times from the policy and pauses while pending on the requester', async () => {
    const t = await open();
    const item = await listItem(t.id);
    const created = Date.parse(t.createdAt);
    expect(item.sla.resolutionState).toBe('running');
    expect(Math.abs(Date.parse(item.sla.resolutionDueAt) - (created + 240 * MIN))).toBeLessThan(2);
    expect(Math.abs(Date.parse(item.sla.responseDueAt) - (created + 60 * MIN))).toBeLessThan(2);
    const clocks = (await app.as(agent).get(`/api/v1/tickets/${t.id}/sla`)).json();
    expect(clocks).toMatchObject({
      policy: { name: 'Incidents' },
      calendar: { name: 'Round the clock', timezone: 'UTC' },
      firstResponse: { state: 'running', targetMinutes: 60 },
      resolution: { state: 'running', targetMinutes: 240 },
    });
    // Requesters do not see SLA clocks at all (404, as for everything of a kind a role cannot see); strangers
    // cannot learn the ticket exists.
    expect((await app.as(requester).get(`/api/v1/tickets/${t.id}/sla`)).statusCode).toBe(404);
    const stranger = await app.user('requester');
    expect((await app.as(stranger).get(`/api/v1/tickets/${t.id}/sla`)).statusCode).toBe(404);

    // Pending on the requester pauses the resolution clock: no due time while paused.
    const assigned = await app
      .as(agent)
      .patch(`/api/v1/tickets/${t.id}`, { assigneeId: agent.id }, { 'if-match': `"v${t.version}"` });
    expect(assigned.statusCode).toBe(200);
    await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, { status: 'in_progress' });
    await app
      .as(agent)
      .post(`/api/v1/tickets/${t.id}/transition`, { status: 'pending', pendingReason: 'requester' });
    const paused = await listItem(t.id);
    expect(paused.sla.resolutionState).toBe('paused');
    expect(paused.sla.resolutionDueAt).toBeNull();
    const filtered = (await app.as(agent).get('/api/v1/tickets?sla=paused')).json();
    expect(filtered.items.map((x: { id: string }) => x.id)).toEqual([t.id]);

    // The requester's reply resumes it; the due time moves by the paused time.
    const reply = await app.as(requester).post(`/api/v1/tickets/${t.id}/comments`, { body: 'here you go' });
    expect(reply.statusCode).toBe(201);
    const resumed = await listItem(t.id);
    expect(resumed.status).toBe('in_progress');
    expect(resumed.sla.resolutionState).toBe('running');
    expect(Date.parse(resumed.sla.resolutionDueAt)).toBeGreaterThan(created + 240 * MIN);
  });

  it('answers the first response clock with the first public agent reply', async () => {
    const t = await open();
    await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'note', internal: true });
    expect((await listItem(t.id)).sla.responseState).toBe('running');
    await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'On it.' });
    const item = await listItem(t.id);
    expect(item.sla.responseState).toBe('met');
    expect(item.sla.responseDueAt).toBeNull();
  });

  it('recomputes the due time at once when the priority changes', async () => {
    const t = await open({ impact: 3, urgency: 3 });
    expect(t.priority).toBe(3);
    const r = await app
      .as(agent)
      .patch(`/api/v1/tickets/${t.id}`, { priorityOverride: 5 }, { 'if-match': `"v${t.version}"` });
    expect(r.statusCode).toBe(200);
    const item = await listItem(t.id);
    expect(
      Math.abs(Date.parse(item.sla.resolutionDueAt) - (Date.parse(t.createdAt) + 60 * MIN)),
    ).toBeLessThan(2);
  });

  it('sorts and filters by due time', async () => {
    const asc = (await app.as(agent).get('/api/v1/tickets?sort=resolution_due&order=asc&limit=2')).json();
    const all = (await app.as(agent).get('/api/v1/tickets?sort=resolution_due&order=asc&limit=100')).json();
    const dues = all.items.map(
      (x: { sla: { resolutionDueAt: string | null } | null }) => x.sla?.resolutionDueAt ?? null,
    );
    const real = dues.filter((d: string | null) => d !== null);
    expect(real).toEqual([...real].sort());
    // Tickets without a due time come last.
    expect(dues.slice(real.length).every((d: string | null) => d === null)).toBe(true);
    // Keyset pages join up exactly.
    const next = (
      await app
        .as(agent)
        .get(`/api/v1/tickets?sort=resolution_due&order=asc&limit=100&cursor=${asc.nextCursor}`)
    ).json();
    expect([...asc.items, ...next.items].map((x: { id: string }) => x.id)).toEqual(
      all.items.map((x: { id: string }) => x.id),
    );
    const soon = new Date(Date.now() + 90 * MIN).toISOString();
    const due = (await app.as(agent).get(`/api/v1/tickets?dueBefore=${encodeURIComponent(soon)}`)).json();
    // Only the priority-5 ticket's resolution (60 min) and the open response clocks (60 min) fall before it.
    for (const x of due.items) {
      const d = [x.sla.responseDueAt, x.sla.resolutionDueAt]
        .filter(Boolean)
        .map((s: string) => Date.parse(s));
      expect(Math.min(...d)).toBeLessThan(Date.parse(soon));
    }
    expect(due.items.length).toBeGreaterThan(0);
    const count = (await app.as(agent).get(`/api/v1/tickets/count?sla=paused`)).json();
    expect(count.count).toBe(0);
  });

  it('recomputes live tickets when a calendar changes', async () => {
    const t = await open();
    const before = await listItem(t.id);
    const cal = (await admin().get(`/api/v1/sla/calendars/${calendar.id}`)).json();
    const r = await admin().patch(
      `/api/v1/sla/calendars/${calendar.id}`,
      { timezone: 'Europe/Berlin', week: SHORT_WEEK },
      { 'if-match': `"v${cal.version}"` },
    );
    expect(r.statusCode).toBe(200);
    const n = await recomputeAll(
      createCtx(app.database.db, () => undefined),
      null,
    );
    expect(n).toBeGreaterThan(0);
    const after = await listItem(t.id);
    expect(after.sla.resolutionDueAt).not.toBe(before.sla.resolutionDueAt);
    const clocks = (await app.as(agent).get(`/api/v1/tickets/${t.id}/sla`)).json();
    // 240 business minutes at one hour a weekday, Berlin time: due in a working hour, days later.
    const due = new Date(clocks.resolution.dueAt);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(due);
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) (09:\d\d|10:00)$/);
    expect(due.getTime() - Date.parse(t.createdAt)).toBeGreaterThan(3 * 86_400_000);
    expect(Date.parse(after.sla.resolutionDueAt)).toBe(due.getTime());
  });
});
