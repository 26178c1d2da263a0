import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('cancelling a catalogue request, and asking approvers', () => {
  let app: TestApp;
  let rita: TestUser;
  let manny: TestUser;
  let other: TestUser;
  let fin: TestUser[];
  let hw: TestUser;
  let financeTeam: string;
  let hwTeam: string;
  let twoLevels: string;
  const admin = () => app.as(app.admin);
  const submit = async (who: TestUser, itemId: string) => {
    const r = await app.as(who).post(`/api/v1/catalogue/items/${itemId}/requests`, { values: {} });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; key: string; ticketId: string }>();
  };
  const vote = (who: TestUser, id: string, decision: 'approve' | 'reject', reason = '') =>
    app.as(who).post(`/api/v1/catalogue/requests/${id}/votes`, { decision, reason });
  const cancel = (who: { token: string }, id: string, reason: unknown = 'No longer needed') =>
    app.as(who).post(`/api/v1/catalogue/requests/${id}/cancel`, { reason });
  const inbox = async (who: TestUser) =>
    (await app.as(who).get('/api/v1/notifications')).json().items as {
      event: string;
      title: string;
      body: string;
    }[];

  beforeAll(async () => {
    app = await setup();
    manny = await app.user('manager', { name: 'Manny Manager' });
    rita = await app.user('requester', { name: 'Rita Requester' });
    other = await app.user('requester', { name: 'Otto Other' });
    hw = await app.user('agent', { name: 'Hank Hardware' });
    fin = await Promise.all([1, 2].map((i) => app.user('agent', { name: `Fin Approver ${i}` })));
    financeTeam = (
      await admin().post('/api/v1/teams', { name: 'Finance', memberIds: fin.map((u) => u.id) })
    ).json().id;
    hwTeam = (await admin().post('/api/v1/teams', { name: 'Hardware', memberIds: [hw.id] })).json().id;
    const set = await admin().patch(
      `/api/v1/users/${rita.id}`,
      { managerId: manny.id },
      { 'if-match': '"v1"' },
    );
    expect(set.statusCode, set.body).toBe(200);
    const item = await admin().post('/api/v1/catalogue/items', {
      name: 'Finance share access',
      audience: 'everyone',
      approvals: [{ kind: 'manager' }, { kind: 'team', teamId: financeTeam, rule: 'any' }],
      tasks: [{ title: 'Grant the share', teamId: hwTeam }],
    });
    expect(item.statusCode, item.body).toBe(201);
    twoLevels = item.json().id;
  }, 600_000);
  afterAll(async () => {
    await app?.close();
  });

  it('asks each level’s approvers when the level starts waiting, naming the request and the requester', async () => {
    const r = await submit(rita, twoLevels);
    const asked = (await inbox(manny)).filter((n) => n.event === 'approval_requested');
    expect(asked.map((n) => n.title)).toContain(
      `Your approval is needed: ${r.key} “Finance share access” for Rita Requester`,
    );
    expect(asked[0]!.body).toContain('approval level 1 of 2 (Manny Manager (manager))');
    expect(asked[0]!.body).toContain(`/catalogue/requests/${r.id}`);
    // Finance is asked only once its level waits
    expect((await inbox(fin[0]!)).some((n) => n.title.includes(r.key))).toBe(false);
    expect((await vote(manny, r.id, 'approve')).statusCode).toBe(200);
    for (const f of fin) {
      const n = (await inbox(f)).find((x) => x.event === 'approval_requested' && x.title.includes(r.key));
      expect(n?.body).toContain('approval level 2 of 2 (Finance)');
    }
  });

  it('lets the requester cancel while it waits: the ticket is cancelled, no vote counts after it, all audited', async () => {
    const r = await submit(rita, twoLevels);
    const seen = (await app.as(rita).get(`/api/v1/catalogue/requests/${r.id}`)).json();
    expect(seen.canCancel).toBe(true);
    expect(seen.cancelled).toBeNull();
    const done = await cancel(rita, r.id, 'Found another way');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'cancelled',
      canCancel: false,
      canVote: false,
      cancelled: { by: 'Rita Requester', reason: 'Found another way' },
    });
    const ticket = (await admin().get(`/api/v1/tickets/${r.ticketId}`)).json();
    expect(ticket.status).toBe('cancelled');
    const timeline = (await admin().get(`/api/v1/tickets/${r.ticketId}/timeline`)).json().items as {
      comment: { body: string } | null;
    }[];
    expect(timeline.map((x) => x.comment?.body)).toContain(
      'The request was cancelled by Rita Requester: Found another way',
    );
    const late = await vote(manny, r.id, 'approve');
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('cancelled');
    const again = await cancel(rita, r.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('not_cancellable');
    const audit = (await admin().get(`/api/v1/audit?action=catalogue.cancelled&entityId=${r.id}`)).json()
      .items;
    expect(audit).toHaveLength(1);
  });

  it('lets a catalogue admin cancel during fulfilment; the open task can no longer be completed', async () => {
    const r = await submit(rita, twoLevels);
    await vote(manny, r.id, 'approve');
    await vote(fin[0]!, r.id, 'approve');
    expect((await app.as(hw).get(`/api/v1/catalogue/requests/${r.id}`)).json().status).toBe('fulfilment');
    const done = await cancel(app.admin, r.id, 'Duplicate of another request');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().cancelled.reason).toBe('Duplicate of another request');
    const task = await app.as(hw).post(`/api/v1/catalogue/requests/${r.id}/tasks/1/complete`, {});
    expect(task.statusCode).toBe(409);
    expect(task.json().detail).toContain('cancelled');
  });

  it('refuses others: 404 to those who cannot see it, 403 to an approver; a fulfilled request stays fulfilled', async () => {
    const r = await submit(rita, twoLevels);
    expect((await cancel(other, r.id)).statusCode).toBe(404);
    // the team with a task on it sees the request, but may not cancel it
    expect((await cancel(hw, r.id)).statusCode).toBe(403);
    const byApprover = await cancel(manny, r.id);
    expect(byApprover.statusCode).toBe(403);
    expect((await app.as(manny).get(`/api/v1/catalogue/requests/${r.id}`)).json()).toMatchObject({
      status: 'approval',
      canCancel: false,
    });
    await vote(manny, r.id, 'approve');
    await vote(fin[1]!, r.id, 'approve');
    await app.as(hw).post(`/api/v1/catalogue/requests/${r.id}/tasks/1/complete`, {});
    const late = await cancel(rita, r.id);
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toBe('the request is fulfilled: it can no longer be cancelled');
  });

  it('needs a reason, and refuses bad input with nothing changed', async () => {
    const r = await submit(rita, twoLevels);
    for (const [body, path] of [
      [{ reason: '' }, 'body.reason'],
      [{ reason: '   ' }, 'body.reason'],
      [{ reason: 'a\u0000b' }, 'body.reason'],
      [{ reason: 'x'.repeat(2001) }, 'body.reason'],
      [{}, 'body.reason'],
      [{ reason: 'ok', extra: 1 }, 'body'],
    ] as const) {
      const res = await app.as(rita).post(`/api/v1/catalogue/requests/${r.id}/cancel`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json().errors)).toContain(path);
    }
    expect((await cancel(rita, 'not-a-uuid')).statusCode).toBe(400);
    expect((await cancel(rita, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await app.as(rita).get(`/api/v1/catalogue/requests/${r.id}`)).json().status).toBe('approval');
  });

  it('decides a cancellation racing the last vote one after the other, never both', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await submit(rita, twoLevels);
      await vote(manny, r.id, 'approve');
      const [c, v] = await Promise.all([cancel(rita, r.id), vote(fin[0]!, r.id, 'approve')]);
      const after = (await admin().get(`/api/v1/catalogue/requests/${r.id}`)).json();
      // either order cancels: the vote first (then cancelled in fulfilment, the level approved) or the
      // cancellation first (then the vote finds nothing waiting, the level stays pending)
      expect(c.statusCode, c.body).toBe(200);
      expect(after.status).toBe('cancelled');
      if (v.statusCode === 200) expect(after.approvals[1].status).toBe('approved');
      else {
        expect(v.statusCode).toBe(409);
        expect(after.approvals[1].status).toBe('pending');
      }
      expect(after.approvals[1].votes).toHaveLength(v.statusCode === 200 ? 1 : 0);
      expect((await admin().get(`/api/v1/tickets/${after.ticketId}`)).json().status).toBe('cancelled');
    }
    // a hundred parallel cancellations of one request: one succeeds, one audit record
    const r = await submit(rita, twoLevels);
    const all = await Promise.all(Array.from({ length: 100 }, () => cancel(rita, r.id)));
    expect(all.filter((x) => x.statusCode === 200)).toHaveLength(1);
    expect(all.filter((x) => x.statusCode === 409)).toHaveLength(99);
    const audit = (await admin().get(`/api/v1/audit?action=catalogue.cancelled&entityId=${r.id}`)).json()
      .items;
    expect(audit).toHaveLength(1);
  });
});
