import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('macros and reply-and-resolve', () => {
  let app: TestApp;
  let rita: TestUser;
  let sam: TestUser;
  let manager: TestUser;
  let requester: TestUser;
  let team: { id: string };

  beforeAll(async () => {
    app = await setup();
    [rita, sam, manager, requester] = await Promise.all([
      app.user('agent', { name: 'Rita Agent' }),
      app.user('agent', { name: 'Sam Agent' }),
      app.user('manager'),
      app.user('requester'),
    ]);
    team = (await app.as(app.admin).post('/api/v1/teams', { name: 'Desk', memberIds: [rita.id] })).json();
  });
  afterAll(async () => app.close());

  const ticket = async () =>
    (
      await app
        .as(requester)
        .post('/api/v1/tickets', { type: 'incident', title: 'Mail is down', description: 'since 9' })
    ).json<{ id: string; key: string; version: number }>();
  const timeline = async (id: string) =>
    (await app.as(rita).get(`/api/v1/tickets/${id}/timeline?limit=200`)).json<{
      items: { kind: string; comment: { body: string } | null }[];
    }>().items;

  it('keeps personal macros to their owner: someone else’s is 404 everywhere', async () => {
    const r = await app.as(rita).post('/api/v1/macros', { name: 'Thanks', body: 'Thanks, we are on it.' });
    expect(r.statusCode).toBe(201);
    const m = r.json<{ id: string; scope: string; version: number }>();
    expect(m).toMatchObject({ scope: 'personal', teamId: null, changes: {}, internal: false });
    const t = await ticket();
    expect((await app.as(sam).get(`/api/v1/macros/${m.id}`)).statusCode).toBe(404);
    expect(
      (await app.as(sam).patch(`/api/v1/macros/${m.id}`, { name: 'x' }, { 'if-match': '"v1"' })).statusCode,
    ).toBe(404);
    expect((await app.as(sam).delete(`/api/v1/macros/${m.id}`)).statusCode).toBe(404);
    expect((await app.as(sam).post(`/api/v1/macros/${m.id}/apply`, { ticketId: t.id })).statusCode).toBe(404);
    expect((await app.as(sam).get('/api/v1/macros')).json().items).toEqual([]);
    // requesters have no macros at all
    expect((await app.as(requester).get('/api/v1/macros')).statusCode).toBe(404);
    expect(
      (await app.as(rita).get('/api/v1/macros')).json().items.map((x: { name: string }) => x.name),
    ).toEqual(['Thanks']);
    expect((await timeline(t.id)).filter((i) => i.kind === 'comment')).toEqual([]);
  });

  it('shares team macros with the team; only managers and admins write them', async () => {
    expect(
      (await app.as(rita).post('/api/v1/macros', { name: 'T', body: 'x', teamId: team.id })).statusCode,
    ).toBe(403);
    const r = await app.as(manager).post('/api/v1/macros', {
      name: 'Route to desk',
      body: '',
      teamId: team.id,
      changes: { teamId: team.id },
    });
    expect(r.statusCode).toBe(201);
    const m = r.json<{ id: string }>();
    expect(r.json()).toMatchObject({ scope: 'team', teamName: 'Desk' });
    expect((await app.as(rita).get(`/api/v1/macros/${m.id}`)).statusCode).toBe(200);
    expect((await app.as(sam).get(`/api/v1/macros/${m.id}`)).statusCode).toBe(404);
    expect((await app.as(rita).delete(`/api/v1/macros/${m.id}`)).statusCode).toBe(403);
    const dup = await app
      .as(manager)
      .post('/api/v1/macros', { name: 'route TO desk', body: 'y', teamId: team.id });
    expect(dup.statusCode).toBe(409);
  });

  it('refuses bad input with a clear 400 and writes nothing', async () => {
    const bad = [
      { name: '', body: 'x' },
      { name: 'Empty', body: '  ' },
      { name: 'x', body: 'y', changes: { status: 'sleeping' } },
      { name: 'x', body: 'y', changes: { impact: 9 } },
      { name: 'x', body: 'y', owner: rita.id },
      { name: 'x\u0000y', body: 'y' },
      { name: 'x', body: 'y', teamId: 'not-a-uuid' },
    ];
    for (const body of bad) {
      const r = await app.as(manager).post('/api/v1/macros', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    const ghost = await app
      .as(manager)
      .post('/api/v1/macros', { name: 'ghost', body: 'y', teamId: '00000000-0000-4000-8000-000000000000' });
    expect(ghost.statusCode).toBe(400);
    expect(
      (await app.as(manager).get('/api/v1/macros')).json().items.map((m: { name: string }) => m.name),
    ).toEqual(['Route to desk']);
  });

  it('applies a reply plus changes in one step, audited', async () => {
    const t = await ticket();
    const m = (
      await app.as(rita).post('/api/v1/macros', {
        name: 'Working on it',
        body: 'Looking into it now.',
        changes: { status: 'in_progress', impact: 4, teamId: team.id },
      })
    ).json<{ id: string }>();
    const r = await app.as(rita).post(`/api/v1/macros/${m.id}/apply`, { ticketId: t.id });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      comment: { body: 'Looking into it now.', internal: false },
      ticket: { status: 'in_progress', impact: 4, teamId: team.id },
    });
    const audit = await app.as(app.admin).get(`/api/v1/audit?entityType=macro&entityId=${m.id}`);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toContain('macro.applied');
    // someone who cannot see the ticket gets a 404 for it, even with a macro of their own
    const own = (await app.as(sam).post('/api/v1/macros', { name: 'mine', body: 'hello' })).json<{
      id: string;
    }>();
    const other = await app
      .as(manager)
      .post('/api/v1/tickets', { type: 'incident', title: 'x', teamId: team.id });
    expect(
      (await app.as(sam).post(`/api/v1/macros/${own.id}/apply`, { ticketId: other.json().id })).statusCode,
    ).toBe(404);
  });

  it('posts nothing when a change of the macro is illegal (atomic)', async () => {
    const t = await ticket();
    const m = (
      await app.as(rita).post('/api/v1/macros', {
        name: 'Close it',
        body: 'Closing this one.',
        changes: { status: 'closed', urgency: 5 },
      })
    ).json<{ id: string }>();
    const r = await app.as(rita).post(`/api/v1/macros/${m.id}/apply`, { ticketId: t.id });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('illegal_transition');
    const after = (await app.as(rita).get(`/api/v1/tickets/${t.id}`)).json();
    expect(after).toMatchObject({ status: 'new', urgency: 3, version: t.version });
    expect((await timeline(t.id)).filter((i) => i.kind === 'comment')).toEqual([]);
    // an assignee outside the team is refused the same way
    const bad = (
      await app.as(rita).post('/api/v1/macros', {
        name: 'Give to Sam',
        body: 'Sam will help.',
        changes: { teamId: team.id, assigneeId: sam.id },
      })
    ).json<{ id: string }>();
    expect((await app.as(rita).post(`/api/v1/macros/${bad.id}/apply`, { ticketId: t.id })).statusCode).toBe(
      400,
    );
    expect((await timeline(t.id)).filter((i) => i.kind === 'comment')).toEqual([]);
  });

  it('replies and resolves in one step, or posts nothing', async () => {
    const t = await ticket();
    const r = await app
      .as(rita)
      .post(`/api/v1/tickets/${t.id}/comments`, { body: 'Restarted the mail server.', status: 'resolved' });
    expect(r.statusCode).toBe(201);
    const after = (await app.as(rita).get(`/api/v1/tickets/${t.id}`)).json();
    expect(after.status).toBe('resolved');
    expect(after.firstResponseAt).not.toBeNull();
    expect(r.headers.etag).toBe(`"v${after.version}"`);
    // resolved -> pending is not a move: 409, and the reply is not posted
    const before = (await timeline(t.id)).length;
    const bad = await app.as(rita).post(`/api/v1/tickets/${t.id}/comments`, {
      body: 'one more',
      status: 'pending',
      pendingReason: 'vendor',
    });
    expect(bad.statusCode).toBe(409);
    expect((await timeline(t.id)).length).toBe(before);
    // requesters may reply but not move the ticket this way
    const t2 = await ticket();
    const req = await app
      .as(requester)
      .post(`/api/v1/tickets/${t2.id}/comments`, { body: 'fixed?', status: 'resolved' });
    expect(req.statusCode).toBe(403);
    expect((await timeline(t2.id)).filter((i) => i.kind === 'comment')).toEqual([]);
  });

  it('updates with If-Match and deletes', async () => {
    const m = (await app.as(rita).post('/api/v1/macros', { name: 'Old', body: 'x' })).json<{ id: string }>();
    expect((await app.as(rita).patch(`/api/v1/macros/${m.id}`, { name: 'New' })).statusCode).toBe(428);
    const u = await app.as(rita).patch(`/api/v1/macros/${m.id}`, { name: 'New' }, { 'if-match': '"v1"' });
    expect(u.statusCode).toBe(200);
    expect(u.json()).toMatchObject({ name: 'New', version: 2 });
    expect(
      (await app.as(rita).patch(`/api/v1/macros/${m.id}`, { name: 'N2' }, { 'if-match': '"v1"' })).statusCode,
    ).toBe(412);
    expect((await app.as(rita).delete(`/api/v1/macros/${m.id}`)).statusCode).toBe(204);
    expect((await app.as(rita).get(`/api/v1/macros/${m.id}`)).statusCode).toBe(404);
  });
});
