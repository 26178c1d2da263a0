import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { lineDiff } from './diff.js';
import { sendAcknowledgementReminders, sendReviewReminders } from './index.js';

describe('knowledge base', () => {
  let app: TestApp;
  let author: TestUser;
  let agent2: TestUser;
  let outsider: TestUser;
  let requester: TestUser;
  let board: TestUser[];
  let boardTeam: string;
  let netTeam: string;
  const admin = () => app.as(app.admin);
  const write = async (body: Record<string, unknown>, who: TestUser = author) => {
    const r = await app.as(who).post('/api/v1/kb/articles', body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const get = (id: string, who: { token: string } = app.admin) =>
    app.as(who).get(`/api/v1/kb/articles/${id}`);
  const move = (id: string, to: string, who: TestUser = author) =>
    app.as(who).post(`/api/v1/kb/articles/${id}/transitions`, { to });
  const vote = (id: string, u: TestUser, decision: 'approve' | 'reject', reason = '') =>
    app.as(u).post(`/api/v1/kb/articles/${id}/approvals`, { decision, reason });
  const edit = async (id: string, body: Record<string, unknown>, who: TestUser = author) => {
    const cur = await get(id);
    return app.as(who).patch(`/api/v1/kb/articles/${id}`, body, { 'if-match': cur.headers.etag as string });
  };
  const setApprovers = async (kind: string, body: Record<string, unknown>) => {
    const cur = (await admin().get('/api/v1/kb/approvers'))
      .json()
      .items.find((a: { kind: string }) => a.kind === kind);
    const r = await admin().put(`/api/v1/kb/approvers/${kind}`, body, { 'if-match': `"v${cur.version}"` });
    expect(r.statusCode, r.body).toBe(200);
  };
  /** Writes an article, has the board approve it and publishes it. */
  const published = async (body: Record<string, unknown>) => {
    const a = await write(body);
    expect((await move(a.id, 'in_review')).statusCode).toBe(200);
    for (const u of board) {
      const cur = (await get(a.id)).json();
      if (cur.status !== 'in_review') break;
      expect((await vote(a.id, u, 'approve')).statusCode).toBe(200);
    }
    const p = await move(a.id, 'published');
    expect(p.statusCode, p.body).toBe(200);
    return p.json();
  };
  const search = async (who: { token: string }, q: string) => {
    const r = await app.as(who).get(`/api/v1/kb/articles?q=${encodeURIComponent(q)}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items.map((x: { key: string }) => x.key);
  };

  beforeAll(async () => {
    app = await setup();
    author = await app.user('agent', { name: 'Ada Author' });
    agent2 = await app.user('agent', { name: 'Net Agent' });
    outsider = await app.user('agent', { name: 'Otto Outsider' });
    requester = await app.user('requester', { name: 'Rita Requester' });
    board = await Promise.all([1, 2, 3].map((i) => app.user('manager', { name: `Board Member ${i}` })));
    boardTeam = (
      await admin().post('/api/v1/teams', { name: 'Policy board', memberIds: board.map((u) => u.id) })
    ).json().id;
    netTeam = (
      await admin().post('/api/v1/teams', { name: 'Network', memberIds: [agent2.id, author.id] })
    ).json().id;
    for (const kind of ['how_to', 'known_error', 'procedure', 'runbook'])
      await setApprovers(kind, { teamId: boardTeam, rule: 'any' });
    await setApprovers('policy', { teamId: boardTeam, rule: 'majority' });
  }, 600_000);
  afterAll(async () => {
    await app?.close();
  });

  it('takes an article from draft through review to published, keeping every version with who and when', async () => {
    const a = await write({
      kind: 'how_to',
      title: 'Connect to the Wi-Fi',
      body: 'Open settings.\nPick **Staff**.',
      audience: 'requesters',
      category: 'Network',
      tags: ['wifi', 'laptop'],
    });
    expect(a).toMatchObject({ key: expect.stringMatching(/^KB-\d+$/), status: 'draft', published: null });
    expect(a.working).toMatchObject({ version: 1, title: 'Connect to the Wi-Fi' });
    expect(a.ownerName).toBe('Ada Author');
    // a requester sees nothing of a draft
    expect((await get(a.id, requester)).statusCode).toBe(404);
    expect((await edit(a.id, { body: 'Open settings.\nPick **Staff** and sign in.' })).statusCode).toBe(200);
    expect((await move(a.id, 'published')).json()).toMatchObject({ code: 'illegal_transition' });
    const inReview = (await move(a.id, 'in_review')).json();
    expect(inReview.review).toMatchObject({ version: 2, rule: 'any', required: 1, status: 'pending' });
    expect(inReview.review.approvers).toEqual(['Board Member 1', 'Board Member 2', 'Board Member 3']);
    // no edits while in review; the author is no approver
    expect((await edit(a.id, { title: 'Changed' })).statusCode).toBe(409);
    expect((await vote(a.id, author, 'approve')).statusCode).toBe(403);
    const approved = (await vote(a.id, board[0]!, 'approve')).json();
    expect(approved.status).toBe('approved');
    const pub = (await move(a.id, 'published')).json();
    expect(pub).toMatchObject({ status: 'published', published: { version: 2 } });
    const seen = (await get(a.id, requester)).json();
    expect(seen).toMatchObject({
      published: { version: 2, body: 'Open settings.\nPick **Staff** and sign in.' },
      working: null,
      review: null,
    });
    // a new text goes back to draft; readers keep the published version until the next publication
    expect((await edit(a.id, { body: 'Use the portal.' })).json()).toMatchObject({
      status: 'draft',
      published: { version: 2 },
      working: { version: 3 },
    });
    expect((await get(a.id, requester)).json().published.body).toContain('Pick **Staff**');
    const versions = (await app.as(author).get(`/api/v1/kb/articles/${a.id}/versions`)).json().items;
    expect(
      versions.map((v: { version: number; author: string; published: boolean }) => [
        v.version,
        v.author,
        v.published,
      ]),
    ).toEqual([
      [3, 'Ada Author', false],
      [2, 'Ada Author', true],
      [1, 'Ada Author', false],
    ]);
    expect((await app.as(requester).get(`/api/v1/kb/articles/${a.id}/versions`)).statusCode).toBe(403);
    const diff = (await app.as(author).get(`/api/v1/kb/articles/${a.id}/diff?from=1&to=3`)).json();
    expect(diff.lines).toEqual([
      { op: 'same', text: '# Connect to the Wi-Fi' },
      { op: 'del', text: 'Open settings.' },
      { op: 'del', text: 'Pick **Staff**.' },
      { op: 'add', text: 'Use the portal.' },
    ]);
    expect((await app.as(author).get(`/api/v1/kb/articles/${a.id}/diff?from=1&to=9`)).statusCode).toBe(404);
    // retired: never shown, to anyone who only reads
    expect((await move(a.id, 'approved')).json()).toMatchObject({ code: 'illegal_transition' });
    expect((await move(a.id, 'in_review')).statusCode).toBe(200);
    // an "any" review is not rejected by one of three: the author withdraws it
    expect((await vote(a.id, board[1]!, 'reject', 'Say which portal.')).json()).toMatchObject({
      status: 'in_review',
    });
    expect((await move(a.id, 'draft')).json()).toMatchObject({
      status: 'draft',
      review: { status: 'withdrawn' },
    });
    expect((await move(a.id, 'retired')).json()).toMatchObject({ status: 'retired', published: null });
    expect((await get(a.id, requester)).statusCode).toBe(404);
    expect(await search(requester, 'wifi')).toEqual([]);
    const audit = await app.server.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'kb_article')
      .where('entity_id', '=', a.id)
      .orderBy('id')
      .execute();
    expect(audit.map((x) => x.action)).toEqual([
      'kb.created',
      'kb.updated',
      'kb.moved',
      'kb.voted',
      'kb.approved',
      'kb.published',
      'kb.updated',
      'kb.moved',
      'kb.voted',
      'kb.moved',
      'kb.retired',
    ]);
  });

  it('needs managers for a policy and decides once when approvers vote at the same time', async () => {
    // a team of agents cannot approve a policy: its approvers are its managers and admins only
    await setApprovers('policy', { teamId: netTeam, rule: 'any' });
    const p = await write({
      kind: 'policy',
      title: 'Acceptable use',
      body: 'Be kind.',
      audience: 'requesters',
    });
    expect((await move(p.id, 'in_review')).json()).toMatchObject({ code: 'no_approvers' });
    await setApprovers('policy', { teamId: boardTeam, rule: 'all' });
    expect((await move(p.id, 'in_review')).statusCode).toBe(200);
    const votes = await Promise.all(
      board.flatMap((u) => [vote(p.id, u, 'approve'), vote(p.id, u, 'approve')]),
    );
    expect(votes.filter((r) => r.statusCode === 200)).toHaveLength(3);
    expect(votes.filter((r) => r.statusCode === 409)).toHaveLength(3);
    const after = (await get(p.id)).json();
    expect(after.status).toBe('approved');
    // under "all", one rejection sends it back to draft with the reason
    const p2 = await write({
      kind: 'policy',
      title: 'Remote work',
      body: 'Work anywhere.',
      audience: 'agents',
    });
    await move(p2.id, 'in_review');
    expect((await vote(p2.id, board[2]!, 'reject', 'Too broad.')).json()).toMatchObject({
      status: 'draft',
      review: { status: 'rejected', votes: [{ by: 'Board Member 3', reason: 'Too broad.' }] },
    });
    const decided = await app.server.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', p.id)
      .where('action', '=', 'kb.approved')
      .execute();
    expect(decided).toHaveLength(1);
    // "any" of three approving at once: one decision, the late votes find nothing to vote on
    await setApprovers('runbook', { teamId: boardTeam, rule: 'any' });
    const rb = await write({
      kind: 'runbook',
      title: 'Restart the VPN',
      body: 'systemctl restart vpn',
      audience: 'agents',
    });
    await move(rb.id, 'in_review');
    const race = await Promise.all(board.map((u) => vote(rb.id, u, 'approve')));
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const reviewVotes = await app.server.ctx.db
      .selectFrom('kb_votes')
      .select('user_id')
      .where('article_id', '=', rb.id)
      .execute();
    expect(reviewVotes).toHaveLength(1);
  });

  it('shows each audience only its articles, and searches published, still valid text on both databases', async () => {
    const forAll = await published({
      kind: 'how_to',
      title: 'Reset your password',
      body: 'Use the self-service portal.',
      audience: 'requesters',
      tags: ['account'],
    });
    const forIt = await published({
      kind: 'known_error',
      title: 'Printer jams on tray two',
      body: 'Tray two jams.',
      workaround: 'Use tray one.',
      audience: 'agents',
    });
    const forNet = await published({
      kind: 'runbook',
      title: 'Switch reset procedure',
      body: 'Power-cycle the core switch.',
      audience: 'team',
      teamId: netTeam,
    });
    const expired = await published({
      kind: 'how_to',
      title: 'Old password rules',
      body: 'Passwords expire monthly.',
      audience: 'requesters',
      validTo: '2020-01-01',
    });
    expect(await search(requester, 'password')).toEqual([forAll.key]);
    expect(await search(requester, 'jams')).toEqual([]);
    expect(await search(outsider, 'jammed tray')).toEqual([forIt.key]);
    expect(await search(outsider, 'switch')).toEqual([]);
    expect(await search(agent2, 'power cycle')).toEqual([forNet.key]);
    expect(await search(agent2, 'powercycle')).toEqual([forNet.key]);
    expect(await search(app.admin, 'account')).toEqual([forAll.key]);
    // past its "valid to" date it leaves search, but is still readable
    expect((await get(expired.id, requester)).statusCode).toBe(200);
    expect((await get(forNet.id, outsider)).statusCode).toBe(404);
    expect((await get(forIt.id, requester)).statusCode).toBe(404);
    // the global search box shows published articles the caller may read
    const g = (await app.as(requester).get('/api/v1/search?q=password')).json();
    expect(g.articles.map((x: { key: string }) => x.key)).toEqual([forAll.key]);
    const gi = (await app.as(outsider).get('/api/v1/search?q=tray')).json();
    expect(gi.articles).toEqual([
      { id: forIt.id, key: forIt.key, kind: 'known_error', title: 'Printer jams on tray two' },
    ]);
    // a known error goes to review only with its workaround
    const ke = await write({
      kind: 'known_error',
      title: 'VPN drops',
      body: 'It drops.',
      audience: 'agents',
    });
    expect((await move(ke.id, 'in_review')).json()).toMatchObject({ code: 'workaround_missing' });
    // browsing lists by kind and tag; authors list drafts with scope=working, readers may not
    const howTos = (await app.as(requester).get('/api/v1/kb/articles?kind=how_to&tag=account')).json().items;
    expect(howTos.map((x: { key: string }) => x.key)).toEqual([forAll.key]);
    expect((await app.as(requester).get('/api/v1/kb/articles?scope=working')).statusCode).toBe(403);
    const drafts = (
      await app.as(author).get('/api/v1/kb/articles?scope=working&status=draft&limit=200')
    ).json().items;
    expect(drafts.map((x: { key: string }) => x.key)).toContain(ke.key);
  });

  it('asks people to acknowledge a published policy, shows progress and reminds who has not', async () => {
    await setApprovers('policy', { teamId: boardTeam, rule: 'any' });
    const p = await published({
      kind: 'policy',
      title: 'Clean desk policy',
      body: 'Lock your screen.',
      audience: 'requesters',
    });
    expect(
      (await app.as(author).put(`/api/v1/kb/articles/${p.id}/campaign`, { target: 'everyone' })).statusCode,
    ).toBe(403);
    const started = await app
      .as(board[0]!)
      .put(`/api/v1/kb/articles/${p.id}/campaign`, { target: 'team', teamId: netTeam, dueOn: '2031-01-31' });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ total: 2, acknowledged: [], dueOn: '2031-01-31' });
    const mine = await app.as(agent2).get('/api/v1/kb/acknowledgements');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.map((x: { key: string }) => x.key)).toEqual([p.key]);
    expect(
      (await app.as(requester).post(`/api/v1/kb/articles/${p.id}/acknowledgements`)).json(),
    ).toMatchObject({ code: 'not_asked' });
    // twenty at once count once
    const many = await Promise.all(
      Array.from({ length: 20 }, () => app.as(agent2).post(`/api/v1/kb/articles/${p.id}/acknowledgements`)),
    );
    expect(many.every((r) => r.statusCode === 200)).toBe(true);
    expect(many[0]!.json().acknowledgement).toMatchObject({
      required: true,
      acknowledgedAt: expect.any(String),
    });
    const progress = (await app.as(board[0]!).get(`/api/v1/kb/articles/${p.id}/campaign`)).json();
    expect(progress.acknowledged.map((x: { name: string }) => x.name)).toEqual(['Net Agent']);
    expect(progress.pending.map((x: { name: string }) => x.name)).toEqual(['Ada Author']);
    expect((await app.as(author).get(`/api/v1/kb/articles/${p.id}/campaign`)).statusCode).toBe(403);
    const acks = await app.server.ctx.db
      .selectFrom('kb_acknowledgements')
      .selectAll()
      .where('article_id', '=', p.id)
      .execute();
    expect(acks).toHaveLength(1);
    // reminders: once a day, only to who has not acknowledged
    const ctx = app.server.ctx;
    const [first, again] = [await sendAcknowledgementReminders(ctx), await sendAcknowledgementReminders(ctx)];
    expect(first).toBeGreaterThanOrEqual(1);
    expect(again).toBe(0);
    const notes = await ctx.db
      .selectFrom('notifications')
      .select('user_id')
      .where('event', '=', 'reminder')
      .execute();
    expect(notes.map((n) => n.user_id)).toContain(author.id);
    expect(notes.map((n) => n.user_id)).not.toContain(agent2.id);
    // a drafted policy cannot start a campaign; a new publication asks everyone again
    const draft = await write({ kind: 'policy', title: 'Draft policy', body: 'x', audience: 'requesters' });
    expect(
      (
        await app.as(board[0]!).put(`/api/v1/kb/articles/${draft.id}/campaign`, { target: 'everyone' })
      ).json(),
    ).toMatchObject({ code: 'not_published' });
    expect((await edit(p.id, { body: 'Lock your screen and drawer.' })).statusCode).toBe(200);
    await move(p.id, 'in_review');
    await vote(p.id, board[1]!, 'approve');
    await move(p.id, 'published');
    const again2 = (await app.as(board[0]!).get(`/api/v1/kb/articles/${p.id}/campaign`)).json();
    expect(again2).toMatchObject({ version: 2, acknowledged: [] });
  });

  it('reminds owners of review dates once', async () => {
    const a = await write({
      kind: 'procedure',
      title: 'Onboarding',
      body: 'Steps.',
      audience: 'agents',
      reviewAt: '2020-06-01',
    });
    const ctx = app.server.ctx;
    expect(await sendReviewReminders(ctx)).toBeGreaterThanOrEqual(1);
    expect(await sendReviewReminders(ctx)).toBe(0);
    expect((await edit(a.id, { reviewAt: '2020-07-01' })).statusCode).toBe(200);
    expect(await sendReviewReminders(ctx)).toBe(1);
  });

  it('refuses bad input and stale edits, and writes nothing', async () => {
    const bad = [
      { kind: 'memo', title: 'x', body: '', audience: 'requesters' },
      { kind: 'how_to', title: '', body: '', audience: 'requesters' },
      { kind: 'how_to', title: 'x'.repeat(201), body: '', audience: 'requesters' },
      { kind: 'how_to', title: 'x', body: 'y'.repeat(100_001), audience: 'requesters' },
      { kind: 'how_to', title: 'a\u0000b', body: '', audience: 'requesters' },
      { kind: 'how_to', title: 'x', body: '', audience: 'team' },
      { kind: 'how_to', title: 'x', body: '', audience: 'requesters', teamId: netTeam },
      {
        kind: 'how_to',
        title: 'x',
        body: '',
        audience: 'team',
        teamId: '00000000-0000-4000-8000-000000000000',
      },
      { kind: 'how_to', title: 'x', body: '', audience: 'requesters', validTo: '2031-02-30' },
      { kind: 'how_to', title: 'x', body: '', audience: 'requesters', tags: ['a,b'] },
      { kind: 'how_to', title: 'x', body: '', audience: 'requesters', extra: 1 },
    ];
    const before = await app.server.ctx.db
      .selectFrom('kb_articles')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const b of bad)
      expect(
        (await app.as(author).post('/api/v1/kb/articles', b)).statusCode,
        JSON.stringify(b).slice(0, 80),
      ).toBe(400);
    expect(
      (
        await app
          .as(requester)
          .post('/api/v1/kb/articles', { kind: 'how_to', title: 'x', body: '', audience: 'requesters' })
      ).statusCode,
    ).toBe(403);
    const after = await app.server.ctx.db
      .selectFrom('kb_articles')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const a = await write({ kind: 'how_to', title: 'Stale', body: 'v1', audience: 'requesters' });
    const stale = await app
      .as(author)
      .patch(`/api/v1/kb/articles/${a.id}`, { body: 'v2' }, { 'if-match': '"v999"' });
    expect(stale.statusCode).toBe(412);
    expect((await app.as(author).patch(`/api/v1/kb/articles/${a.id}`, { body: 'v2' })).statusCode).toBe(428);
    // parallel edits at one version: one wins, the others are stale, one new version only
    const etag = (await get(a.id)).headers.etag as string;
    const edits = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        app.as(author).patch(`/api/v1/kb/articles/${a.id}`, { body: `edit ${i}` }, { 'if-match': etag }),
      ),
    );
    expect(edits.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(edits.filter((r) => r.statusCode === 412)).toHaveLength(9);
    expect((await get(a.id)).json().working.version).toBe(2);
    for (const q of ['', 'x'.repeat(201), 'a%00b'])
      expect((await app.as(author).get(`/api/v1/kb/articles?q=${q}`)).statusCode, q).toBe(400);
    expect((await app.as(author).get(`/api/v1/kb/articles/${a.id}/diff?from=x&to=1`)).statusCode).toBe(400);
    expect(
      (await app.as(author).post(`/api/v1/kb/articles/${a.id}/transitions`, { to: 'gone' })).statusCode,
    ).toBe(400);
    expect(
      (await app.as(author).post(`/api/v1/kb/articles/${a.id}/approvals`, { decision: 'reject' })).statusCode,
    ).toBe(400);
    expect((await app.anonymous.get('/api/v1/kb/articles')).statusCode).toBe(401);
  });

  it('diffs lines by their longest common subsequence', () => {
    expect(lineDiff(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([
      { op: 'same', text: 'a' },
      { op: 'del', text: 'b' },
      { op: 'add', text: 'x' },
      { op: 'same', text: 'c' },
      { op: 'same', text: 'd' },
      { op: 'add', text: 'e' },
    ]);
    expect(lineDiff([], ['a'])).toEqual([{ op: 'add', text: 'a' }]);
  });
});
