// Invitations and "forgot password": one-time links e-mailed through a real SMTP session, stored hashed,
// expiring, used once (decided in the database under parallel redemptions), and answers that never tell
// whether an address belongs to someone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, signIn, type TestApp } from '../../../../test/support/api.js';
import {
  captureSettings,
  type CapturedMail,
  startSmtpCapture,
  type SmtpCapture,
} from '../../../../test/support/smtp-capture.js';

const linkOf = (m: CapturedMail): string => {
  const url = /https:\/\/desk\.example\.com\/set-password#(?:invite|reset)=([A-Za-z0-9_-]+)/.exec(m.text);
  if (!url?.[1]) throw new Error(`no link in: ${m.text}`);
  return url[1];
};

describe('password links: invitations and forgot password', () => {
  let app: TestApp;
  let smtp: SmtpCapture;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    app = await setup({
      STEWARD_JOBS: 'on',
      STEWARD_JOBS_POLL_MS: '100',
      ...captureSettings(smtp),
      STEWARD_LOGIN_MAX_FAILURES: '3',
    });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  const setPassword = (token: string, password: string) =>
    app.anonymous.post('/api/v1/auth/set-password', { token, password });

  it('invites a user created without a password; the link works once, even under 20 parallel tries', async () => {
    const created = await app.as(app.admin).post('/api/v1/users', {
      email: 'nina.new@example.com',
      name: 'Nina New',
      role: 'agent',
    });
    expect(created.statusCode).toBe(201);
    const mail = await smtp.waitFor((m) => m.to.includes('nina.new@example.com'));
    expect(mail.subject).toBe('Your Steward account: set your password');
    expect(mail.text).toContain('Hello Nina New');
    const token = linkOf(mail);
    // Only the hash is stored, and the mail log forgets the link once the mail is sent.
    const links = await app.database.db.selectFrom('password_links').selectAll().execute();
    expect(links.map((l) => l.token_hash)).not.toContain(token);
    const logged = () =>
      app.database.db
        .selectFrom('mail_messages')
        .select('body')
        .where('address', '=', 'nina.new@example.com')
        .executeTakeFirstOrThrow();
    await expect.poll(async () => (await logged()).body, { timeout: 10_000 }).not.toContain(token);
    expect((await logged()).body).toContain('one-time link');
    // A refused password leaves the link working.
    const weak = await setPassword(token, 'ninaninanina');
    expect(weak.statusCode).toBe(400);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => setPassword(token, 'the quiet orange harbour')),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 204)).toHaveLength(1);
    expect(codes.filter((c) => c === 400)).toHaveLength(19);
    expect(answers.find((a) => a.statusCode === 400)?.json()).toMatchObject({ code: 'link_invalid' });
    await signIn(app, 'nina.new@example.com', 'the quiet orange harbour');
    const audit = await app.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', created.json().id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.created', 'user.invited', 'user.password_set']),
    );
  }, 120_000);

  it('answers forgot-password the same for known and unknown addresses, and mails only the known one', async () => {
    const u = await app.user('requester', { email: 'rita@example.com', name: 'Rita Requester' });
    const known = await app.anonymous.post('/api/v1/auth/forgot-password', { email: 'RITA@example.com' });
    const unknown = await app.anonymous.post('/api/v1/auth/forgot-password', { email: 'nobody@example.com' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const mail = await smtp.waitFor((m) => m.to.includes('rita@example.com'));
    expect(mail.subject).toBe('Reset your Steward password');
    // The unknown address's job has run too (jobs run in order of queueing): it sent nothing.
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails.some((m) => m.to.includes('nobody@example.com'))).toBe(false);
    // A reset ends every session of the user.
    const session = await signIn(app, u.email, u.password);
    expect((await app.anonymous.get('/api/v1/auth/session', { cookie: session.cookie })).statusCode).toBe(
      200,
    );
    expect((await setPassword(linkOf(mail), 'a brand new reset password')).statusCode).toBe(204);
    const after = await app.anonymous.get('/api/v1/auth/session', { cookie: session.cookie });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toBe('your session has ended: sign in again');
    await signIn(app, u.email, 'a brand new reset password');
    const audit = await app.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', u.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.password_reset_sent', 'user.password_reset']),
    );
  }, 120_000);

  it('refuses an expired link, and a newer link retires the older one', async () => {
    const u = await app.user('agent', { email: 'eddie@example.com', name: 'Eddie Expired' });
    await app.anonymous.post('/api/v1/auth/forgot-password', { email: u.email });
    const first = linkOf(await smtp.waitFor((m) => m.to.includes(u.email)));
    await app.anonymous.post('/api/v1/auth/forgot-password', { email: u.email });
    const second = linkOf(await smtp.waitFor((m) => m.to.includes(u.email) && !m.text.includes(first)));
    expect((await setPassword(first, 'an older link password')).json().code).toBe('link_invalid');
    await app.database.db
      .updateTable('password_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', u.id)
      .execute();
    const expired = await setPassword(second, 'an expired link password');
    expect(expired.statusCode).toBe(400);
    expect(expired.json().detail).toContain('expired');
    await signIn(app, u.email, u.password);
  }, 120_000);

  it('limits forgot-password per address like sign-ins, for unknown addresses alike', async () => {
    await app.user('requester', { email: 'lena@example.com', name: 'Lena Limited' });
    for (const email of ['limited@example.com', 'lena@example.com']) {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await app.anonymous.post('/api/v1/auth/forgot-password', { email })).statusCode);
      }
      expect(codes).toEqual([202, 202, 202, 429]);
    }
    const bad = await app.anonymous.post('/api/v1/auth/forgot-password', { email: 'not an address' });
    expect(bad.statusCode).toBe(400);
  });
});
