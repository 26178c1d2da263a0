import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTicketToken, InboundMailError, parseInbound, type ParseInboundOptions } from './inbound.js';
import { htmlToText, stripQuoted } from './quoted.js';

/** A raw message from readable lines (LF becomes CRLF, as on the wire). */
const eml = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
const opts: ParseInboundOptions = { maxBytes: 1024 * 1024 };
const simple = (headers: string, body = 'Hello'): Buffer =>
  eml(
    `From: Ann <ann@example.com>\nTo: desk@steward.test\nSubject: Printer\n${headers}\n\n${body}\n`.replace(
      /\n\n\n/,
      '\n\n',
    ),
  );

async function refused(raw: Buffer, o: ParseInboundOptions = opts): Promise<InboundMailError> {
  const e: unknown = await parseInbound(raw, o).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InboundMailError);
  return e as InboundMailError;
}

describe('stripQuoted', () => {
  it('cuts a Gmail attribution wrapped over two lines and what follows', () => {
    const text = [
      'Works now, thanks!',
      '',
      'On Mon, 1 Jan 2024 at 10:00, Service Desk <',
      'desk@steward.test> wrote:',
      '> Please restart the printer.',
    ].join('\n');
    expect(stripQuoted(text)).toBe('Works now, thanks!');
  });

  it('cuts attributions in other languages', () => {
    expect(stripQuoted('Danke\n\nAm 01.01.2024 um 10:00 schrieb Desk <desk@x.test>:\n> alt')).toBe('Danke');
    expect(stripQuoted('Merci\n\nLe lun. 1 janv. 2024, Desk a écrit :\n> vieux')).toBe('Merci');
  });

  it('drops interleaved quoted lines but keeps the answers between them', () => {
    const text = '> Which floor?\nThird floor.\n> Which room?\nRoom 301.';
    expect(stripQuoted(text)).toBe('Third floor.\nRoom 301.');
  });

  it('cuts at an Outlook "Original Message" separator', () => {
    const text = 'See below.\r\n\r\n-----Original Message-----\r\nFrom: Desk\r\nSent: Monday\r\nOld text';
    expect(stripQuoted(text)).toBe('See below.');
    expect(stripQuoted('Ok\n----- Original Message -----\nold')).toBe('Ok');
  });

  it('cuts at an Outlook header block, with the line of underscores above it', () => {
    const text = [
      'Approved.',
      '',
      '________________________________',
      'From: Service Desk <desk@steward.test>',
      'Sent: Monday, January 1, 2024 10:00 AM',
      'To: Ann',
      'Subject: [REQ-77] Approval',
      '',
      'Please approve.',
    ].join('\n');
    expect(stripQuoted(text)).toBe('Approved.');
    expect(stripQuoted('Yes.\n\n*From:* Desk\n*Sent:* Monday\n\nold')).toBe('Yes.');
  });

  it('keeps a line that merely starts with "From:" when no Sent/Date line follows', () => {
    expect(stripQuoted('From: the 3rd floor printer\nit prints blank pages')).toBe(
      'From: the 3rd floor printer\nit prints blank pages',
    );
  });

  it('cuts the signature after "-- "', () => {
    expect(stripQuoted('The VPN is down.\n\n-- \nAnn Smith\nAccounting')).toBe('The VPN is down.');
  });

  it('keeps everything when the whole message is quoted history (a bare forward)', () => {
    expect(stripQuoted('> only a quote\n> nothing else')).toBe('> only a quote\n> nothing else');
  });

  it('collapses runs of blank lines and trims', () => {
    expect(stripQuoted('\n\nA\n\n\n\nB  \n\n')).toBe('A\n\nB');
  });
});

describe('htmlToText', () => {
  it('renders blocks, breaks, entities and blockquotes, and drops scripts and styles', () => {
    const html =
      '<style>p{}</style><p>Hi &amp; welcome&#33;</p><div>Line<br>two</div><script>x()</script>' +
      '<blockquote><p>quoted</p><blockquote>deeper</blockquote></blockquote><p>after</p>';
    expect(htmlToText(html)).toBe('Hi & welcome!\nLine\ntwo\n\n> quoted\n\n> > deeper\n\nafter');
  });

  it('survives stray markers and bad entities', () => {
    expect(htmlToText('a\uE0001\uE000b &#0; &#xFFFFFFF; &bogus;')).toBe('a1b &#0; &#xFFFFFFF; &bogus;');
  });
});

describe('findTicketToken', () => {
  it.each([
    ['[INC-1042] Printer', 'INC-1042'],
    ['Re: [#REQ-77] New laptop', 'REQ-77'],
    ['AW: Fwd: [#req-77]', 'REQ-77'],
    ['INC-1042 without brackets', null],
    ['[XYZ-1] other system', null],
  ])('%s -> %s', (subject, token) => {
    expect(findTicketToken(subject)).toBe(token);
  });

  it('takes a custom pattern, and ignores the state of a global one', () => {
    const re = /Ticket#(\d+)/g;
    expect(findTicketToken('Re: Ticket#123 done', re)).toBe('123');
    expect(findTicketToken('Re: Ticket#123 done', re)).toBe('123');
    expect(findTicketToken('[CASE 9]', /\[CASE \d+\]/)).toBe('[CASE 9]');
  });
});

describe('parseInbound', () => {
  it('reads sender, threading headers, subject, token and the new text of a reply', async () => {
    const raw = eml(
      [
        'From: "Ann Smith" <Ann.Smith@Example.COM>',
        'To: Desk <desk@steward.test>, other@steward.test',
        'Cc: boss@example.com',
        'Subject: Re: [INC-1042] Printer',
        'Date: Mon, 01 Jan 2024 10:00:00 +0000',
        'Message-ID: <reply-1@example.com>',
        'In-Reply-To: <notify-7@steward.test>',
        'References: <open-1@example.com>',
        ' <notify-7@steward.test>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'It works again.',
        '',
        'On Mon, 1 Jan 2024, Desk <desk@steward.test> wrote:',
        '> Please restart it.',
      ].join('\n'),
    );
    const m = await parseInbound(raw, opts);
    expect(m).toMatchObject({
      messageId: '<reply-1@example.com>',
      inReplyTo: '<notify-7@steward.test>',
      references: ['<open-1@example.com>', '<notify-7@steward.test>'],
      from: { address: 'ann.smith@example.com', name: 'Ann Smith' },
      to: [
        { address: 'desk@steward.test', name: 'Desk' },
        { address: 'other@steward.test', name: '' },
      ],
      cc: [{ address: 'boss@example.com', name: '' }],
      subject: 'Re: [INC-1042] Printer',
      text: 'It works again.',
      ticketToken: 'INC-1042',
      automatic: null,
      size: raw.length,
    });
    expect(m.fullText).toContain('> Please restart it.');
    expect(m.date?.toISOString()).toBe('2024-01-01T10:00:00.000Z');
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses the HTML part when there is no text part, and strips its quoted history', async () => {
    const raw = simple(
      'Content-Type: text/html; charset=utf-8',
      '<p>Fixed &amp; closed.</p><div>On Tue, Desk wrote:</div><blockquote>old</blockquote>',
    );
    const m = await parseInbound(raw, opts);
    expect(m.text).toBe('Fixed & closed.');
  });

  it('keeps attachments with their bytes, and decodes encoded words', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const raw = eml(
      [
        'From: ann@example.com',
        'Subject: =?UTF-8?B?RHJ1Y2tlciBrYXB1dHQg8J+Ppg==?=',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Screenshot attached.',
        '--b1',
        'Content-Type: image/png; name="screen.png"',
        'Content-Disposition: attachment; filename="screen.png"',
        'Content-Transfer-Encoding: base64',
        '',
        png.toString('base64'),
        '--b1',
        'Content-Type: application/octet-stream',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('no name').toString('base64'),
        '--b1--',
        '',
      ].join('\n'),
    );
    const m = await parseInbound(raw, opts);
    expect(m.subject).toBe('Drucker kaputt 🏦');
    expect(m.text).toBe('Screenshot attached.');
    expect(m.attachments).toHaveLength(2);
    expect(m.attachments[0]).toMatchObject({
      filename: 'screen.png',
      contentType: 'image/png',
      inline: false,
    });
    expect(m.attachments[0]?.bytes.equals(png)).toBe(true);
    expect(m.attachments[1]?.filename).toBe('attachment-2');
    expect(m.attachments[1]?.bytes.toString()).toBe('no name');
  });

  it('gives null for missing threading headers', async () => {
    const m = await parseInbound(simple(''), opts);
    expect(m).toMatchObject({
      messageId: null,
      inReplyTo: null,
      references: [],
      ticketToken: null,
      date: null,
    });
  });

  describe('automatic mail', () => {
    it.each([
      ['Auto-Submitted: auto-replied', 'auto-submitted: auto-replied'],
      ['Auto-Submitted: auto-generated; owner-email="x@y"', 'auto-submitted: auto-generated'],
      ['Precedence: bulk', 'precedence: bulk'],
      ['Precedence: junk', 'precedence: junk'],
      ['Precedence: list', 'precedence: list'],
      ['X-Autoreply: yes', 'x-autoreply'],
      ['X-Autorespond: Out of office', 'x-autorespond'],
      ['Return-Path: <>', 'null sender'],
    ])('%s is automatic (%s)', async (header, reason) => {
      expect((await parseInbound(simple(header), opts)).automatic).toBe(reason);
    });

    it('is not automatic with Auto-Submitted: no, or Precedence: first-class', async () => {
      expect((await parseInbound(simple('Auto-Submitted: no'), opts)).automatic).toBeNull();
      expect((await parseInbound(simple('Precedence: first-class'), opts)).automatic).toBeNull();
    });

    it('flags mail from MAILER-DAEMON, the null envelope sender, and our own addresses', async () => {
      const daemon = eml('From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nSubject: x\n\nfailed\n');
      expect((await parseInbound(daemon, opts)).automatic).toBe('mailer-daemon');
      expect((await parseInbound(simple(''), { ...opts, envelopeSender: '' })).automatic).toBe('null sender');
      expect(
        (await parseInbound(simple(''), { ...opts, envelopeSender: 'ann@example.com' })).automatic,
      ).toBeNull();
      const own = { ...opts, ownAddresses: ['Ann@Example.com'] };
      expect((await parseInbound(simple(''), own)).automatic).toBe('loop: sent by our own address');
    });

    it('flags List-Id only when lists count as automatic', async () => {
      const raw = simple('List-Id: <it.lists.example.com>');
      expect((await parseInbound(raw, opts)).automatic).toBeNull();
      expect((await parseInbound(raw, { ...opts, listsAreAutomatic: true })).automatic).toBe('mailing list');
    });

    it('flags a multipart/report delivery-status bounce, and a read receipt', async () => {
      const report = (type: string, part: string): Buffer =>
        eml(
          [
            'From: postmaster@mx.example.com',
            'Subject: Undelivered Mail Returned to Sender',
            `Content-Type: multipart/report; report-type=${type}; boundary="r"`,
            '',
            '--r',
            'Content-Type: text/plain',
            '',
            'Your message could not be delivered.',
            '--r',
            `Content-Type: ${part}`,
            '',
            'Reporting-MTA: dns; mx.example.com',
            '',
            'Final-Recipient: rfc822; gone@example.com',
            'Action: failed',
            'Status: 5.1.1',
            '--r--',
            '',
          ].join('\n'),
        );
      const bounce = await parseInbound(report('delivery-status', 'message/delivery-status'), opts);
      expect(bounce.automatic).toBe('delivery-status report');
      const mdn = await parseInbound(
        report('disposition-notification', 'message/disposition-notification'),
        opts,
      );
      expect(mdn.automatic).toBe('disposition notification');
    });
  });

  describe('refused messages', () => {
    it('refuses a message above maxBytes before parsing it', async () => {
      const e = await refused(simple('', 'x'.repeat(2000)), { maxBytes: 1000 });
      expect(e.code).toBe('mail_too_large');
      expect(e.message).toMatch(/message too large: \d+ bytes, the limit is 1000 bytes/);
      expect(e.permanent).toBe(true);
    });

    it.each([
      ['empty', Buffer.alloc(0), /empty/],
      ['text without a header', eml('Hello, my printer is broken.\n'), /header line 1/],
      [
        'a broken header line',
        eml('From: a@b.test\nthis is not a header\nSubject: x\n\nbody\n'),
        /header line 2/,
      ],
      ['a NUL in the header', eml('From: a@b.test\nSubject: a\u0000b\n\nbody\n'), /NUL/],
      ['no From', eml('To: desk@steward.test\nSubject: x\n\nbody\n'), /no sender address/],
      ['a From without address', eml('From: undisclosed\nSubject: x\n\nbody\n'), /no sender address/],
      ['an endless header', Buffer.from(`X-Long: ${'a'.repeat(300 * 1024)}`), /no end of the header section/],
    ])('refuses %s as malformed', async (_name, raw, why) => {
      const e = await refused(raw);
      expect(e.code).toBe('mail_malformed');
      expect(e.message).toMatch(why);
    });
  });

  describe('never crashes (fast-check)', () => {
    const outcome = async (raw: Buffer): Promise<void> => {
      try {
        const m = await parseInbound(raw, { maxBytes: 64 * 1024 });
        expect(typeof m.text).toBe('string');
        expect(m.from.address).toContain('@');
      } catch (e) {
        expect(e).toBeInstanceOf(InboundMailError);
      }
    };

    it('random bytes either parse or are refused with InboundMailError', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), (bytes) => outcome(Buffer.from(bytes))),
        { numRuns: 300 },
      );
    });

    it('a valid header followed by random bytes always parses', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
          const raw = Buffer.concat([eml('From: ann@example.com\nSubject: fuzz\n\n'), Buffer.from(bytes)]);
          const m = await parseInbound(raw, opts);
          expect(m.from.address).toBe('ann@example.com');
        }),
        { numRuns: 200 },
      );
    });

    it('random header lines and MIME structure are handled', async () => {
      const line = fc.oneof(
        fc.constantFrom(
          'From: ann@example.com',
          'Content-Type: multipart/mixed; boundary="b"',
          'Content-Type: multipart/report; report-type=delivery-status; boundary=b',
          'Content-Transfer-Encoding: base64',
          'Content-Transfer-Encoding: quoted-printable',
          'Subject: =?utf-8?Q?=E2=82?=',
          '--b',
          '--b--',
          '',
          ' folded',
        ),
        fc.string({ maxLength: 60 }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(line, { maxLength: 40 }), (lines) => outcome(eml(lines.join('\n')))),
        { numRuns: 300 },
      );
    });
  });
});
