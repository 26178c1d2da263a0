import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('knowledge in the flow of work', () => {
  let app: TestApp;
  let agent: TestUser;
  let outsider: TestUser;
  let requester: TestUser;
  let other: TestUser;
  let approver: TestUser;
  let teamId: string;
  const admin = () => app.as(app.admin);

  const open = async (type: string, title: string, extra: Record<string, unknown> = {}) => {
    const r = await admin().post('/api/v1/tickets', {
      type,
      title,
      description: `${title}, since this morning`,
      requesterId: requester.id,
      teamId,
      assigneeId: agent.id,
      ...extra,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; key: string }>();
  };
  const write = async (body: Record<string, unknown>) => {
    const r = await app
      .as(agent)
      .post('/api/v1/kb/articles', { kind: 'how_to', audience: 'requesters', ...body });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; key: string }>();
  };
  /** An article through review to published (the approver approves). */
  const published = async (body: Record<string, unknown>) => {
    const a = await write(body);
    expect(
      (await app.as(agent).post(`/api/v1/kb/articles/${a.id}/transitions`, { to: 'in_review' })).statusCode,
    ).toBe(200);
    const v = await app.as(approver).post(`/api/v1/kb/articles/${a.id}/approvals`, { decision: 'approve' });
    expect(v.statusCode, v.body).toBe(200);
    const p = await app.as(agent).post(`/api/v1/kb/articles/${a.id}/transitions`, { to: 'published' });
    expect(p.statusCode, p.body).toBe(200);
    return a;
  };
  const resolve = async (id: string, answer: string) => {
    expect((await app.as(agent).post(`/api/v1/tickets/${id}/comments`, { body: answer })).statusCode).toBe(
      201,
    );
    const r = await app.as(agent).post(`/api/v1/tickets/${id}/transition`, { status: 'resolved' });
    expect(r.statusCode, r.body).toBe(200);
  };
  const articlesOf = async (who: TestUser, ticketId: string) => {
    const r = await app.as(who).get(`/api/v1/tickets/${ticketId}/articles`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ items: { key: string; role: string; via: string | null; title: string }[] }>().items;
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    agent = await app.user('agent', { name: 'Ada Agent' });
    outsider = await app.user('agent', { name: 'Otto Outsider' });
    approver = await app.user('manager', { name: 'Mia Manager' });
    requester = await app.user('requester', { name: 'Rita Requester' });
    other = await app.user('requester', { name: 'Olga Other' });
    teamId = (await admin().post('/api/v1/teams', { name: 'Desk', memberIds: [agent.id] })).json().id;
    await admin().post('/api/v1/teams', { name: 'Elsewhere', memberIds: [outsider.id] });
    const board = (await admin().post('/api/v1/teams', { name: 'KB board', memberIds: [approver.id] })).json()
      .id;
    for (const kind of ['how_to', 'known_error']) {
      const cur = (await admin().get('/api/v1/kb/approvers'))
        .json()
        .items.find((a: { kind: string }) => a.kind === kind);
      const r = await admin().put(
        `/api/v1/kb/approvers/${kind}`,
        { teamId: board, rule: 'any' },
        { 'if-match': `"v${cur.version}"` },
      );
      expect(r.statusCode, r.body).toBe(200);
    }
  }, 600_000);
  afterAll(async () => app?.close());

  it('links articles to tickets: agents link and unlink, the article lists its tickets, bad input is refused', async () => {
    const t = await open('incident', 'VPN drops every hour');
    const a = await write({ title: 'Reconnect the VPN', body: 'Click connect.' });
    const r = await app.as(agent).post(`/api/v1/tickets/${t.id}/articles`, { articleId: a.id });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().items).toEqual([
      expect.objectContaining({
        key: a.key,
        role: 'related',
        via: null,
        title: 'Reconnect the VPN',
        linkedBy: 'Ada Agent',
      }),
    ]);
    const again = await app.as(agent).post(`/api/v1/tickets/${t.id}/articles`, { articleId: a.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_linked');
    // the article names its tickets to authors, as people know them
    const art = (await app.as(agent).get(`/api/v1/kb/articles/${a.id}`)).json();
    expect(art.tickets).toEqual([
      expect.objectContaining({ key: t.key, title: 'VPN drops every hour', role: 'related' }),
    ]);
    // an agent who may not see the ticket does not see it on the article either, and cannot link to it
    expect((await app.as(outsider).get(`/api/v1/kb/articles/${a.id}`)).json().tickets).toEqual([]);
    expect(
      (await app.as(outsider).post(`/api/v1/tickets/${t.id}/articles`, { articleId: a.id })).statusCode,
    ).toBe(404);
    // requesters do not link, and see no draft on their ticket
    expect(
      (await app.as(requester).post(`/api/v1/tickets/${t.id}/articles`, { articleId: a.id })).statusCode,
    ).toBe(403);
    expect(await articlesOf(requester, t.id)).toEqual([]);
    // bad input: unknown article, unknown field, not an id
    expect(
      (await app.as(agent).post(`/api/v1/tickets/${t.id}/articles`, { articleId: randomUUID() })).statusCode,
    ).toBe(404);
    for (const body of [{ articleId: a.id, role: 'source' }, { articleId: 'KB-1' }, {}]) {
      const bad = await app.as(agent).post(`/api/v1/tickets/${t.id}/articles`, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await app.as(agent).delete(`/api/v1/tickets/${t.id}/articles/${a.id}`)).statusCode).toBe(204);
    expect((await app.as(agent).delete(`/api/v1/tickets/${t.id}/articles/${a.id}`)).statusCode).toBe(404);
    expect(await articlesOf(agent, t.id)).toEqual([]);
  });

  it('shows the requester only linked articles they may read: no draft, agents-only or retired one', async () => {
    const t = await open('incident', 'Badge does not open the door');
    const shown = await published({ title: 'Reset your door badge', body: 'Hold it to the reader.' });
    const agentsOnly = await published({
      title: 'Reprogram the badge reader',
      body: 'x',
      audience: 'agents',
    });
    const retired = await published({ title: 'Old badge form', body: 'y' });
    const draft = await write({ title: 'New badge guide', body: 'z' });
    for (const a of [shown, agentsOnly, retired, draft]) {
      const r = await app.as(agent).post(`/api/v1/tickets/${t.id}/articles`, { articleId: a.id });
      expect(r.statusCode, r.body).toBe(201);
    }
    const gone = await app.as(agent).post(`/api/v1/kb/articles/${retired.id}/transitions`, { to: 'retired' });
    expect(gone.statusCode, gone.body).toBe(200);
    expect((await articlesOf(requester, t.id)).map((a) => a.key)).toEqual([shown.key]);
    expect(await articlesOf(agent, t.id)).toHaveLength(4);
  });

  it('turns a resolved ticket into one draft how-to, even when asked twice at once', async () => {
    const t = await open('incident', 'Outlook asks for the password again and again');
    const early = await app.as(agent).post(`/api/v1/tickets/${t.id}/article`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('not_resolved');
    await resolve(t.id, 'Remove the old profile in **Credential Manager**, then sign in again.');
    expect((await app.as(requester).post(`/api/v1/tickets/${t.id}/article`, {})).statusCode).toBe(403);
    const tries = await Promise.all(
      Array.from({ length: 12 }, () => app.as(agent).post(`/api/v1/tickets/${t.id}/article`, {})),
    );
    const made = tries.filter((r) => r.statusCode === 201);
    expect(made).toHaveLength(1);
    expect(tries.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'article_exists')).toBe(
      true,
    );
    expect(tries.length - made.length).toBe(11);
    const a = made[0]!.json();
    expect(a).toMatchObject({ kind: 'how_to', status: 'draft', audience: 'agents', ownerName: 'Ada Agent' });
    expect(a.working.title).toBe('Outlook asks for the password again and again');
    expect(a.working.body).toContain('Remove the old profile in **Credential Manager**');
    expect(a.working.body).toContain(t.key);
    expect(await articlesOf(agent, t.id)).toEqual([expect.objectContaining({ key: a.key, role: 'source' })]);
    const later = await app.as(agent).post(`/api/v1/tickets/${t.id}/article`, {});
    expect(later.statusCode).toBe(409);
    expect(later.json().detail).toContain(a.key);
  });

  it('keeps a problem’s known error as one article with its workaround, shown on its incidents', async () => {
    const prb = await open('problem', 'Print server loses its queue', { requesterId: agent.id });
    const inc = await open('incident', 'Cannot print on floor 2');
    expect(
      (await app.as(agent).post(`/api/v1/tickets/${inc.id}/links`, { kind: 'problem', targetId: prb.id }))
        .statusCode,
    ).toBe(201);
    const wrong = await app.as(agent).post(`/api/v1/tickets/${inc.id}/known-error`, { workaround: 'x' });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('not_a_problem');
    expect(
      (await app.as(agent).post(`/api/v1/tickets/${prb.id}/known-error`, { workaround: 1 })).statusCode,
    ).toBe(400);
    const tries = await Promise.all(
      Array.from({ length: 8 }, () =>
        app
          .as(agent)
          .post(`/api/v1/tickets/${prb.id}/known-error`, { workaround: 'Restart the spooler service.' }),
      ),
    );
    expect(tries.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(tries.filter((r) => r.statusCode === 409)).toHaveLength(7);
    const ke = tries.find((r) => r.statusCode === 201)!.json();
    expect(ke).toMatchObject({ kind: 'known_error', status: 'draft' });
    expect(ke.working.workaround).toBe('Restart the spooler service.');
    expect(await articlesOf(agent, prb.id)).toEqual([
      expect.objectContaining({ key: ke.key, role: 'known_error', via: null }),
    ]);
    expect(await articlesOf(agent, inc.id)).toEqual([
      expect.objectContaining({ key: ke.key, role: 'known_error', via: prb.key }),
    ]);
    // the requester sees the problem's known error on their incident once it is published for requesters
    expect(await articlesOf(requester, inc.id)).toEqual([]);
  });

  it('suggests published articles the requester may read while they type, by any of the words', async () => {
    const a = await published({
      title: 'Printer jams on tray 2',
      body: 'Open the tray and remove the paper.',
    });
    await published({ title: 'Printer firmware for IT', body: 'Flash the printer.', audience: 'agents' });
    await write({ title: 'Printer draft', body: 'not yet' });
    const r = await app
      .as(requester)
      .get(`/api/v1/kb/suggestions?q=${encodeURIComponent('my printer is jammed!')}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items.map((x: { key: string }) => x.key)).toEqual([a.key]);
    expect((await app.as(requester).get('/api/v1/kb/suggestions?q=a')).json().items).toEqual([]);
    for (const q of ['', `q=${'x'.repeat(501)}`, 'q=printer&limit=50', 'q=printer&x=1']) {
      expect((await app.as(requester).get(`/api/v1/kb/suggestions?${q}`)).statusCode, q).toBe(400);
    }
  });

  it('counts one ticket avoided per visit of the form, per article, and reports it', async () => {
    const a = await published({ title: 'Reset your password yourself', body: 'Use the self-service page.' });
    const hidden = await published({ title: 'Agent-only password tool', body: 'x', audience: 'agents' });
    const session = randomUUID();
    const avoided = (who: TestUser, body: Record<string, unknown>) =>
      app.as(who).post('/api/v1/kb/avoided', body);
    // "this solved it", twenty times at once: one ticket avoided
    const tries = await Promise.all(
      Array.from({ length: 20 }, () =>
        avoided(requester, { sessionId: session, articleId: a.id, how: 'solved' }),
      ),
    );
    expect(tries.every((r) => r.statusCode === 200)).toBe(true);
    expect(tries.filter((r) => r.json().counted)).toHaveLength(1);
    // leaving counts only after opening the suggestion during that visit
    const visit = randomUUID();
    const early = await avoided(requester, { sessionId: visit, articleId: a.id, how: 'left' });
    expect(early.statusCode).toBe(400);
    expect(
      (await app.as(requester).post('/api/v1/kb/suggestions/opened', { sessionId: visit, articleId: a.id }))
        .statusCode,
    ).toBe(204);
    expect((await avoided(requester, { sessionId: visit, articleId: a.id, how: 'left' })).json()).toEqual({
      counted: true,
    });
    // another person's visit, an article they may not read, bad bodies
    expect((await avoided(other, { sessionId: visit, articleId: a.id, how: 'solved' })).statusCode).toBe(409);
    expect(
      (await avoided(requester, { sessionId: randomUUID(), articleId: hidden.id, how: 'solved' })).statusCode,
    ).toBe(404);
    expect(
      (
        await app
          .as(requester)
          .post('/api/v1/kb/suggestions/opened', { sessionId: randomUUID(), articleId: hidden.id })
      ).statusCode,
    ).toBe(404);
    for (const body of [
      { sessionId: 'x', articleId: a.id, how: 'solved' },
      { sessionId: randomUUID(), articleId: a.id, how: 'maybe' },
      { sessionId: randomUUID(), articleId: a.id, how: 'solved', n: 2 },
    ]) {
      expect((await avoided(requester, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const report = await app.as(agent).get('/api/v1/kb/avoided');
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().items.find((x: { key: string }) => x.key === a.key)).toMatchObject({
      solved: 1,
      left: 1,
      total: 2,
    });
    expect((await app.as(requester).get('/api/v1/kb/avoided')).statusCode).toBe(403);
    expect((await app.as(agent).get('/api/v1/kb/avoided?from=2026-12-09&to=2026-12-01')).statusCode).toBe(
      400,
    );
    expect((await app.as(agent).get('/api/v1/kb/avoided?from=yesterday')).statusCode).toBe(400);
    const empty = await app.as(agent).get('/api/v1/kb/avoided?from=2001-01-01&to=2001-01-02');
    expect(empty.json()).toMatchObject({ total: 0, items: [] });
  });

  it('flags an article for review when a linked item or change changes, until its owner reviews it', async () => {
    const a = await write({ title: 'Use the meeting room screen', body: 'Press input 2.' });
    const ci = (await admin().post('/api/v1/cis', { classKey: 'laptop', name: 'Room screen PC' })).json();
    const chg = await app
      .as(agent)
      .post('/api/v1/changes', { type: 'normal', title: 'Replace the room screen' });
    expect(chg.statusCode, chg.body).toBe(201);
    const link = (body: Record<string, unknown>) =>
      app.as(agent).post(`/api/v1/kb/articles/${a.id}/targets`, body);
    expect((await link({ type: 'item', id: ci.id })).statusCode).toBe(204);
    expect((await link({ type: 'change', id: chg.json().id })).statusCode).toBe(204);
    expect((await link({ type: 'item', id: ci.id })).statusCode).toBe(409);
    expect((await link({ type: 'item', id: randomUUID() })).statusCode).toBe(400);
    expect((await link({ type: 'ticket', id: ci.id })).statusCode).toBe(400);
    expect(
      (await app.as(requester).post(`/api/v1/kb/articles/${a.id}/targets`, { type: 'item', id: ci.id }))
        .statusCode,
    ).toBe(403);
    let art = (await app.as(agent).get(`/api/v1/kb/articles/${a.id}`)).json();
    expect(art.targets.map((x: { name: string }) => x.name)).toEqual([
      'Room screen PC',
      `${chg.json().key} Replace the room screen`,
    ]);
    expect(art.reviewFlag).toBeNull();
    // a stale edit of the item changes nothing, so flags nothing
    const stale = await admin().patch(
      `/api/v1/cis/${ci.id}`,
      { name: 'Room screen PC 2' },
      { 'if-match': '"v999"' },
    );
    expect(stale.statusCode).toBe(412);
    expect((await app.as(agent).get(`/api/v1/kb/articles/${a.id}`)).json().reviewFlag).toBeNull();
    const edit = await admin().patch(
      `/api/v1/cis/${ci.id}`,
      { model: 'NUC 13' },
      { 'if-match': `"v${ci.version}"` },
    );
    expect(edit.statusCode, edit.body).toBe(200);
    art = (await app.as(agent).get(`/api/v1/kb/articles/${a.id}`)).json();
    expect(art.reviewFlag).toMatchObject({ reason: 'Room screen PC was edited' });
    const mine = (await app.as(agent).get('/api/v1/kb/articles?scope=working&flagged=true&owner=me')).json();
    expect(mine.items).toEqual([expect.objectContaining({ key: a.key, flagged: true })]);
    expect((await app.as(requester).get('/api/v1/kb/articles?flagged=true')).statusCode).toBe(403);
    expect((await app.as(agent).post(`/api/v1/kb/articles/${a.id}/reviewed`)).statusCode).toBe(204);
    expect((await app.as(agent).post(`/api/v1/kb/articles/${a.id}/reviewed`)).statusCode).toBe(409);
    expect((await app.as(agent).get(`/api/v1/kb/articles/${a.id}`)).json().reviewFlag).toBeNull();
    // the change: an edit flags it again
    const cur = await admin().get(`/api/v1/changes/${chg.json().id}`);
    const ce = await app
      .as(agent)
      .patch(
        `/api/v1/changes/${chg.json().id}`,
        { description: 'new screen model' },
        { 'if-match': cur.headers.etag as string },
      );
    expect(ce.statusCode, ce.body).toBe(200);
    art = (await app.as(agent).get(`/api/v1/kb/articles/${a.id}`)).json();
    expect(art.reviewFlag.reason).toBe(`${chg.json().key} Replace the room screen was edited`);
    // unlinking: a second unlink is a 404
    expect((await app.as(agent).delete(`/api/v1/kb/articles/${a.id}/targets/item/${ci.id}`)).statusCode).toBe(
      204,
    );
    expect((await app.as(agent).delete(`/api/v1/kb/articles/${a.id}/targets/item/${ci.id}`)).statusCode).toBe(
      404,
    );
  });
});
