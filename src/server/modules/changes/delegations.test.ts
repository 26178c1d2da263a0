import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

const H = 3_600_000;
const BASE = Date.parse('2033-07-04T00:00:00Z');
const at = (h: number) => new Date(BASE + h * H).toISOString();

/**
 * Approval delegation while away: the delegate votes in the approver's place during the period only, the vote
 * is the approver's (one per approver and level, whoever casts it, decided once among parallel votes), names
 * the delegate and is audited; people delegate their own approvals, admins anyone's.
 */
describe('approval delegation', () => {
  let app: TestApp;
  let agent: TestUser;
  let approvers: TestUser[];
  let deputy: TestUser;
  let outsider: TestUser;
  let team: string;
  const admin = () => app.as(app.admin);
  const vote = (id: string, u: TestUser, body: Record<string, unknown> = {}) =>
    app.as(u).post(`/api/v1/changes/${id}/approvals`, { decision: 'approve', ...body });
  const delegate = (who: TestUser, body: Record<string, unknown>) =>
    app.as(who).post('/api/v1/change-delegations', body);
  const awaiting = async (title: string) => {
    const c = await app.as(agent).post('/api/v1/changes', {
      type: 'emergency',
      title,
      plannedStart: at(1),
      plannedEnd: at(2),
    });
    expect(c.statusCode, c.body).toBe(201);
    await app.as(agent).post(`/api/v1/changes/${c.json().id}/transitions`, { to: 'assessment' });
    const r = await app.as(agent).post(`/api/v1/changes/${c.json().id}/transitions`, { to: 'authorisation' });
    expect(r.json().status, r.body).toBe('authorisation');
    return c.json().id as string;
  };

  beforeAll(async () => {
    app = await setup();
    agent = await app.user('agent');
    approvers = await Promise.all([1, 2].map((i) => app.user('manager', { name: `Approver ${i}` })));
    deputy = await app.user('agent', { name: 'Dee Deputy' });
    outsider = await app.user('agent', { name: 'Oscar Outsider' });
    team = (
      await admin().post('/api/v1/teams', { name: 'ECAB', memberIds: approvers.map((u) => u.id) })
    ).json().id;
    const routes = (await admin().get('/api/v1/change-approval-routes')).json().items;
    const cur = routes.find((r: { route: string }) => r.route === 'emergency');
    const put = await admin().put(
      '/api/v1/change-approval-routes/emergency',
      { levels: [{ teamId: team, rule: 'all' }] },
      { 'if-match': `"v${cur.version}"` },
    );
    expect(put.statusCode, put.body).toBe(200);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
  });

  it('lets the delegate vote in the approver’s place during the period only, audited and named', async () => {
    const id = await awaiting('Swap the failed disk');
    expect((await vote(id, deputy)).statusCode).toBe(403);
    const now = Date.now();
    const later = await delegate(approvers[0]!, {
      delegateId: deputy.id,
      startsAt: new Date(now + 24 * H).toISOString(),
      endsAt: new Date(now + 48 * H).toISOString(),
    });
    expect(later.statusCode, later.body).toBe(201);
    expect((await vote(id, deputy)).statusCode).toBe(403);
    const away = await delegate(approvers[0]!, {
      delegateId: deputy.id,
      startsAt: new Date(now - H).toISOString(),
      endsAt: new Date(now + 24 * H).toISOString(),
      reason: 'On leave',
    });
    expect(away.statusCode, away.body).toBe(201);
    expect(away.json()).toMatchObject({
      userName: 'Approver 1',
      delegateName: 'Dee Deputy',
      reason: 'On leave',
    });
    // Only for an approver who delegated to them.
    expect((await vote(id, deputy, { onBehalfOf: approvers[1]!.id })).statusCode).toBe(403);
    const cast = await vote(id, deputy, { reason: 'Fine by me' });
    expect(cast.statusCode, cast.body).toBe(200);
    expect(cast.json().approvals[0].votes).toEqual([
      expect.objectContaining({ by: 'Approver 1', castBy: 'Dee Deputy', decision: 'approve' }),
    ]);
    // The approver's vote is cast: neither they nor the deputy vote again.
    expect((await vote(id, approvers[0]!)).json().code).toBe('already_voted');
    expect((await vote(id, approvers[1]!)).json().status).toBe('scheduled');
    const audit = (
      await admin().get(`/api/v1/audit?entityType=change&entityId=${id}&action=change.voted&limit=10`)
    ).json().items;
    expect(audit.map((e: { after: Record<string, unknown> }) => e.after)).toEqual(
      expect.arrayContaining([expect.objectContaining({ onBehalfOf: 'Approver 1', delegate: 'Dee Deputy' })]),
    );
    const mine = (await app.as(deputy).get('/api/v1/change-delegations')).json().items;
    expect(mine).toHaveLength(2);
    expect((await app.as(outsider).get('/api/v1/change-delegations')).json().items).toEqual([]);
  });

  it('decides once when the approver and the delegate vote at the same time', async () => {
    const id = await awaiting('Patch the hypervisor');
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? vote(id, approvers[0]!) : vote(id, deputy, { decision: 'reject', reason: 'No' }),
      ),
    );
    expect(rs.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(rs.filter((r) => r.statusCode === 409).length).toBe(19);
    const c = (await admin().get(`/api/v1/changes/${id}`)).json();
    expect(c.approvals[0].votes).toHaveLength(1);
    expect(['authorisation', 'rejected']).toContain(c.status);
  });

  it('keeps delegations to their owners: bad input, someone else’s, ending one', async () => {
    const now = Date.now();
    const body = {
      delegateId: deputy.id,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + H).toISOString(),
    };
    expect((await delegate(approvers[1]!, { ...body, endsAt: body.startsAt })).statusCode).toBe(400);
    expect((await delegate(approvers[1]!, { ...body, delegateId: approvers[1]!.id })).statusCode).toBe(400);
    expect((await delegate(approvers[1]!, { ...body, reason: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await delegate(approvers[1]!, { ...body, reason: 'a\u0000b', extra: 1 })).statusCode).toBe(400);
    expect((await delegate(outsider, { ...body, userId: approvers[1]!.id })).statusCode).toBe(403);
    const byAdmin = await admin().post('/api/v1/change-delegations', { ...body, userId: approvers[1]!.id });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    const d = byAdmin.json().id;
    expect((await app.as(outsider).delete(`/api/v1/change-delegations/${d}`)).statusCode).toBe(404);
    expect((await app.as(approvers[1]!).delete(`/api/v1/change-delegations/${d}`)).statusCode).toBe(204);
    expect((await app.as(approvers[1]!).delete(`/api/v1/change-delegations/${d}`)).statusCode).toBe(404);
  });
});
