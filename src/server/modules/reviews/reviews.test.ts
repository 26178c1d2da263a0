import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { sendReviewReminders } from './index.js';

interface Item {
  id: string;
  kind: string;
  holder: string;
  holding: string;
  decision: string | null;
  outcome: string | null;
  canDecide: boolean;
}

describe('access reviews', () => {
  let app: TestApp;
  let lena: TestUser; // manager, lead of the Network team
  let tom: TestUser; // agent, member of the Network team, may reveal the router password
  let rita: TestUser; // agent, manages the router password
  let ada: TestUser; // a second admin
  let reqr: TestUser;
  let team: string;
  let cred: string;
  let campaign: string;
  const admin = () => app.as(app.admin);
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const items = async (who: TestUser, query = '') => {
    const r = await app.as(who).get(`/api/v1/reviews/${campaign}/items?limit=200${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items as Item[];
  };
  const find = (list: Item[], holder: string, holding: string) =>
    list.find((i) => i.holder === holder && i.holding === holding)!;
  const decide = (who: TestUser, item: string, body: Record<string, unknown>) =>
    app.as(who).post(`/api/v1/reviews/${campaign}/items/${item}/decision`, body);

  beforeAll(async () => {
    app = await setup();
    lena = await app.user('manager', { name: 'Lena Lead' });
    tom = await app.user('agent', { name: 'Tom Agent' });
    rita = await app.user('agent', { name: 'Rita Agent' });
    ada = await app.user('admin', { name: 'Ada Admin' });
    reqr = await app.user('requester', { name: 'Rob Requester' });
    const t = await admin().post('/api/v1/teams', { name: 'Network team', memberIds: [lena.id, tom.id] });
    expect(t.statusCode, t.body).toBe(201);
    team = t.json().id;
    const c = await admin().post('/api/v1/cis', {
      classKey: 'credential',
      name: 'Core router admin',
      custom: { system: 'core-router' },
    });
    expect(c.statusCode, c.body).toBe(201);
    cred = c.json().id;
    expect(
      (await app.as(rita).put(`/api/v1/vault/${cred}/secret`, { password: 'router pw' })).statusCode,
    ).toBe(200);
    const shared = await app.as(rita).put(`/api/v1/vault/${cred}/shares`, {
      shares: [
        { userId: rita.id, level: 'manage' },
        { userId: tom.id, level: 'reveal' },
      ],
    });
    expect(shared.statusCode, shared.body).toBe(200);
  });
  afterAll(async () => app?.close());

  it('lets only admins start a campaign, with a clear 400 for bad input', async () => {
    const body = { name: 'Q4 access review', scope: ['team', 'role', 'credential'], due: day(7) };
    expect((await app.as(reqr).get('/api/v1/reviews')).statusCode).toBe(404);
    expect((await app.as(reqr).post('/api/v1/reviews', body)).statusCode).toBe(404);
    expect((await app.as(lena).post('/api/v1/reviews', body)).statusCode).toBe(403);
    for (const bad of [
      { ...body, due: day(-1) },
      { ...body, scope: [] },
      { ...body, scope: ['team', 'team'] },
      { ...body, scope: ['everything'] },
      { ...body, name: 'a\u0000b' },
      { ...body, name: 'x'.repeat(201) },
      { ...body, extra: 1 },
    ]) {
      const r = await admin().post('/api/v1/reviews', bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await admin().get('/api/v1/reviews')).json().items).toEqual([]);
    const r = await admin().post('/api/v1/reviews', body);
    expect(r.statusCode, r.body).toBe(201);
    campaign = r.json().id;
    expect(r.json()).toMatchObject({ status: 'open', pending: r.json().total, confirmed: 0, revoked: 0 });
  });

  it('gives each holding to its owners, and shows people only what they decide', async () => {
    const all = await items(app.admin);
    expect(find(all, 'Tom Agent', 'member of Network team')).toBeTruthy();
    expect(find(all, 'Tom Agent', 'role agent')).toBeTruthy();
    expect(find(all, 'Ada Admin', 'role admin')).toBeTruthy();
    expect(find(all, 'Tom Agent', 'may reveal “Core router admin”')).toBeTruthy();
    expect(find(all, 'Rita Agent', 'manages “Core router admin”')).toBeTruthy();
    expect(all.some((i) => i.holder === 'Rob Requester')).toBe(false);
    // The team lead decides Tom's membership; Rita (who manages the credential) decides Tom's share.
    expect((await items(lena)).map((i) => [i.holder, i.holding])).toEqual([
      ['Tom Agent', 'member of Network team'],
    ]);
    expect((await items(rita)).map((i) => [i.holder, i.holding])).toEqual([
      ['Tom Agent', 'may reveal “Core router admin”'],
    ]);
    expect((await app.as(lena).get('/api/v1/reviews')).json().items[0]).toMatchObject({ mine: 1 });
    // Tom decides nothing: the campaign does not exist for him.
    expect((await app.as(tom).get('/api/v1/reviews')).json().items).toEqual([]);
    expect((await app.as(tom).get(`/api/v1/reviews/${campaign}`)).statusCode).toBe(404);
    expect((await app.as(tom).get(`/api/v1/reviews/${campaign}/items`)).statusCode).toBe(404);
    const other = find(all, 'Ada Admin', 'role admin');
    expect((await decide(tom, other.id, { decision: 'confirm' })).statusCode).toBe(404);
    expect((await decide(lena, other.id, { decision: 'maybe' })).statusCode).toBe(400);
  });

  it('reminds the reviewers with something left to decide, once a day', async () => {
    const before = (await app.as(lena).get('/api/v1/notifications')).json().items.length;
    expect(await sendReviewReminders(app.server.ctx)).toBe(1);
    expect(await sendReviewReminders(app.server.ctx)).toBe(0);
    const notes = (await app.as(lena).get('/api/v1/notifications')).json().items;
    expect(notes.length).toBe(before + 1);
    expect(JSON.stringify(notes)).toContain('Q4 access review');
  });

  it('applies a credential revocation through the vault, audited', async () => {
    const item = (await items(rita))[0]!;
    const r = await decide(rita, item.id, { decision: 'revoke', comment: 'left the network team' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ decision: 'revoke', outcome: 'revoked', decidedBy: rita.email });
    expect((await app.as(tom).post(`/api/v1/vault/${cred}/reveal`, { reason: 'check' })).statusCode).toBe(
      403,
    );
    const audit = (await admin().get(`/api/v1/audit?entityId=${cred}`)).json().items as { action: string }[];
    expect(audit.map((a) => a.action)).toContain('vault.share_revoked');
    // Decided once: a second decision is a 409.
    expect((await decide(rita, item.id, { decision: 'confirm' })).statusCode).toBe(409);
  });

  it('decides a holding once when twenty reviewers decide it at the same moment', async () => {
    const item = find(await items(app.admin), 'Tom Agent', 'member of Network team');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        decide(i % 2 ? lena : app.admin, item.id, { decision: i % 3 ? 'revoke' : 'confirm' }),
      ),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    const won = answers.find((a) => a.statusCode === 200)!.json();
    const members = (await admin().get(`/api/v1/teams/${team}`)).json().memberIds as string[];
    expect(members.includes(tom.id)).toBe(won.decision === 'confirm');
    const decisions = (await admin().get(`/api/v1/audit?entityId=${campaign}`))
      .json()
      .items.filter(
        (a: { action: string; after: { item?: string } }) =>
          a.action === 'review.decided' && a.after.item === item.id,
      );
    expect(decisions).toHaveLength(1);
  });

  it('takes a role away through the users service; nobody reviews their own; the last admin stays', async () => {
    const all = await items(app.admin);
    const tomRole = find(all, 'Tom Agent', 'role agent');
    const r = await decide(app.admin, tomRole.id, { decision: 'revoke' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().outcome).toBe('revoked');
    expect((await admin().get(`/api/v1/users/${tom.id}`)).json().role).toBe('requester');
    // Tom's token now acts as a requester.
    expect((await app.as(tom).get('/api/v1/users')).statusCode).toBe(404);
    const own = find(all, 'Admin', 'role admin');
    expect((await decide(app.admin, own.id, { decision: 'confirm' })).statusCode).toBe(403);
    // Ada, once an admin (and so the reviewer of the first admin's role), is now an agent: revoking the last
    // admin's role fails as a whole and leaves the holding undecided.
    const user = (await admin().get(`/api/v1/users/${ada.id}`)).json();
    const demoted = await admin().patch(
      `/api/v1/users/${ada.id}`,
      { role: 'agent' },
      { 'if-match': `"v${user.version}"` },
    );
    expect(demoted.statusCode, demoted.body).toBe(200);
    const last = await decide(ada, own.id, { decision: 'revoke' });
    expect(last.statusCode, last.body).toBe(409);
    expect(last.json().code).toBe('last_admin');
    expect(find(await items(app.admin), 'Admin', 'role admin').decision).toBeNull();
    expect((await admin().get(`/api/v1/users/${app.admin.id}`)).json().role).toBe('admin');
  });

  it('closes into evidence that cannot change, exported as JSON and CSV', async () => {
    expect((await admin().get(`/api/v1/reviews/${campaign}/evidence`)).statusCode).toBe(409);
    expect((await app.as(lena).post(`/api/v1/reviews/${campaign}/close`)).statusCode).toBe(403);
    const closed = await admin().post(`/api/v1/reviews/${campaign}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    const c = closed.json();
    expect(c).toMatchObject({ status: 'closed', closedBy: app.admin.email, mine: 0 });
    expect(c.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await admin().post(`/api/v1/reviews/${campaign}/close`)).statusCode).toBe(409);
    const open = find(await items(app.admin), 'Ada Admin', 'role admin');
    expect(open.canDecide).toBe(false);
    expect((await decide(app.admin, open.id, { decision: 'confirm' })).statusCode).toBe(409);
    const json = await admin().get(`/api/v1/reviews/${campaign}/evidence?format=json`);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.headers['x-evidence-sha256']).toBe(c.evidenceSha256);
    const e = json.json();
    expect(e.sha256).toBe(c.evidenceSha256);
    expect(e.campaign).toMatchObject({ name: 'Q4 access review', closedBy: app.admin.email });
    expect(e.items).toHaveLength(c.total);
    expect(e.items).toContainEqual(
      expect.objectContaining({
        holder: 'Tom Agent',
        holding: 'role agent',
        decision: 'revoke',
        outcome: 'revoked',
      }),
    );
    expect(e.items).toContainEqual(
      expect.objectContaining({ holder: 'Ada Admin', holding: 'role admin', decision: 'not reviewed' }),
    );
    const csv = await admin().get(`/api/v1/reviews/${campaign}/evidence?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('kind,holder,holding,decision,decided by,decided at,comment,outcome');
    expect(lines).toHaveLength(c.total + 1);
    expect((await admin().get(`/api/v1/reviews/${campaign}/evidence?format=xml`)).statusCode).toBe(400);
    expect((await app.as(lena).get(`/api/v1/reviews/${campaign}/evidence`)).statusCode).toBe(403);
    // The database itself refuses to change the evidence.
    const db = app.server.ctx.db;
    await expect(
      sql`UPDATE review_items SET comment = 'edited' WHERE campaign_id = ${campaign}`.execute(db),
    ).rejects.toThrow(/evidence/);
    await expect(sql`DELETE FROM review_campaigns WHERE id = ${campaign}`.execute(db)).rejects.toThrow(
      /evidence/,
    );
  });
});
