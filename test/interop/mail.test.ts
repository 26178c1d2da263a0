/**
 * E-mail in and out against real servers: a private Postfix (SMTP) and Dovecot (IMAP) started for this file
 * (test/support/mail-servers.ts), swaks to inject hand-made mail, and our own SMTP listener.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollImapOnce, type ImapPollerConfig } from '../../src/server/platform/mail/imap-poller.js';
import {
  parseInbound,
  type InboundMessage,
  type InboundSource,
} from '../../src/server/platform/mail/inbound.js';
import { startSmtpListener, type SmtpListener } from '../../src/server/platform/mail/smtp-listener.js';
import { createMailTransport } from '../../src/server/platform/mail/transport.js';
import {
  requireMailServers,
  startMailServers,
  swaks,
  type MailServers,
  type MailUser,
} from '../support/mail-servers.js';

const MAX = 256 * 1024;
const ok = requireMailServers('mail: Postfix + Dovecot + swaks');

/** A bounce as a remote MTA would send it: null sender, multipart/report with a delivery-status part. */
const bounce = (to: string): string =>
  [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
    '',
    '--dsn',
    'Content-Type: text/plain',
    '',
    'I am sorry to inform you that your message could not be delivered.',
    '--dsn',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.com',
    '',
    'Final-Recipient: rfc822; gone@example.com',
    'Action: failed',
    'Status: 5.1.1',
    '--dsn--',
    '',
  ].join('\r\n');

/** A message of `lines` lines of 76 characters. */
const message = (subject: string, lines: number): string =>
  `From: ann@example.com\r\nSubject: ${subject}\r\n\r\n${`${'x'.repeat(76)}\r\n`.repeat(lines)}`;

describe.skipIf(!ok)('mail with real servers (Postfix, Dovecot, swaks)', () => {
  let mail: MailServers;
  beforeAll(async () => {
    mail = await startMailServers();
  });
  afterAll(async () => {
    await mail?.stop();
  });

  const imap = (user: MailUser, extra: Partial<ImapPollerConfig> = {}): ImapPollerConfig => ({
    host: '127.0.0.1',
    port: mail.imapPort,
    security: 'none',
    user: user.address,
    password: user.password,
    maxBytes: MAX,
    ...extra,
  });
  /** Polls once and parses every message; the handler's verdict is parseInbound's. */
  const collect = async (user: MailUser, extra: Partial<ImapPollerConfig> = {}) => {
    const parsed: InboundMessage[] = [];
    const result = await pollImapOnce(imap(user, extra), async (raw) => {
      parsed.push(await parseInbound(raw, { maxBytes: MAX }));
    });
    return { result, parsed };
  };
  const transport = (from = '"Steward Service Desk" <desk@steward.test>') =>
    createMailTransport({ host: '127.0.0.1', port: mail.smtpPort, security: 'none', from });

  it('sends through Postfix, polls the message from Dovecot and parses it', async () => {
    const user = await mail.addUser();
    const t = transport();
    const attachment = Buffer.from('%PDF-1.4 fake report\n');
    const sent = await t.send({
      to: user.address,
      subject: '[INC-1042] Printer on the 3rd floor',
      text: 'Your ticket was assigned to Bob.\n\n-- \nSteward',
      messageId: '<inc-1042.1@steward.test>',
      references: ['<inc-1042@steward.test>'],
      inReplyTo: '<inc-1042@steward.test>',
      headers: { 'Auto-Submitted': 'auto-generated' },
      attachments: [{ filename: 'report.pdf', content: attachment, contentType: 'application/pdf' }],
    });
    t.close();
    expect(sent.accepted).toEqual([user.address]);
    expect(sent.response).toMatch(/^250 /);
    await mail.waitForDelivery(user.address);

    const { result, parsed } = await collect(user);
    expect(result).toMatchObject({ processed: [expect.any(Number)], rejected: [], failed: [] });
    const m = parsed[0];
    expect(m).toMatchObject({
      messageId: '<inc-1042.1@steward.test>',
      inReplyTo: '<inc-1042@steward.test>',
      references: ['<inc-1042@steward.test>'],
      from: { address: 'desk@steward.test', name: 'Steward Service Desk' },
      subject: '[INC-1042] Printer on the 3rd floor',
      text: 'Your ticket was assigned to Bob.',
      ticketToken: 'INC-1042',
      automatic: 'auto-submitted: auto-generated',
    });
    expect(m?.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['report.pdf', 'application/pdf'],
    ]);
    expect(m?.attachments[0]?.bytes.equals(attachment)).toBe(true);
    // Marked \Seen: the next poll finds nothing.
    expect((await collect(user)).result.processed).toEqual([]);
  });

  it('checks the settings with verify(), and fails clearly when nothing listens', async () => {
    const t = transport();
    await expect(t.verify()).resolves.toBeUndefined();
    t.close();
    const down = createMailTransport({
      host: '127.0.0.1',
      port: 1,
      security: 'none',
      from: 'x@steward.test',
    });
    await expect(down.send({ to: 'alice@steward.test', subject: 's', text: 't' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('leaves a message unseen when the handler fails, and hands it over again on the next poll', async () => {
    const user = await mail.addUser();
    const r = await swaks(mail.smtpPort, [
      '--to',
      user.address,
      '--from',
      'ann@example.com',
      '--body',
      'retry me',
    ]);
    expect(r.status, r.output).toBe(0);
    await mail.waitForDelivery(user.address);
    const sources: InboundSource[] = [];
    const first = await pollImapOnce(imap(user), (_raw, source) => {
      sources.push(source);
      return Promise.reject(new Error('database unavailable'));
    });
    expect(first).toMatchObject({ processed: [], rejected: [], failed: [{ error: 'database unavailable' }] });
    expect(sources).toEqual([{ kind: 'imap', mailbox: 'INBOX', uid: first.failed[0]?.uid }]);
    const second = await collect(user);
    expect(second.result.processed).toEqual([first.failed[0]?.uid]);
    expect(second.parsed[0]?.text).toBe('retry me');
    expect((await collect(user)).result.processed).toEqual([]);
  });

  it('moves processed messages to a folder when configured', async () => {
    const user = await mail.addUser();
    for (const body of ['one', 'two'])
      expect(
        (await swaks(mail.smtpPort, ['--to', user.address, '--from', 'ann@example.com', '--body', body]))
          .status,
      ).toBe(0);
    await mail.waitForDelivery(user.address, 2);
    const { result, parsed } = await collect(user, { processedMailbox: 'Processed', maxMessages: 1 });
    expect(result.processed).toHaveLength(1);
    expect((await collect(user, { processedMailbox: 'Processed' })).result.processed).toHaveLength(1);
    expect(parsed[0]?.text).toBe('one');
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: mail.imapPort,
      secure: false,
      doSTARTTLS: false,
      logger: false,
      auth: { user: user.address, pass: user.password },
    });
    await client.connect();
    try {
      expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: 0 });
      // Both moved, and \Seen before the move.
      expect(await client.status('Processed', { messages: true, unseen: true })).toMatchObject({
        messages: 2,
        unseen: 0,
      });
    } finally {
      await client.logout();
    }
  });

  it('flags an auto-reply and a bounce injected with swaks as automatic', async () => {
    const user = await mail.addUser();
    const auto = await swaks(mail.smtpPort, [
      '--to',
      user.address,
      '--from',
      'ann@example.com',
      '--header',
      'Subject: Out of office: [REQ-77] laptop',
      '--add-header',
      'Auto-Submitted: auto-replied',
      '--body',
      'I am away until Monday.',
    ]);
    expect(auto.status, auto.output).toBe(0);
    const dsn = await swaks(
      mail.smtpPort,
      ['--to', user.address, '--from', '<>', '--data', '-'],
      bounce(user.address),
    );
    expect(dsn.status, dsn.output).toBe(0);
    await mail.waitForDelivery(user.address, 2);
    const { parsed } = await collect(user);
    const bySubject = new Map(parsed.map((m) => [m.subject, m]));
    expect(bySubject.get('Out of office: [REQ-77] laptop')).toMatchObject({
      automatic: 'auto-submitted: auto-replied',
      ticketToken: 'REQ-77',
    });
    expect(bySubject.get('Undelivered Mail Returned to Sender')?.automatic).toBe('delivery-status report');
  });

  it('flags the delivery status notification Postfix itself returns as automatic', async () => {
    const user = await mail.addUser();
    const t = transport(user.address);
    await t.send({ to: 'nobody@elsewhere.example', subject: 'Hello outside', text: 'never arrives' });
    t.close();
    await mail.waitForDelivery(user.address);
    const { parsed } = await collect(user);
    expect(parsed[0]?.from.address).toBe('mailer-daemon@steward.test');
    expect(parsed[0]?.automatic).toBe('delivery-status report');
    expect(parsed[0]?.attachments.some((a) => a.contentType === 'message/delivery-status')).toBe(true);
  });

  it('refuses oversized and malformed messages with a clear error, and sets them aside', async () => {
    const user = await mail.addUser();
    // Postfix itself refuses what is over its message_size_limit.
    const tooBig = await swaks(
      mail.smtpPort,
      ['--to', user.address, '--from', 'ann@example.com', '--data', '-'],
      message('huge', Math.ceil(mail.messageSizeLimit / 78) + 10),
    );
    expect(tooBig.status).not.toBe(0);
    expect(tooBig.output).toMatch(/552 5\.3\.4 .*message file too big/);

    // Within Postfix's limit but over ours: refused from its IMAP size, never downloaded.
    const big = await swaks(
      mail.smtpPort,
      ['--to', user.address, '--from', 'ann@example.com', '--data', '-'],
      message('big', Math.ceil(MAX / 78) + 10),
    );
    expect(big.status, big.output).toBe(0);
    // Not a message: no header at all, so no sender.
    const garbage = 'Hello, my printer is broken.\r\nplease help\r\n';
    expect(
      (
        await swaks(
          mail.smtpPort,
          ['--to', user.address, '--from', 'ann@example.com', '--data', '-'],
          garbage,
        )
      ).status,
    ).toBe(0);
    await mail.waitForDelivery(user.address, 2);

    let called = 0;
    const result = await pollImapOnce(imap(user), async (raw) => {
      called++;
      await parseInbound(raw, { maxBytes: MAX });
    });
    expect(called).toBe(1);
    expect(result.processed).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(result.rejected.map((r) => r.error).sort()).toEqual([
      'malformed message: no sender address in From',
      expect.stringMatching(/^message too large: \d+ bytes, the limit is 262144 bytes$/),
    ]);
    // Set aside for good: the next poll does not see them again.
    expect((await collect(user)).result).toEqual({ processed: [], rejected: [], failed: [] });
  });

  describe('SMTP listener', () => {
    let listener: SmtpListener;
    const received: { raw: Buffer; source: InboundSource }[] = [];
    let mode: 'ok' | 'fail' | 'parse' = 'ok';
    beforeAll(async () => {
      listener = await startSmtpListener(
        { port: 0, domains: ['steward.test'], maxBytes: 64 * 1024 },
        async (raw, source) => {
          if (mode === 'fail') throw new Error('database unavailable');
          if (mode === 'parse') await parseInbound(raw, { maxBytes: 64 * 1024 });
          received.push({ raw, source });
        },
      );
    });
    afterAll(async () => {
      await listener?.close();
    });
    const send = (args: string[], data?: string) =>
      swaks(
        listener.port,
        ['--from', 'ann@example.com', ...args, ...(data === undefined ? [] : ['--data', '-'])],
        data,
      );

    it('receives mail from swaks and hands it over with its envelope', async () => {
      mode = 'ok';
      const r = await send([
        '--to',
        'Desk@Steward.test',
        '--header',
        'Subject: [#REQ-77] new laptop',
        '--body',
        'Please order one.',
      ]);
      expect(r.status, r.output).toBe(0);
      expect(r.output).toMatch(/250 2\.0\.0 message accepted/);
      const got = received.at(-1);
      expect(got?.source).toEqual({
        kind: 'smtp',
        mailFrom: 'ann@example.com',
        rcptTo: ['Desk@Steward.test'],
        remoteAddress: '127.0.0.1',
      });
      const m = await parseInbound(got?.raw ?? Buffer.alloc(0), { maxBytes: 64 * 1024 });
      expect(m).toMatchObject({ ticketToken: 'REQ-77', text: 'Please order one.', automatic: null });
    });

    it('knows the null sender of a bounce from the envelope', async () => {
      mode = 'ok';
      expect(
        (
          await swaks(
            listener.port,
            ['--to', 'desk@steward.test', '--from', '<>', '--data', '-'],
            bounce('desk@steward.test'),
          )
        ).status,
      ).toBe(0);
      const got = received.at(-1);
      expect(got?.source).toMatchObject({ kind: 'smtp', mailFrom: '' });
      const m = await parseInbound(got?.raw ?? Buffer.alloc(0), { maxBytes: 64 * 1024, envelopeSender: '' });
      expect(m.automatic).toBe('delivery-status report');
    });

    it('relays nothing: other domains get 550', async () => {
      const r = await send(['--to', 'someone@elsewhere.example']);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/550 5\.7\.1 relaying denied/);
    });

    it('answers 552 to an oversized message', async () => {
      const before = received.length;
      const r = await send(['--to', 'desk@steward.test'], message('big', 2000));
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/552 .*exceeds fixed maximum message size 65536/);
      expect(received.length).toBe(before);
    });

    it('answers 451 when the handler fails, so the sender retries', async () => {
      mode = 'fail';
      const r = await send(['--to', 'desk@steward.test']);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/451 4\.3\.0 temporary failure/);
    });

    it('answers 554 with the reason for a malformed message', async () => {
      mode = 'parse';
      const r = await send(['--to', 'desk@steward.test'], 'Hello, no headers here.\r\n');
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/554 5\.6\.0 malformed message: header line 1 is not a "Name: value" field/);
    });
  });
});
