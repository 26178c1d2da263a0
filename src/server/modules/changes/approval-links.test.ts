import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import {
  captureSettings,
  type CapturedMail,
  type SmtpCapture,
  startSmtpCapture,
} from '../../../../test/support/smtp-capture.js';

const tokenOf = (m: CapturedMail): string => {
  const t = /#token=([A-Za-z0-9_-]+)/.exec(m.text)?.[1];
  if (!t) throw new Error(`no link in: ${m.text}`);
  return t;
};

/**
 * Approve or reject from the notification e-mail (through a real SMTP session): each approver of the level
 * that starts waiting gets a one-time link bound to them; it decides once (20 parallel tries), only for them
 * signed in, and not after the level is decided.
 */
describe('approval links in e-mail', () => {
  let app: TestApp;
  let smtp: SmtpCapture;
  let agent: TestUser;
  let approvers: TestUser[];
  const mailTo = (u: TestUser) => smtp.waitFor((m) => m.to.includes(u.email));
  const lookUp = (who: TestUser, token: string) =>
    app.as(who).post('/api/v1/change-approval-links/look-up', { token });
  const decide = (who: TestUser, token: string, decision = 'approve', reason = '') =>
    app.as(who).post('/api/v1/change-approval-links/decide', { token, decision, reason });

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    app = await setup({
      STEWARD_JOBS: 'on',
      STEWARD_JOBS_POLL_MS: '100',
      ...captureSettings(smtp),
    });
    agent = await app.user('agent');
    approvers = await Promise.all([1, 2].map((i) => app.user('manager', { name: `Approver ${i}` })));
    const team = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'ECAB', memberIds: approvers.map((u) => u.id) })
    ).json().id;
    const routes = (await app.as(app.admin).get('/api/v1/change-approval-routes')).json().items;
    const cur = routes.find((r: { route: string }) => r.route === 'emergency');
    await app
      .as(app.admin)
      .put(
        '/api/v1/change-approval-routes/emergency',
        { levels: [{ teamId: team, rule: 'any' }] },
        { 'if-match': `"v${cur.version}"` },
      );
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  it('mails each approver a link of their own that decides once, for them only', async () => {
    const c = await app.as(agent).post('/api/v1/changes', {
      type: 'emergency',
      title: 'Close the open port',
      plannedStart: '2034-01-02T10:00:00Z',
      plannedEnd: '2034-01-02T11:00:00Z',
    });
    const id = c.json().id as string;
    await app.as(agent).post(`/api/v1/changes/${id}/transitions`, { to: 'assessment' });
    expect(
      (await app.as(agent).post(`/api/v1/changes/${id}/transitions`, { to: 'authorisation' })).statusCode,
    ).toBe(200);
    const [m1, m2] = await Promise.all(approvers.map(mailTo));
    expect(m1!.subject).toBe(`${c.json().key} “Close the open port” needs your approval`);
    expect(m1!.text).toContain('https://desk.example.com/changes/approve#token=');
    const t1 = tokenOf(m1!);
    const t2 = tokenOf(m2!);

    // Bound to its approver: anyone else, even the other approver, finds nothing.
    expect((await lookUp(agent, t1)).statusCode).toBe(404);
    expect((await lookUp(approvers[1]!, t1)).statusCode).toBe(404);
    expect((await decide(approvers[1]!, t1)).statusCode).toBe(404);
    expect(
      (await app.anonymous.post('/api/v1/change-approval-links/look-up', { token: t1 })).statusCode,
    ).toBe(401);
    expect((await lookUp(approvers[0]!, t1)).json()).toMatchObject({ changeId: id, level: 1 });
    expect((await lookUp(approvers[0]!, 'short')).statusCode).toBe(400);

    const tries = await Promise.all(
      Array.from({ length: 20 }, () => decide(approvers[0]!, t1, 'approve', 'Go')),
    );
    expect(tries.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(tries.filter((r) => r.statusCode === 404)).toHaveLength(19);
    const done = (await app.as(agent).get(`/api/v1/changes/${id}`)).json();
    expect(done.status).toBe('scheduled');
    expect(done.approvals[0].votes).toEqual([
      expect.objectContaining({ by: 'Approver 1', decision: 'approve', castBy: null }),
    ]);
    expect((await lookUp(approvers[0]!, t1)).statusCode).toBe(404);
    // The level is decided: the other approver's link decides nothing.
    const late = await decide(approvers[1]!, t2, 'reject', 'Too late');
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('not_awaiting_approval');
  });
});
