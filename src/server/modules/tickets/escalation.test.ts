import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { escalateDue } from './escalation.service.js';

const MIN = 60_000;

describe('SLA escalation', () => {
  let app: TestApp;
  let agent: TestUser;
  let lead: TestUser;
  let requester: TestUser;
  let desk: { id: string };
  let tier2: { id: string };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [agent, lead, requester] = await Promise.all([
      app.user('agent'),
      app.user('agent'),
      app.user('requester'),
    ]);
    desk = (await app.as(app.admin).post('/api/v1/teams', { name: 'Desk', memberIds: [agent.id] })).json();
    tier2 = (await app.as(app.admin).post('/api/v1/teams', { name: 'Tier 2', memberIds: [lead.id] })).json();
    const cal = (
      await app.as(app.admin).post('/api/v1/sla/calendars', {
        name: '24x7',
        timezone: 'UTC',
        week: Array.from({ length: 7 }, () => [[0, 1440]]),
      })
    ).json();
    const policy = await app.as(app.admin).post('/api/v1/sla/policies', {
      name: 'Incidents',
      ticketType: 'incident',
      calendarId: cal.id,
      targets: { '3': { firstResponseMinutes: null, resolutionMinutes: 100 } },
      warningActions: [{ kind: 'notify', to: ['assignee', lead.id] }],
      breachActions: [
        { kind: 'raise_priority', by: 1 },
        { kind: 'reassign', teamId: tier2.id, assigneeId: lead.id },
        { kind: 'notify', to: ['team'] },
      ],
    });
    expect(policy.statusCode).toBe(201);
  });
  afterAll(async () => app.close());

  const events = async (u: TestUser, ticketId: string) =>
    (await app.as(u).get('/api/v1/notifications'))
      .json()
      .items.filter((n: { ticketId: string }) => n.ticketId === ticketId)
      .map((n: { event: string }) => n.event);

  it('warns at 75 % and escalates at the breach, each once', async () => {
    const t = (
      await app.as(agent).post('/api/v1/tickets', {
        type: 'incident',
        title: 'Payroll export fails',
        teamId: desk.id,
        assigneeId: agent.id,
        requesterId: requester.id,
      })
    ).json();
    const created = Date.parse(t.createdAt);
    // Before the warning: nothing to do.
    expect(await escalateDue(app.server.ctx, new Date(created + 70 * MIN))).toBe(0);
    // At 75 of 100 minutes: the warning, once.
    expect(await escalateDue(app.server.ctx, new Date(created + 76 * MIN))).toBe(1);
    expect(await escalateDue(app.server.ctx, new Date(created + 77 * MIN))).toBe(0);
    expect(await events(agent, t.id)).toEqual(['sla_warning']);
    expect(await events(lead, t.id)).toEqual(['sla_warning']);
    const warn = (await app.as(agent).get('/api/v1/notifications')).json().items[0];
    expect(warn.title).toBe(`[${t.key}] SLA warning (resolution): Payroll export fails`);
    // the priority in the words every page uses
    expect(warn.body).toContain('P3 · Medium, assigned.');
    // At the breach: priority raised, handed to tier 2, tier 2 told.
    expect(await escalateDue(app.server.ctx, new Date(created + 101 * MIN))).toBe(1);
    const after = (await app.as(app.admin).get(`/api/v1/tickets/${t.id}`)).json();
    expect(after).toMatchObject({
      priority: 4,
      priorityOverridden: true,
      teamId: tier2.id,
      assigneeId: lead.id,
    });
    expect(await events(lead, t.id)).toEqual(['sla_breach', 'assigned', 'sla_warning']);
    expect(await escalateDue(app.server.ctx, new Date(created + 200 * MIN))).toBe(0);
    // The timeline shows what the SLA did, to agents only.
    const timeline = (await app.as(app.admin).get(`/api/v1/tickets/${t.id}/timeline?limit=100`)).json();
    const sla = timeline.items.filter((e: { kind: string }) => e.kind === 'sla');
    expect(sla.map((e: { to: { step: string } }) => e.to.step)).toEqual([
      'resolution_warning',
      'resolution_breach',
    ]);
    // In words people read: names of those really told, the team's name, the priority's label.
    expect(sla.map((e: { to: { actions: string[] } }) => e.to.actions)).toEqual([
      [`notified ${[agent.name, lead.name].sort().join(', ')}`],
      ['priority raised to P2 · High', 'reassigned to Tier 2', `notified ${lead.name}`],
    ]);
    const seenByRequester = (
      await app.as(requester).get(`/api/v1/tickets/${t.id}/timeline?limit=100`)
    ).json();
    expect(seenByRequester.items.some((e: { kind: string }) => e.kind === 'sla')).toBe(false);
  });

  it('does not escalate a paused clock, and escalates once it runs out after resuming', async () => {
    const t = (
      await app.as(agent).post('/api/v1/tickets', {
        type: 'incident',
        title: 'Laptop screen flickers',
        teamId: desk.id,
        assigneeId: agent.id,
        requesterId: requester.id,
      })
    ).json();
    await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, { status: 'in_progress' });
    await app
      .as(agent)
      .post(`/api/v1/tickets/${t.id}/transition`, { status: 'pending', pendingReason: 'vendor' });
    const created = Date.parse(t.createdAt);
    expect(await escalateDue(app.server.ctx, new Date(created + 500 * MIN))).toBe(0);
    expect(await events(agent, t.id)).not.toContain('sla_warning');
  });

  it('names only who was really told: no assignee is nobody', async () => {
    const t = (
      await app
        .as(agent)
        .post('/api/v1/tickets', { type: 'incident', title: 'Nobody on it', teamId: desk.id })
    ).json();
    expect(await escalateDue(app.server.ctx, new Date(Date.parse(t.createdAt) + 76 * MIN))).toBe(1);
    const timeline = (await app.as(app.admin).get(`/api/v1/tickets/${t.id}/timeline?limit=100`)).json();
    const sla = timeline.items.filter((e: { kind: string }) => e.kind === 'sla');
    expect(sla.map((e: { to: { actions: string[] } }) => e.to.actions)).toEqual([[`notified ${lead.name}`]]);
  });
});
