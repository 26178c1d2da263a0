import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { TICKET_STATUSES, type TicketStatus } from '../../../contracts/index.js';
import { isAllowed, priorityOf, TRANSITIONS } from './transitions.js';

/** The table of the issue, written out independently of the code, so a slip in either shows. */
const LEGAL = new Set([
  'new>assigned',
  'new>in_progress',
  'new>cancelled',
  'assigned>in_progress',
  'assigned>pending',
  'assigned>resolved',
  'assigned>cancelled',
  'in_progress>pending',
  'in_progress>resolved',
  'in_progress>cancelled',
  'pending>in_progress',
  'pending>resolved',
  'pending>cancelled',
  'resolved>closed',
  'resolved>in_progress',
]);
const PAIRS = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.map((to) => [from, to] as const));

describe('the ticket state machine (pure)', () => {
  it.each(PAIRS)('%s -> %s', (from, to) => {
    expect(isAllowed(from, to)).toBe(LEGAL.has(`${from}>${to}`));
  });
  it('lets every open status be cancelled and keeps final statuses final', () => {
    for (const s of ['new', 'assigned', 'in_progress', 'pending'] as const)
      expect(TRANSITIONS[s]).toContain('cancelled');
    expect(TRANSITIONS.closed).toEqual([]);
    expect(TRANSITIONS.cancelled).toEqual([]);
  });
  it('reads priority from matrix[urgency-1][impact-1]', () => {
    const m = [
      [1, 1, 2, 2, 2],
      [1, 2, 2, 3, 3],
      [2, 2, 3, 4, 4],
      [2, 3, 4, 4, 5],
      [2, 3, 4, 5, 5],
    ];
    expect(priorityOf(m, 1, 1)).toBe(1);
    expect(priorityOf(m, 5, 5)).toBe(5);
    expect(priorityOf(m, 4, 2)).toBe(3);
    expect(priorityOf(m, 2, 4)).toBe(3);
    expect(priorityOf(m, 3, 5)).toBe(4);
  });
});

/** Every (from, to) pair through the API: legal moves succeed, illegal ones are 409 naming the allowed moves. */
describe('the ticket state machine (API)', () => {
  let app: TestApp;
  let agent: TestUser;
  const PATHS: Record<TicketStatus, { status: string; pendingReason?: string }[]> = {
    new: [],
    assigned: [],
    in_progress: [{ status: 'in_progress' }],
    pending: [{ status: 'in_progress' }, { status: 'pending', pendingReason: 'vendor' }],
    resolved: [{ status: 'in_progress' }, { status: 'resolved' }],
    closed: [{ status: 'in_progress' }, { status: 'resolved' }, { status: 'closed' }],
    cancelled: [{ status: 'cancelled' }],
  };
  beforeAll(async () => {
    app = await setup();
    agent = await app.user('agent');
  });
  afterAll(async () => app.close());

  async function reach(from: TicketStatus): Promise<string> {
    const body = {
      type: 'incident',
      title: `from ${from}`,
      ...(from === 'new' ? {} : { assigneeId: agent.id }),
    };
    const t = (await app.as(agent).post('/api/v1/tickets', body)).json();
    for (const step of PATHS[from]) {
      const r = await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, step);
      expect(r.statusCode, r.body).toBe(200);
    }
    const now = (await app.as(agent).get(`/api/v1/tickets/${t.id}`)).json();
    expect(now.status).toBe(from);
    return t.id as string;
  }

  it.each(PAIRS)('%s -> %s', async (from, to) => {
    const id = await reach(from);
    const r = await app.as(agent).post(`/api/v1/tickets/${id}/transition`, {
      status: to,
      ...(to === 'pending' ? { pendingReason: 'requester' } : {}),
    });
    if (from === 'new' && to === 'assigned') {
      // Legal in the table, but an assigned ticket needs an assignee.
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('assignee_required');
    } else if (from === 'pending' && to === 'pending') {
      // Not a move: a pending ticket may change whom it waits for.
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().pendingReason).toBe('requester');
    } else if (LEGAL.has(`${from}>${to}`)) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().status).toBe(to);
    } else {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().code).toBe('illegal_transition');
      const allowed = TRANSITIONS[from];
      expect(r.json().detail).toContain(allowed.length > 0 ? allowed.join(', ') : 'none');
      expect((await app.as(agent).get(`/api/v1/tickets/${id}`)).json().status).toBe(from);
    }
  });

  it('sets and clears the lifecycle timestamps and the pending reason', async () => {
    const id = await reach('pending');
    const pending = (await app.as(agent).get(`/api/v1/tickets/${id}`)).json();
    expect(pending.pendingReason).toBe('vendor');
    const noReason = await app
      .as(agent)
      .post(`/api/v1/tickets/${id}/transition`, { status: 'in_progress', pendingReason: 'vendor' });
    expect(noReason.statusCode).toBe(400);
    const resolved = (
      await app.as(agent).post(`/api/v1/tickets/${id}/transition`, { status: 'resolved' })
    ).json();
    expect(resolved.pendingReason).toBeNull();
    expect(resolved.resolvedAt).not.toBeNull();
    const reopened = (
      await app.as(agent).post(`/api/v1/tickets/${id}/transition`, { status: 'in_progress' })
    ).json();
    expect(reopened.resolvedAt).toBeNull();
    await app.as(agent).post(`/api/v1/tickets/${id}/transition`, { status: 'resolved' });
    const closed = (
      await app.as(agent).post(`/api/v1/tickets/${id}/transition`, { status: 'closed' })
    ).json();
    expect(closed.closedAt).not.toBeNull();
    const missing = await app
      .as(agent)
      .post(`/api/v1/tickets/${await reach('in_progress')}/transition`, { status: 'pending' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe('body.pendingReason');
  });

  it('moves a new ticket to assigned when someone is assigned', async () => {
    const id = await reach('new');
    const r = await app
      .as(agent)
      .patch(`/api/v1/tickets/${id}`, { assigneeId: agent.id }, { 'if-match': '"v1"' });
    expect(r.json()).toMatchObject({ status: 'assigned', assigneeId: agent.id });
  });
});
