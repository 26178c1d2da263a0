import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { autoCloseResolved } from './index.js';

describe('ticket links, merges and the desk rules around them', () => {
  let app: TestApp;
  let requester: TestUser;
  let other: TestUser;
  let agent: TestUser;
  let outsider: TestUser;
  let teamId: string;

  const open = async (type: string, title: string, extra: Record<string, unknown> = {}) => {
    const r = await app.as(app.admin).post('/api/v1/tickets', {
      type,
      title,
      requesterId: requester.id,
      teamId,
      assigneeId: agent.id,
      ...extra,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; key: string }>();
  };
  const link = (as: TestUser, from: string, kind: string, targetId: string) =>
    app.as(as).post(`/api/v1/tickets/${from}/links`, { kind, targetId });
  const linksOf = async (as: TestUser, id: string) =>
    (await app.as(as).get(`/api/v1/tickets/${id}/links`)).json<{
      items: { id: string; kind: string; direction: string; ticket: { id: string } }[];
    }>().items;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [requester, other, agent, outsider] = await Promise.all([
      app.user('requester'),
      app.user('requester'),
      app.user('agent'),
      app.user('agent'),
    ]);
    teamId = (await app.as(app.admin).post('/api/v1/teams', { name: 'Desk', memberIds: [agent.id] })).json()
      .id;
    await app.as(app.admin).post('/api/v1/teams', { name: 'Elsewhere', memberIds: [outsider.id] });
  });
  afterAll(async () => app.close());

  it('links incidents to their problem, seen from both ends, and only where the caller may look', async () => {
    const inc = await open('incident', 'mail is slow');
    const prb = await open('problem', 'mail server disk latency', { requesterId: agent.id });
    const r = await link(agent, inc.id, 'problem', prb.id);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      kind: 'problem',
      direction: 'outgoing',
      ticket: { id: prb.id, type: 'problem' },
    });
    expect((await linksOf(agent, prb.id)).map((l) => [l.kind, l.direction, l.ticket.id])).toEqual([
      ['problem', 'incoming', inc.id],
    ]);
    // The requester sees their incident but not the problem: the link is simply not there.
    expect(await linksOf(requester, inc.id)).toEqual([]);
    expect((await app.as(requester).get(`/api/v1/tickets/${prb.id}/links`)).statusCode).toBe(404);
    // The requester's timeline does not name the problem either.
    const mine = JSON.stringify((await app.as(requester).get(`/api/v1/tickets/${inc.id}/timeline`)).json());
    expect(mine).not.toContain(prb.id);
    expect(mine).not.toContain(prb.key);
    // Both timelines tell the story (to agents).
    const tl = JSON.stringify((await app.as(agent).get(`/api/v1/tickets/${prb.id}/timeline`)).json());
    expect(tl).toContain('"kind":"link"');
    // One problem per incident; only incidents; only to problems; never to itself.
    const prb2 = await open('problem', 'another problem');
    expect((await link(agent, inc.id, 'problem', prb2.id)).json().code).toBe('link_exists');
    const req = await open('request', 'new laptop');
    expect((await link(agent, req.id, 'problem', prb.id)).statusCode).toBe(400);
    expect((await link(agent, inc.id, 'parent', inc.id)).statusCode).toBe(400);
    const inc2 = await open('incident', 'mail bounces');
    expect((await link(agent, inc2.id, 'problem', req.id)).statusCode).toBe(400);
    // Unlinking is recorded too.
    const id = r.json().id;
    expect((await app.as(agent).delete(`/api/v1/tickets/${inc.id}/links/${id}`)).statusCode).toBe(204);
    expect(await linksOf(agent, inc.id)).toEqual([]);
    expect((await app.as(agent).delete(`/api/v1/tickets/${inc.id}/links/${id}`)).statusCode).toBe(404);
  });

  it('refuses parent links that would make a loop', async () => {
    const a = await open('request', 'office move');
    const b = await open('request', 'move desks');
    const c = await open('request', 'move the printer');
    expect((await link(agent, b.id, 'parent', a.id)).statusCode).toBe(201);
    expect((await link(agent, c.id, 'parent', b.id)).statusCode).toBe(201);
    const loop = await link(agent, a.id, 'parent', c.id);
    expect(loop.statusCode).toBe(409);
    expect(loop.json().code).toBe('link_cycle');
    expect((await link(agent, a.id, 'parent', b.id)).statusCode).toBe(409);
    expect((await linksOf(agent, b.id)).map((l) => `${l.kind}:${l.direction}`).sort()).toEqual([
      'parent:incoming',
      'parent:outgoing',
    ]);
  });

  it('lets only agents link, and hides tickets they may not see (404)', async () => {
    const mine = await open('incident', 'screen flickers');
    const prb = await open('problem', 'driver bug');
    expect((await link(requester, mine.id, 'problem', prb.id)).statusCode).toBe(403);
    expect((await link(other, mine.id, 'problem', prb.id)).statusCode).toBe(404);
    expect((await link(outsider, mine.id, 'problem', prb.id)).statusCode).toBe(404);
    const hidden = (
      await app.as(app.admin).post('/api/v1/tickets', {
        type: 'problem',
        title: 'hidden',
        teamId: (await app.as(app.admin).post('/api/v1/teams', { name: 'Hidden' })).json().id,
      })
    ).json();
    const r = await link(agent, mine.id, 'problem', hidden.id);
    expect(r.statusCode).toBe(404);
    expect(await linksOf(agent, mine.id)).toEqual([]);
  });

  it('merges a duplicate: closes it and moves its conversation, attachments and people over', async () => {
    const original = await open('incident', 'vpn drops every hour');
    const dup = await open('incident', 'vpn disconnects', { requesterId: other.id });
    await app.as(other).post(`/api/v1/tickets/${dup.id}/comments`, { body: 'happens at 10:00 sharp quokka' });
    await app
      .as(agent)
      .post(`/api/v1/tickets/${dup.id}/comments`, { body: 'checked the gateway', internal: true });
    await app.as(app.admin).post(`/api/v1/tickets/${dup.id}/watchers`, { userId: outsider.id });
    expect((await app.as(other).get(`/api/v1/tickets/${original.id}`)).statusCode).toBe(404);

    expect(
      (await app.as(requester).post(`/api/v1/tickets/${dup.id}/merge`, { intoId: original.id })).statusCode,
    ).toBe(404);
    const m = await app.as(agent).post(`/api/v1/tickets/${dup.id}/merge`, { intoId: original.id });
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json().status).toBe('closed');

    // The duplicate's requester and watchers now follow the original.
    const o = await app.as(other).get(`/api/v1/tickets/${original.id}/timeline?limit=200`);
    expect(o.statusCode).toBe(200);
    const text = JSON.stringify(o.json());
    expect(text).toContain('quokka');
    expect(text).not.toContain('checked the gateway'); // still an internal note
    expect(
      JSON.stringify((await app.as(agent).get(`/api/v1/tickets/${original.id}/timeline?limit=200`)).json()),
    ).toContain('checked the gateway');
    const watchers = (await app.as(agent).get(`/api/v1/tickets/${original.id}/watchers`))
      .json()
      .items.map((w: { userId: string }) => w.userId);
    expect(watchers).toEqual(expect.arrayContaining([other.id, outsider.id]));
    // Search finds the moved words on the original.
    const found = (await app.as(agent).get('/api/v1/tickets?q=quokka'))
      .json()
      .items.map((t: { id: string }) => t.id);
    expect(found).toEqual([original.id]);
    // The merge is recorded as a link and cannot be undone or repeated.
    const dupLinks = await linksOf(agent, dup.id);
    expect(dupLinks.map((l) => [l.kind, l.direction, l.ticket.id])).toEqual([
      ['duplicate', 'outgoing', original.id],
    ]);
    expect(
      (await app.as(agent).delete(`/api/v1/tickets/${dup.id}/links/${dupLinks[0]!.id}`)).statusCode,
    ).toBe(409);
    expect(
      (await app.as(agent).post(`/api/v1/tickets/${dup.id}/merge`, { intoId: original.id })).statusCode,
    ).toBe(409);
    expect(
      (await app.as(agent).post(`/api/v1/tickets/${original.id}/merge`, { intoId: dup.id })).statusCode,
    ).toBe(409);
    expect(
      (await app.as(agent).post(`/api/v1/tickets/${original.id}/merge`, { intoId: original.id })).statusCode,
    ).toBe(400);
    const audit = await sql<{
      n: string;
    }>`select count(*) as n from audit_log where action = 'ticket.merged'`.execute(app.database.db);
    expect(Number(audit.rows[0]!.n)).toBe(1);
  });

  it('resumes a ticket pending on the requester when the requester replies', async () => {
    const t = await open('incident', 'cannot print');
    const url = `/api/v1/tickets/${t.id}`;
    expect(
      (await app.as(agent).post(`${url}/transition`, { status: 'pending', pendingReason: 'requester' }))
        .statusCode,
    ).toBe(200);
    await app.as(agent).post(`${url}/comments`, { body: 'note while waiting', internal: true });
    expect((await app.as(app.admin).get(url)).json().status).toBe('pending');
    expect(
      (await app.as(requester).post(`${url}/comments`, { body: 'here is the model number' })).statusCode,
    ).toBe(201);
    expect((await app.as(app.admin).get(url)).json()).toMatchObject({
      status: 'in_progress',
      pendingReason: null,
    });
    // Waiting on a vendor: a requester's reply does not end that wait.
    await app.as(agent).post(`${url}/transition`, { status: 'pending', pendingReason: 'vendor' });
    await app.as(requester).post(`${url}/comments`, { body: 'any news?' });
    expect((await app.as(app.admin).get(url)).json().status).toBe('pending');
  });

  it("applies a saved view with ?viewId=, lets explicit parameters override it, and hides others' views", async () => {
    await open('problem', 'view problem');
    await open('incident', 'view incident');
    const view = await app
      .as(agent)
      .post('/api/v1/views', { name: 'Problems', filters: { type: ['problem'] } });
    expect(view.statusCode, view.body).toBe(201);
    const v = view.json().id;
    const viaView = (await app.as(agent).get(`/api/v1/tickets?viewId=${v}&limit=200`)).json().items;
    expect(viaView.length).toBeGreaterThan(0);
    expect(viaView.every((t: { type: string }) => t.type === 'problem')).toBe(true);
    const overridden = (await app.as(agent).get(`/api/v1/tickets?viewId=${v}&type=incident&limit=200`)).json()
      .items;
    expect(overridden.every((t: { type: string }) => t.type === 'incident')).toBe(true);
    const count = (await app.as(agent).get(`/api/v1/tickets/count?viewId=${v}`)).json().count;
    expect(count).toBe(viaView.length);
    expect((await app.as(outsider).get(`/api/v1/tickets?viewId=${v}`)).statusCode).toBe(404);
  });

  it('closes tickets resolved longer ago than autoCloseDays, as the system', async () => {
    const old = await open('incident', 'resolved long ago');
    const recent = await open('incident', 'resolved yesterday');
    for (const t of [old, recent]) {
      expect(
        (await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, { status: 'resolved' })).statusCode,
      ).toBe(200);
    }
    await sql`update tickets set resolved_at = now() - interval '15 days' where id = ${old.id}`.execute(
      app.database.db,
    );
    await sql`update tickets set resolved_at = now() - interval '1 day' where id = ${recent.id}`.execute(
      app.database.db,
    );
    expect(await autoCloseResolved(app.server.ctx)).toBe(1);
    expect((await app.as(app.admin).get(`/api/v1/tickets/${old.id}`)).json().status).toBe('closed');
    expect((await app.as(app.admin).get(`/api/v1/tickets/${recent.id}`)).json().status).toBe('resolved');
    const tl = (await app.as(agent).get(`/api/v1/tickets/${old.id}/timeline?limit=200`)).json().items;
    expect(tl.at(-1)).toMatchObject({ kind: 'status', to: 'closed', actorLabel: 'system' });
    expect(await autoCloseResolved(app.server.ctx)).toBe(0);
  });

  it('refuses an auto-close period shorter than the reopen window', async () => {
    const desk = await app.as(app.admin).get('/api/v1/settings/service-desk');
    const r = await app
      .as(app.admin)
      .req(
        'PUT',
        '/api/v1/settings/service-desk',
        { reopenWindowDays: 10, autoCloseDays: 5 },
        { 'if-match': desk.headers.etag as string },
      );
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json().errors)).toContain('autoCloseDays');
  });
});
