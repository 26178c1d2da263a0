/**
 * The e-mail channel end to end, with real servers: a private Postfix delivers Steward's mail into Dovecot
 * mailboxes, people's mail reaches Steward's own SMTP listener, and IMAP shows what each person received.
 * An e-mailed request becomes a routed ticket with an SLA clock; the agent's reply reaches the requester by
 * e-mail; the requester's answer threads back into the ticket; an SLA breach e-mails the team; automatic
 * mail, unknown senders and malformed mail never make tickets. Runs on PGlite and on PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateDue } from '../../src/server/modules/tickets/index.js';
import { pollImapOnce } from '../../src/server/platform/mail/imap-poller.js';
import { type InboundMessage, parseInbound } from '../../src/server/platform/mail/inbound.js';
import { createMailTransport } from '../../src/server/platform/mail/transport.js';
import { setup, type TestApp, type TestUser } from '../support/api.js';
import {
  type MailServers,
  type MailUser,
  requireMailServers,
  startMailServers,
  swaks,
} from '../support/mail-servers.js';

const ok = requireMailServers('mail channel: Postfix + Dovecot + swaks');
const MIN = 60_000;

describe.skipIf(!ok)('the e-mail channel with real mail servers', () => {
  let mail: MailServers;
  let app: TestApp;
  let port: number;
  let desk: MailUser;
  let alice: MailUser;
  let agentBox: MailUser;
  let agent: TestUser;
  let team: { id: string };

  beforeAll(async () => {
    mail = await startMailServers();
    desk = await mail.addUser('desk');
    alice = mail.users.find((u) => u.address.startsWith('alice@'))!;
    agentBox = await mail.addUser('agent');
    app = await setup({
      STEWARD_JOBS: 'on',
      STEWARD_JOBS_POLL_MS: '100',
      STEWARD_SMTP_HOST: '127.0.0.1',
      STEWARD_SMTP_PORT: String(mail.smtpPort),
      STEWARD_SMTP_SECURITY: 'none',
      STEWARD_MAIL_FROM: `Service Desk <${desk.address}>`,
      STEWARD_MAIL_INBOUND: 'smtp',
      STEWARD_MAIL_SMTP_PORT: '0',
      STEWARD_MAIL_DOMAINS: mail.domain,
      STEWARD_PUBLIC_URL: 'https://desk.example.com',
    });
    port = app.server.mailInPort!;
    agent = await app.user('agent', { email: agentBox.address, name: 'Agnes Agent' });
    team = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Workplace', memberIds: [agent.id] })
    ).json();
    await app.as(app.admin).put(`/api/v1/teams/${team.id}/assignment`, { strategy: 'round_robin' });
    const rule = await app.as(app.admin).post('/api/v1/routing-rules', {
      name: 'Printers to Workplace',
      conditions: [{ field: 'words', words: ['printer'] }],
      actions: { setTeam: team.id },
    });
    expect(rule.statusCode).toBe(201);
    const cal = (
      await app.as(app.admin).post('/api/v1/sla/calendars', {
        name: 'Always',
        timezone: 'UTC',
        week: Array.from({ length: 7 }, () => [[0, 1440]]),
      })
    ).json();
    const policy = await app.as(app.admin).post('/api/v1/sla/policies', {
      name: 'Incidents',
      ticketType: 'incident',
      calendarId: cal.id,
      targets: { '3': { firstResponseMinutes: 30, resolutionMinutes: 240 } },
      breachActions: [{ kind: 'notify', to: ['team'] }],
    });
    expect(policy.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await mail?.stop();
  });

  /** Mail from someone to Steward's listener, as a mail client would send it. */
  const send = async (from: MailUser, m: { subject: string; text: string; inReplyTo?: string }) => {
    const t = createMailTransport({ host: '127.0.0.1', port, security: 'none', from: from.address });
    try {
      return await t.send({
        to: `help@${mail.domain}`,
        subject: m.subject,
        text: m.text,
        ...(m.inReplyTo ? { inReplyTo: m.inReplyTo, references: [m.inReplyTo] } : {}),
      });
    } finally {
      t.close();
    }
  };
  /** Everything in a mailbox, parsed (marked seen, so each call returns what is new). */
  const fetch = async (u: MailUser): Promise<InboundMessage[]> => {
    const got: InboundMessage[] = [];
    await pollImapOnce(
      {
        host: '127.0.0.1',
        port: mail.imapPort,
        security: 'none',
        user: u.address,
        password: u.password,
        maxBytes: 1e7,
      },
      async (raw) => void got.push(await parseInbound(raw, { maxBytes: 1e7 })),
    );
    return got;
  };
  const waitForMail = async (u: MailUser, match: (m: InboundMessage) => boolean): Promise<InboundMessage> => {
    for (let i = 0; i < 100; i++) {
      const m = (await fetch(u)).find(match);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no matching mail for ${u.address}`);
  };
  const ticketOf = async (title: string) =>
    (await app.as(app.admin).get(`/api/v1/tickets?q=${encodeURIComponent(title)}`)).json().items[0];

  it('turns a request into a routed ticket with an SLA clock, mails the reply, and threads the answer back', async () => {
    await send(alice, {
      subject: 'The printer on floor 3 jams',
      text: 'Every second page jams.\n\n-- \nAlice, Finance',
    });
    const t = await ticketOf('floor 3 jams');
    expect(t).toMatchObject({
      title: 'The printer on floor 3 jams',
      type: 'incident',
      teamId: team.id,
      assigneeId: agent.id,
    });
    expect(t.description).toBe('Every second page jams.');
    expect(t.sla).toMatchObject({ responseState: 'running', resolutionState: 'running' });
    const requester = (await app.as(app.admin).get(`/api/v1/users/${t.requesterId}`)).json();
    expect(requester).toMatchObject({ email: alice.address, role: 'requester' });

    // The assignment reaches the agent by e-mail.
    const assigned = await waitForMail(agentBox, (m) => m.subject.includes(`[${t.key}] Assigned to you`));
    expect(assigned.text).toContain(`https://desk.example.com/tickets/${t.id}`);

    // The agent's reply reaches Alice by e-mail, in the ticket's thread.
    const reply = await app
      .as(agent)
      .post(`/api/v1/tickets/${t.id}/comments`, { body: 'Try the manual feed tray.' });
    expect(reply.statusCode).toBe(201);
    const got = await waitForMail(
      alice,
      (m) => m.subject.startsWith(`[${t.key}]`) && m.text.includes('manual feed'),
    );
    expect(got.references.join(' ')).toContain(`ticket.${t.id}@`);
    // Marked as automatic mail, so auto-responders stay quiet (and Steward would not take it as a request).
    expect(got.automatic).toContain('auto-generated');

    // Alice answers from her mail client: the answer joins the ticket, quoted history stripped.
    // Threaded by In-Reply-To alone: the subject carries no token.
    await send(alice, {
      subject: 'Re: your printer',
      text: `That worked, thanks!\n\nOn Tue, Agnes wrote:\n> Try the manual feed tray.`,
      inReplyTo: got.messageId!,
    });
    const timeline = (await app.as(agent).get(`/api/v1/tickets/${t.id}/timeline?limit=100`)).json();
    const bodies = timeline.items
      .filter((e: { kind: string }) => e.kind === 'comment')
      .map((e: { comment: { body: string } }) => e.comment.body);
    expect(bodies).toEqual(['Try the manual feed tray.', 'That worked, thanks!']);
    expect(
      (await app.as(app.admin).get('/api/v1/tickets?q=worked')).json().items.map((x: { id: string }) => x.id),
    ).toEqual([t.id]);
  });

  it('threads by the ticket token in the subject, keeps attachments, and makes one ticket of a redelivery', async () => {
    await send(alice, { subject: 'Printer toner empty', text: 'Need toner.' });
    const t = await ticketOf('toner empty');
    const raw = [
      `From: ${alice.address}`,
      `To: help@${mail.domain}`,
      `Subject: More on [${t.key}]`,
      'Message-ID: <fixed-1@client.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Photo attached.',
      '--b',
      'Content-Type: image/png; name="jam.png"',
      'Content-Disposition: attachment; filename="jam.png"',
      'Content-Transfer-Encoding: base64',
      '',
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      '--b--',
      '',
    ].join('\r\n');
    for (let i = 0; i < 2; i++) {
      const r = await swaks(
        port,
        ['--to', `help@${mail.domain}`, '--from', alice.address, '--data', '-'],
        raw,
      );
      expect(r.status, r.output).toBe(0);
    }
    const files = (await app.as(agent).get(`/api/v1/tickets/${t.id}/attachments`)).json();
    expect(
      files.items.map((f: { fileName: string; contentType: string }) => [f.fileName, f.contentType]),
    ).toEqual([['jam.png', 'image/png']]);
    const comments = (await app.as(agent).get(`/api/v1/tickets/${t.id}/timeline?limit=100`))
      .json()
      .items.filter((e: { kind: string }) => e.kind === 'comment');
    expect(comments.map((c: { comment: { body: string } }) => c.comment.body)).toEqual(['Photo attached.']);
  });

  it('never makes tickets of automatic mail, and refuses unknown-domain relays and malformed mail', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(app.database.db);
    const auto = await swaks(port, [
      '--to',
      `help@${mail.domain}`,
      '--from',
      alice.address,
      '--header',
      'Auto-Submitted: auto-replied',
      '--header',
      'Subject: Out of office',
      '--body',
      'Away until Monday.',
    ]);
    expect(auto.status, auto.output).toBe(0);
    const bounce = await swaks(port, [
      '--to',
      `help@${mail.domain}`,
      '--from',
      '<>',
      '--header',
      'From: MAILER-DAEMON@elsewhere.example',
      '--header',
      'Subject: Undelivered Mail',
      '--body',
      'failed',
    ]);
    expect(bounce.status, bounce.output).toBe(0);
    const relay = await swaks(port, [
      '--to',
      'someone@elsewhere.example',
      '--from',
      alice.address,
      '--body',
      'x',
    ]);
    expect(relay.status).not.toBe(0);
    expect(relay.output).toMatch(/550/);
    const garbage = await swaks(
      port,
      ['--to', `help@${mail.domain}`, '--from', alice.address, '--data', '-'],
      'no headers at all\r\n',
    );
    expect(garbage.output).toMatch(/554/);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(app.database.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    const log = await sql<{ status: string; detail: string | null }>`SELECT status, detail FROM mail_messages
      WHERE direction = 'in' AND status = 'ignored' ORDER BY seq`.execute(app.database.db);
    expect(log.rows.length).toBeGreaterThanOrEqual(2);
  });

  it('e-mails the team when an SLA is breached', async () => {
    await send(alice, { subject: 'Printer offline in lobby', text: 'It says offline.' });
    const t = await ticketOf('offline in lobby');
    const steps = await escalateDue(app.server.ctx, new Date(Date.parse(t.createdAt) + 241 * MIN));
    expect(steps).toBeGreaterThanOrEqual(1);
    const breach = await waitForMail(agentBox, (m) => m.subject.startsWith(`[${t.key}] SLA breached`));
    expect(breach.text).toContain('has been missed');
    const sent = await sql<{ status: string }>`SELECT status FROM mail_messages
      WHERE direction = 'out' AND ticket_id = ${t.id}`.execute(app.database.db);
    expect(sent.rows.every((r) => r.status === 'sent')).toBe(true);
  });
  it('polls an IMAP mailbox: mail delivered by Postfix becomes a ticket, and is taken once', async () => {
    const inbox = await mail.addUser('helpdesk');
    const bob = mail.users.find((u) => u.address.startsWith('bob@'))!;
    const imapApp = await setup({
      STEWARD_JOBS: 'off',
      STEWARD_MAIL_INBOUND: 'imap',
      STEWARD_MAIL_IMAP_HOST: '127.0.0.1',
      STEWARD_MAIL_IMAP_PORT: String(mail.imapPort),
      STEWARD_MAIL_IMAP_SECURITY: 'none',
      STEWARD_MAIL_IMAP_USER: inbox.address,
      STEWARD_MAIL_IMAP_PASSWORD: inbox.password,
      STEWARD_MAIL_IMAP_POLL_SECONDS: '5',
      STEWARD_MAIL_TICKET_TYPE: 'request',
    });
    try {
      const relay = createMailTransport({
        host: '127.0.0.1',
        port: mail.smtpPort,
        security: 'none',
        from: bob.address,
      });
      await relay.send({ to: inbox.address, subject: 'New monitor please', text: 'Mine flickers.' });
      relay.close();
      let found: { items: { key: string; type: string; title: string }[] } = { items: [] };
      for (let i = 0; i < 100 && found.items.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        found = (await imapApp.as(imapApp.admin).get('/api/v1/tickets?q=monitor')).json();
      }
      expect(found.items.map((t) => [t.type, t.title])).toEqual([['request', 'New monitor please']]);
      // Marked seen once handled: the next polls take nothing more.
      await new Promise((r) => setTimeout(r, 6000));
      const again = (await imapApp.as(imapApp.admin).get('/api/v1/tickets?q=monitor')).json();
      expect(again.items).toHaveLength(1);
    } finally {
      await imapApp.close();
    }
  });
});
