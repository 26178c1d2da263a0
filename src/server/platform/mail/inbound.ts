/**
 * Inbound mail, from raw RFC 5322 bytes to what the service desk needs: sender, threading headers, the new
 * text of a reply, attachments, a ticket token and whether a machine sent it. No I/O besides the parser.
 * The IMAP poller and the SMTP listener both hand raw messages to an {@link InboundHandler}.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { automaticReason } from './automatic.js';
import { htmlToText, stripQuoted } from './quoted.js';

/** Why a message was refused: too large, or not a message at all. */
export type InboundMailErrorCode = 'mail_too_large' | 'mail_malformed';

/**
 * A message that can never be processed. `permanent` tells the IMAP poller and the SMTP listener not to retry
 * it (the poller sets it aside, the listener answers 5xx).
 */
export class InboundMailError extends Error {
  override readonly name = 'InboundMailError';
  readonly permanent = true;
  constructor(
    readonly code: InboundMailErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An address with its display name ('' when none). Addresses are lower case. */
export interface InboundAddress {
  address: string;
  name: string;
}

/** One attached (or inline) file. */
export interface InboundAttachment {
  filename: string;
  /** As the message declared it; sniff the bytes before serving it. */
  contentType: string;
  bytes: Buffer;
  /** Content-ID without angle brackets, for inline images. */
  contentId: string | null;
  inline: boolean;
}

/** A parsed inbound message. */
export interface InboundMessage {
  /** Message-ID with angle brackets, or null when the message has none. */
  messageId: string | null;
  inReplyTo: string | null;
  /** References, oldest first, each with angle brackets. */
  references: string[];
  from: InboundAddress;
  to: InboundAddress[];
  cc: InboundAddress[];
  replyTo: InboundAddress | null;
  subject: string;
  date: Date | null;
  /** The new text: quoted history and signature removed (see stripQuoted); from the HTML part if no text. */
  text: string;
  /** The whole text body, nothing removed. */
  fullText: string;
  attachments: InboundAttachment[];
  /** The ticket reference found in the subject, e.g. `INC-1042`, or null. */
  ticketToken: string | null;
  /** Why a machine sent this (auto-reply, bounce, bulk...), or null. See automaticReason. */
  automatic: string | null;
  /** Size of the raw message in bytes, and its SHA-256 (hex), e.g. to drop duplicates. */
  size: number;
  sha256: string;
}

/** Parsing limits and rules. */
export interface ParseInboundOptions {
  /** Larger raw messages are refused with `mail_too_large`. */
  maxBytes: number;
  /** Finds the ticket token in the subject; group 1 (or the whole match) is the token. */
  ticketToken?: RegExp;
  /** Mail with a List-Id counts as automatic (default false). */
  listsAreAutomatic?: boolean;
  /** Our own addresses: mail from them is flagged as a loop. */
  ownAddresses?: string[];
  /** The SMTP envelope sender when known ('' for the null sender `<>`). */
  envelopeSender?: string;
}

/** Where a raw message came from, for logs and for the handler's decisions. */
export type InboundSource =
  | { kind: 'imap'; mailbox: string; uid: number }
  | { kind: 'smtp'; mailFrom: string; rcptTo: string[]; remoteAddress: string };

/**
 * Receives one raw message. Resolving means it was taken care of (the poller marks it seen, the listener
 * answers 250). Rejecting with an {@link InboundMailError} (or any error with `permanent: true`) refuses it for
 * good; any other rejection is temporary (left unseen / answered 451) so it is tried again.
 */
export type InboundHandler = (raw: Buffer, source: InboundSource) => Promise<void>;

/** Ticket references like `[INC-1042]` or `[#REQ-77]` in a subject. */
export const DEFAULT_TICKET_TOKEN = /\[#?((?:INC|REQ|PRB|CHG)-\d{1,12})\]/i;

/** Largest header section accepted before the first blank line. */
const MAX_HEADER_BYTES = 256 * 1024;
/** A header field line: a name of printable ASCII without ':' (obsolete syntax allows blanks before ':'). */
const FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

const malformed = (why: string, cause?: unknown): InboundMailError =>
  new InboundMailError(
    'mail_malformed',
    `malformed message: ${why}`,
    cause === undefined ? undefined : { cause },
  );

/** Checks that the bytes start with a header section of well-formed fields. */
function checkHeaderSection(raw: Buffer): void {
  const head = raw.subarray(0, Math.min(raw.length, MAX_HEADER_BYTES + 4)).toString('latin1');
  const blank = head.search(/\r?\n\r?\n/);
  if (blank < 0 && raw.length > MAX_HEADER_BYTES)
    throw malformed(`no end of the header section in the first ${MAX_HEADER_BYTES} bytes`);
  const section = blank < 0 ? head : head.slice(0, blank);
  if (section.includes('\0')) throw malformed('NUL byte in the header section');
  const lines = section.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (i > 0 && /^[ \t]/.test(line)) return; // folded continuation
    if (!FIELD.test(line)) throw malformed(`header line ${i + 1} is not a "Name: value" field`);
  });
}

/** The ticket token in a subject, upper case, or null. A global or sticky pattern is used without its state. */
export function findTicketToken(subject: string, pattern: RegExp = DEFAULT_TICKET_TOKEN): string | null {
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const m = re.exec(subject);
  if (m === null) return null;
  return (m[1] ?? m[0]).toUpperCase();
}

const addressesOf = (v: AddressObject | AddressObject[] | undefined): InboundAddress[] => {
  const out: InboundAddress[] = [];
  const walk = (entries: AddressObject['value']): void => {
    for (const e of entries) {
      if (e.group !== undefined) walk(e.group);
      else if (e.address !== undefined && e.address.includes('@'))
        out.push({ address: e.address.toLowerCase(), name: e.name });
    }
  };
  for (const o of v === undefined ? [] : Array.isArray(v) ? v : [v]) walk(o.value);
  return out;
};

const messageIds = (v: string | string[] | undefined): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v])
    .flatMap((s) => s.match(/<[^<>\s]+>/g) ?? [])
    .filter((id, i, all) => all.indexOf(id) === i);

/** Raw header values by lower-case name, unfolded, from the parser's header lines. */
function headerValues(mail: ParsedMail): (name: string) => string[] {
  const byName = new Map<string, string[]>();
  for (const { key, line } of mail.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    byName.set(key, [...(byName.get(key) ?? []), value]);
  }
  return (name) => byName.get(name) ?? [];
}

function contentTypeOf(mail: ParsedMail): { type: string; reportType: string | undefined } {
  const ct = mail.headers.get('content-type');
  if (
    typeof ct === 'object' &&
    ct !== null &&
    'value' in ct &&
    'params' in ct &&
    typeof ct.value === 'string'
  ) {
    const params = ct.params as Record<string, string>;
    return { type: ct.value.toLowerCase(), reportType: params['report-type']?.toLowerCase() };
  }
  return { type: 'text/plain', reportType: undefined };
}

/**
 * Parses a raw message. Throws {@link InboundMailError}: `mail_too_large` above `maxBytes`, `mail_malformed`
 * for anything that is not a message with a header section and a sender address. Never throws anything else.
 */
export async function parseInbound(raw: Buffer, options: ParseInboundOptions): Promise<InboundMessage> {
  if (raw.length > options.maxBytes)
    throw new InboundMailError(
      'mail_too_large',
      `message too large: ${raw.length} bytes, the limit is ${options.maxBytes} bytes`,
    );
  if (raw.length === 0) throw malformed('empty');
  checkHeaderSection(raw);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      keepCidLinks: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      keepDeliveryStatus: true,
      checksumAlgo: false,
      maxHtmlLengthToParse: options.maxBytes,
      maxHeadSize: MAX_HEADER_BYTES,
      maxChildNodes: 200,
    });
  } catch (e) {
    throw malformed(e instanceof Error ? e.message : 'the parser failed', e);
  }
  try {
    return describe(raw, mail, options);
  } catch (e) {
    if (e instanceof InboundMailError) throw e;
    throw malformed(e instanceof Error ? e.message : 'unreadable content', e);
  }
}

function describe(raw: Buffer, mail: ParsedMail, options: ParseInboundOptions): InboundMessage {
  const from = addressesOf(mail.from)[0];
  if (from === undefined) throw malformed('no sender address in From');
  const subject = (mail.subject ?? '').trim();
  let fullText = (mail.text ?? '').replace(/\r\n?/g, '\n');
  if (fullText.trim() === '' && typeof mail.html === 'string') fullText = htmlToText(mail.html);
  const header = headerValues(mail);
  const { type, reportType } = contentTypeOf(mail);
  const attachments: InboundAttachment[] = mail.attachments.map((a, i) => ({
    filename: a.filename ?? `attachment-${i + 1}`,
    contentType: a.contentType.toLowerCase(),
    bytes: a.content,
    contentId: a.cid ?? null,
    inline: a.contentDisposition === 'inline' || a.related === true,
  }));
  return {
    messageId: messageIds(mail.messageId)[0] ?? null,
    inReplyTo: messageIds(mail.inReplyTo)[0] ?? null,
    references: messageIds(mail.references),
    from,
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    replyTo: addressesOf(mail.replyTo)[0] ?? null,
    subject,
    date: mail.date !== undefined && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text: stripQuoted(fullText),
    fullText: fullText.trim(),
    attachments,
    ticketToken: findTicketToken(subject, options.ticketToken),
    automatic: automaticReason(
      {
        header,
        contentType: type,
        reportType,
        partTypes: attachments.map((a) => a.contentType),
        from: from.address,
        envelopeSender: options.envelopeSender,
      },
      {
        ...(options.listsAreAutomatic !== undefined && { listsAreAutomatic: options.listsAreAutomatic }),
        ...(options.ownAddresses !== undefined && { ownAddresses: options.ownAddresses }),
      },
    ),
    size: raw.length,
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}

/** True for an error that must not be retried (see {@link InboundHandler}). */
export function isPermanentMailError(e: unknown): boolean {
  return (
    e instanceof InboundMailError ||
    (typeof e === 'object' && e !== null && 'permanent' in e && e.permanent === true)
  );
}
