// The e-mail channel in the settings: its configuration shown to admins (never a password), and a test
// message sent now through a real SMTP session, logged and audited; a refused or unreachable server is an
// answer, not an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { freePort } from '../../../../test/support/server.js';
import { startSmtpCapture, type SmtpCapture } from '../../../../test/support/smtp-capture.js';

describe('mail channel settings and test message', () => {
  let app: TestApp;
  let off: TestApp;
  let smtp: SmtpCapture;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    app = await setup({
      STEWARD_JOBS: 'off',
      STEWARD_SMTP_HOST: '127.0.0.1',
      STEWARD_SMTP_PORT: String(smtp.port),
      STEWARD_SMTP_SECURITY: 'none',
      STEWARD_SMTP_USER: 'desk',
      STEWARD_SMTP_PASSWORD: 'smtp-secret-value',
      STEWARD_MAIL_FROM: 'Service Desk <desk@example.com>',
      STEWARD_MAIL_INBOUND: 'imap',
      STEWARD_MAIL_IMAP_USER: 'desk',
      STEWARD_MAIL_IMAP_PASSWORD: 'imap-secret-value',
      // the poller is not started against this unreachable port in the test's short life
      STEWARD_MAIL_IMAP_PORT: String(await freePort()),
    });
    off = await setup({ STEWARD_JOBS: 'off' });
  });
  afterAll(async () => {
    await app?.close();
    await off?.close();
    await smtp?.stop();
  });

  it('shows the settings to admins without any password', async () => {
    const r = await app.as(app.admin).get('/api/v1/mail/channel');
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain('secret-value');
    expect(r.json()).toMatchObject({
      outbound: { enabled: true, host: '127.0.0.1', port: smtp.port, user: 'desk', passwordSet: true },
      inbound: { mode: 'imap', listen: null, imap: { user: 'desk', passwordSet: true, mailbox: 'INBOX' } },
    });
    expect((await app.as(await app.user('agent')).get('/api/v1/mail/channel')).statusCode).toBe(403);
    expect((await app.as(await app.user('requester')).get('/api/v1/mail/channel')).statusCode).toBe(404);
    expect((await off.as(off.admin).get('/api/v1/mail/channel')).json().outbound).toMatchObject({
      enabled: false,
      host: null,
      passwordSet: false,
    });
  });

  it('sends a test message through the SMTP server, logs and audits it', async () => {
    const r = await app.as(app.admin).post('/api/v1/mail/test', { to: 'Rita@Example.com' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'sent', detail: null });
    const mail = await smtp.waitFor((m) => m.to.includes('rita@example.com'));
    expect(mail.subject).toBe('Steward test message');
    const logged = await app.database.db
      .selectFrom('mail_messages')
      .select(['id', 'status', 'address'])
      .where('message_id', '=', r.json().messageId)
      .executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ status: 'sent', address: 'rita@example.com' });
    const audit = await app.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', logged.id)
      .execute();
    expect(audit).toEqual([{ action: 'mail.test_sent', after: { to: 'rita@example.com', status: 'sent' } }]);
  });

  it('refuses bad input and non-admins, writing nothing; says when mail is off', async () => {
    const count = async () =>
      (await app.database.db.selectFrom('mail_messages').select('id').execute()).length;
    const before = await count();
    const bad = await app.as(app.admin).post('/api/v1/mail/test', { to: 'not an address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toContain('to');
    expect(
      (await app.as(app.admin).post('/api/v1/mail/test', { to: 'a@example.com', cc: 'x' })).statusCode,
    ).toBe(400);
    expect(
      (await app.as(await app.user('agent')).post('/api/v1/mail/test', { to: 'a@example.com' })).statusCode,
    ).toBe(403);
    expect(await count()).toBe(before);
    const offAnswer = await off.as(off.admin).post('/api/v1/mail/test', { to: 'a@example.com' });
    expect(offAnswer.statusCode).toBe(409);
    expect(offAnswer.json().code).toBe('mail_off');
  });

  it('answers "failed" with the reason when the SMTP server cannot be reached', async () => {
    const down = await setup({
      STEWARD_JOBS: 'off',
      STEWARD_SMTP_HOST: '127.0.0.1',
      STEWARD_SMTP_PORT: String(await freePort()),
      STEWARD_SMTP_SECURITY: 'none',
    });
    try {
      const r = await down.as(down.admin).post('/api/v1/mail/test', { to: 'a@example.com' });
      expect(r.statusCode).toBe(200);
      expect(r.json().status).toBe('failed');
      expect(r.json().detail).toMatch(/ECONNREFUSED|connect/i);
      const row = await down.database.db
        .selectFrom('mail_messages')
        .select(['status', 'detail'])
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
    } finally {
      await down.close();
    }
  });
});
