import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCtx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { createTicket } from './create.service.js';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('tickets', () => {
  let app: TestApp;
  let requester: TestUser;
  let agent: TestUser;
  let outsider: TestUser;
  let team: { id: string };

  beforeAll(async () => {
    app = await setup();
    [requester, agent, outsider] = await Promise.all([
      app.user('requester'),
      app.user('agent'),
      app.user('agent'),
    ]);
    team = (await app.as(app.admin).post('/api/v1/teams', { name: 'Desk', memberIds: [agent.id] })).json();
  });
  afterAll(async () => app.close());

  const open = (as: TestUser, body: Record<string, unknown> = {}) =>
    app.as(as).post('/api/v1/tickets', { type: 'incident', title: 'Printer on fire', ...body });

  it('opens a ticket for the caller with a per-type number, matrix priority, ETag and audit entry', async () => {
    const r = await open(requester, { description: '# Help\n<script>x</script>', impact: 4, urgency: 5 });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"v1"');
    const t = r.json();
    expect(t).toMatchObject({
      type: 'incident',
      status: 'new',
      requesterId: requester.id,
      priority: 5,
      priorityOverridden: false,
      description: '# Help\n<script>x</script>',
    });
    expect(t.key).toBe(`INC-${t.number}`);
    const req = (await open(requester, { type: 'request' })).json();
    const prb = (await open(agent, { type: 'problem' })).json();
    expect(req.key).toMatch(/^REQ-\d+$/);
    expect(prb.key).toMatch(/^PRB-\d+$/);
    const audit = await app.as(app.admin).get(`/api/v1/audit?entityType=ticket&entityId=${t.id}`);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['ticket.opened']);
  });

  it('never gives two concurrently created tickets the same number', async () => {
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => open(agent, { type: 'request', title: `c${i}` })),
    );
    expect(rs.every((r) => r.statusCode === 201)).toBe(true);
    const numbers = rs.map((r) => r.json().number);
    expect(new Set(numbers).size).toBe(20);
  });

  it('writes creations that arrive together as one batch, each with its own answer', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    const bodies = Array.from({ length: 12 }, (_, i) =>
      i === 3
        ? { title: 'bad team', teamId: ghost }
        : i === 7
          ? { title: 'bad assignee', teamId: team.id, assigneeId: outsider.id }
          : { title: `batch ${i}`, teamId: team.id },
    );
    // Straight to the service, all at once: over HTTP each request's token lookup spaces them out.
    const ctx = createCtx(app.database.db, () => undefined);
    const actor: Actor = { userId: agent.id, role: 'agent', label: agent.email, via: 'token' };
    const settled = await Promise.allSettled(
      bodies.map((b) =>
        createTicket(ctx, actor, { type: 'incident', description: '', impact: 3, urgency: 3, ...b }),
      ),
    );
    expect(settled.map((r) => r.status)).toEqual(
      bodies.map((_, i) => (i === 3 || i === 7 ? 'rejected' : 'fulfilled')),
    );
    const reason = (i: number) =>
      (settled[i] as PromiseRejectedResult).reason as { errors: { path: string }[] };
    expect(reason(3).errors[0]!.path).toBe('body.teamId');
    expect(reason(7).errors[0]!.path).toBe('body.assigneeId');
    const made = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(made.map((t) => t.title)).toEqual(bodies.filter((_, i) => i !== 3 && i !== 7).map((b) => b.title));
    // They shared transactions: fewer transaction ids than tickets.
    const xids = await sql<{ x: string }>`SELECT DISTINCT xmin::text AS x FROM tickets
      WHERE id IN (${sql.join(made.map((t) => t.id))})`.execute(app.database.db);
    expect(xids.rows.length).toBeLessThan(made.length / 2);
    for (const t of made) {
      const timeline = (await app.as(agent).get(`/api/v1/tickets/${t.id}/timeline`)).json();
      expect(timeline.items.filter((e: { kind: string }) => e.kind === 'created')).toHaveLength(1);
      const audit = (await app.as(app.admin).get(`/api/v1/audit?entityType=ticket&entityId=${t.id}`)).json();
      expect(audit.items.map((e: { action: string; actorId: string }) => [e.action, e.actorId])).toEqual([
        ['ticket.opened', agent.id],
      ]);
    }
    const bad = await sql<{ n: string }>`SELECT count(*)::text AS n FROM tickets
      WHERE title IN ('bad team', 'bad assignee')`.execute(app.database.db);
    expect(bad.rows[0]!.n).toBe('0');
  });

  it('keeps requesters to their own tickets and lets agents open on behalf of someone', async () => {
    expect((await open(requester, { requesterId: agent.id })).statusCode).toBe(403);
    expect((await open(requester, { teamId: team.id })).statusCode).toBe(403);
    expect((await open(requester, { priorityOverride: 6 })).statusCode).toBe(403);
    const onBehalf = await open(agent, { requesterId: requester.id, teamId: team.id, assigneeId: agent.id });
    expect(onBehalf.statusCode).toBe(201);
    expect(onBehalf.json()).toMatchObject({
      requesterId: requester.id,
      assigneeId: agent.id,
      status: 'assigned',
    });
    const ghost = await open(agent, { requesterId: '00000000-0000-4000-8000-000000000000' });
    expect(ghost.statusCode).toBe(400);
  });

  it('accepts only agents of the ticket’s team as assignees', async () => {
    const asRequester = await open(agent, { assigneeId: requester.id });
    expect(asRequester.statusCode).toBe(400);
    expect(asRequester.json().errors[0].path).toBe('body.assigneeId');
    const notMember = await open(agent, { teamId: team.id, assigneeId: outsider.id });
    expect(notMember.statusCode).toBe(400);
    const t = (await open(agent, { assigneeId: outsider.id })).json();
    // Moving it to a team the assignee is not in drops the assignee.
    const moved = await app
      .as(agent)
      .patch(`/api/v1/tickets/${t.id}`, { teamId: team.id }, { 'if-match': '"v1"' });
    expect(moved.json()).toMatchObject({ teamId: team.id, assigneeId: null, status: 'new' });
  });

  it('recomputes priority from the matrix, honours a manual override (6 = major) and records it', async () => {
    const t = (await open(agent, { impact: 1, urgency: 1 })).json();
    expect(t.priority).toBe(1);
    const url = `/api/v1/tickets/${t.id}`;
    const up = await app.as(agent).patch(url, { impact: 5, urgency: 4 }, { 'if-match': '"v1"' });
    expect(up.json()).toMatchObject({ priority: 5, priorityOverridden: false });
    const major = await app.as(agent).patch(url, { priorityOverride: 6 }, { 'if-match': '"v2"' });
    expect(major.json()).toMatchObject({ priority: 6, priorityOverridden: true });
    const still = await app.as(agent).patch(url, { impact: 1 }, { 'if-match': '"v3"' });
    expect(still.json()).toMatchObject({ priority: 6, impact: 1 });
    const back = await app.as(agent).patch(url, { priorityOverride: null }, { 'if-match': '"v4"' });
    expect(back.json()).toMatchObject({ priority: 2, priorityOverridden: false });
    const timeline = (await app.as(agent).get(`${url}/timeline`)).json().items;
    const prio = timeline
      .filter((e: { field: string }) => e.field === 'priority')
      .map((e: { to: number }) => e.to);
    expect(prio).toEqual([5, 6, 2]);
    const audit = (await app.as(app.admin).get(`/api/v1/audit?entityType=ticket&entityId=${t.id}`)).json()
      .items;
    expect(audit[2]).toMatchObject({
      before: { priority: 5, priorityOverridden: false },
      after: { priority: 6, priorityOverridden: true },
    });
    expect(
      await app
        .as(requester)
        .get('/api/v1/settings/priority-matrix')
        .then((r) => r.statusCode),
    ).toBe(404);
  });

  it('uses an edited priority matrix for new tickets', async () => {
    const cur = await app.as(app.admin).get('/api/v1/settings/priority-matrix');
    const matrix = cur.json().matrix as number[][];
    expect(matrix[4]).toEqual([2, 3, 4, 5, 5]);
    const edited = matrix.map((row) => row.map(() => 2));
    const put = (body: unknown, h: Record<string, string>) =>
      app.as(app.admin).req('PUT', '/api/v1/settings/priority-matrix', body, h);
    expect((await put({ matrix: edited }, {})).statusCode).toBe(428);
    expect((await put({ matrix: [[1]] }, { 'if-match': cur.headers.etag as string })).statusCode).toBe(400);
    expect(
      (
        await app
          .as(agent)
          .req(
            'PUT',
            '/api/v1/settings/priority-matrix',
            { matrix: edited },
            { 'if-match': cur.headers.etag as string },
          )
      ).statusCode,
    ).toBe(403);
    const ok = await put({ matrix: edited }, { 'if-match': cur.headers.etag as string });
    expect(ok.statusCode).toBe(200);
    expect((await put({ matrix: matrix }, { 'if-match': cur.headers.etag as string })).statusCode).toBe(412);
    expect((await open(agent, { impact: 5, urgency: 5 })).json().priority).toBe(2);
    await put({ matrix }, { 'if-match': ok.headers.etag as string });
  });

  it('requires If-Match on PATCH and refuses a stale one with 412, writing nothing', async () => {
    const t = (await open(agent)).json();
    const url = `/api/v1/tickets/${t.id}`;
    expect((await app.as(agent).patch(url, { title: 'A' })).statusCode).toBe(428);
    const first = await app.as(agent).patch(url, { title: 'A' }, { 'if-match': '"v1"' });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"v2"');
    expect((await app.as(agent).patch(url, { title: 'B' }, { 'if-match': '"v1"' })).statusCode).toBe(412);
    expect((await app.as(agent).patch(url, { title: 'B' }, { 'if-match': 'junk' })).statusCode).toBe(412);
    expect((await app.as(agent).get(url)).json()).toMatchObject({ title: 'A', version: 2 });
  });

  it('hides internal notes from requesters and keeps them out of requester writes', async () => {
    const t = (await open(requester)).json();
    const url = `/api/v1/tickets/${t.id}`;
    expect(
      (await app.as(requester).post(`${url}/comments`, { body: 'sneaky', internal: true })).statusCode,
    ).toBe(403);
    const note = await app.as(agent).post(`${url}/comments`, { body: 'secret note', internal: true });
    expect(note.statusCode).toBe(201);
    expect((await app.as(agent).get(url)).json().firstResponseAt).toBeNull();
    const reply = await app.as(agent).post(`${url}/comments`, { body: 'public **reply**' });
    expect(reply.statusCode).toBe(201);
    expect((await app.as(agent).get(url)).json().firstResponseAt).toBe(reply.json().createdAt);
    const forRequester = JSON.stringify((await app.as(requester).get(`${url}/timeline`)).json());
    expect(forRequester).not.toContain('secret note');
    expect(forRequester).toContain('public **reply**');
    const forAgent = (await app.as(agent).get(`${url}/timeline`)).json().items;
    expect(forAgent.map((i: { kind: string }) => i.kind)).toEqual(['created', 'comment', 'comment']);
    expect(forAgent[1].comment).toMatchObject({ body: 'secret note', internal: true });
    // people by name, not by the address they signed in with
    expect(forAgent[0].actorLabel).toBe(requester.name);
    expect(forAgent[2]).toMatchObject({ actorLabel: agent.name, comment: { authorLabel: agent.name } });
    expect(JSON.stringify(forAgent)).not.toContain(agent.email);
  });

  it('pages through a timeline in write order', async () => {
    const t = (await open(agent)).json();
    const url = `/api/v1/tickets/${t.id}`;
    for (let i = 0; i < 5; i++) await app.as(agent).post(`${url}/comments`, { body: `c${i}` });
    await app.as(agent).post(`${url}/transition`, { status: 'in_progress' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await app.as(agent).get(`${url}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page: { items: { kind: string; comment: { body: string } | null }[]; nextCursor: string | null } =
        res.json();
      seen.push(
        ...page.items.map(
          (i: { kind: string; comment: { body: string } | null }) => i.comment?.body ?? i.kind,
        ),
      );
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['created', 'c0', 'c1', 'c2', 'c3', 'c4', 'status']);
  });

  it('bulk-updates all or nothing, auditing each ticket', async () => {
    const a = (await open(agent)).json();
    const b = (await open(agent)).json();
    const ok = await app.as(agent).post('/api/v1/tickets/bulk', {
      ids: [a.id, b.id],
      patch: { teamId: team.id, assigneeId: agent.id, priorityOverride: 6 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items.map((t: { status: string; priority: number }) => [t.status, t.priority])).toEqual([
      ['assigned', 6],
      ['assigned', 6],
    ]);
    for (const t of [a, b]) {
      const audit = (await app.as(app.admin).get(`/api/v1/audit?entityType=ticket&entityId=${t.id}`)).json()
        .items;
      expect(audit[0].action).toBe('ticket.bulk_updated');
    }
    // One ticket cannot take the move (closed): nothing changes on the other either.
    const c = (await open(agent, { assigneeId: agent.id })).json();
    await app.as(agent).post(`/api/v1/tickets/${c.id}/transition`, { status: 'cancelled' });
    const bad = await app
      .as(agent)
      .post('/api/v1/tickets/bulk', { ids: [a.id, c.id], patch: { status: 'in_progress' } });
    expect(bad.statusCode).toBe(409);
    expect((await app.as(agent).get(`/api/v1/tickets/${a.id}`)).json().status).toBe('assigned');
    // An invisible id makes the whole request a 404.
    const hidden = (await open(requester)).json();
    await app
      .as(app.admin)
      .patch(
        `/api/v1/tickets/${hidden.id}`,
        { teamId: (await app.as(app.admin).post('/api/v1/teams', { name: 'Elsewhere' })).json().id },
        { 'if-match': '"v1"' },
      );
    const invisible = await app
      .as(agent)
      .post('/api/v1/tickets/bulk', { ids: [a.id, hidden.id], patch: { priorityOverride: 1 } });
    expect(invisible.statusCode).toBe(404);
    expect((await app.as(agent).get(`/api/v1/tickets/${a.id}`)).json().priority).toBe(6);
  });

  it('lets the requester confirm a resolution with a rating, and nobody else', async () => {
    const t = (await open(requester)).json();
    const url = `/api/v1/tickets/${t.id}`;
    expect((await app.as(requester).post(`${url}/confirm`, { rating: 5 })).json().code).toBe(
      'illegal_transition',
    );
    await app.as(agent).post(`${url}/transition`, { status: 'in_progress' });
    await app.as(agent).post(`${url}/transition`, { status: 'resolved' });
    expect((await app.as(agent).post(`${url}/confirm`, { rating: 1 })).statusCode).toBe(403);
    expect((await app.as(requester).post(`${url}/confirm`, { rating: 6 })).statusCode).toBe(400);
    const done = await app.as(requester).post(`${url}/confirm`, { rating: 4, comment: 'quick, thanks' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'closed', csatRating: 4, csatComment: 'quick, thanks' });
    expect(done.json().closedAt).not.toBeNull();
    expect((await app.as(requester).post(`${url}/comments`, { body: 'more' })).json().code).toBe(
      'ticket_final',
    );
    expect((await app.as(requester).post(`${url}/reopen`, {})).statusCode).toBe(409);
  });

  it('lets the requester reopen within the window only', async () => {
    const resolve = async () => {
      const t = (await open(requester)).json();
      await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, { status: 'in_progress' });
      await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, { status: 'resolved' });
      return `/api/v1/tickets/${t.id}`;
    };
    const url = await resolve();
    const r = await app.as(requester).post(`${url}/reopen`, { reason: 'still broken' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'in_progress', resolvedAt: null });
    const tl = JSON.stringify((await app.as(requester).get(`${url}/timeline`)).json());
    expect(tl).toContain('still broken');
    // Window 0 days: a just-resolved ticket can no longer be reopened.
    const desk = await app.as(app.admin).get('/api/v1/settings/service-desk');
    expect(desk.json()).toEqual({ reopenWindowDays: 7, autoCloseDays: 14 });
    const put = await app
      .as(app.admin)
      .req(
        'PUT',
        '/api/v1/settings/service-desk',
        { reopenWindowDays: 0 },
        { 'if-match': desk.headers.etag as string },
      );
    expect(put.statusCode).toBe(200);
    const late = await resolve();
    await new Promise((res) => setTimeout(res, 5));
    const refused = await app.as(requester).post(`${late}/reopen`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('reopen_window_closed');
    expect((await app.as(agent).post(`${late}/transition`, { status: 'in_progress' })).json().code).toBe(
      'reopen_window_closed',
    );
    await app
      .as(app.admin)
      .req(
        'PUT',
        '/api/v1/settings/service-desk',
        { reopenWindowDays: 7 },
        { 'if-match': put.headers.etag as string },
      );
  });

  it('lets a requester cancel their own open ticket', async () => {
    const t = (await open(requester)).json();
    const r = await app.as(requester).post(`/api/v1/tickets/${t.id}/transition`, { status: 'cancelled' });
    expect(r.json().status).toBe('cancelled');
    const again = await app.as(requester).post(`/api/v1/tickets/${t.id}/transition`, { status: 'cancelled' });
    expect(again.json().code).toBe('illegal_transition');
  });
});
