/**
 * Security incidents' evidence log and timeline export. A security incident is a ticket flagged `security`
 * (the tickets module decides who sees it); its evidence log is append-only, each entry chained by SHA-256 to
 * the one before, so a changed or missing entry shows; the timeline export merges the ticket's timeline with
 * the log, as JSON or CSV.
 */
import { createHash } from 'node:crypto';
import type {
  AddEvidence,
  EvidenceEntry,
  EvidenceLog,
  Ticket,
  TimelineItem,
} from '../../../contracts/index.js';
import { canonicalJson, record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { attachmentOf, findVisibleTicket, ticketTimeline } from '../tickets/index.js';
import * as repo from './evidence.repository.js';
import type { EvidenceRow } from './evidence.repository.js';

/** The chain's start: the "previous hash" of a log's first entry. */
const GENESIS = '0'.repeat(64);

/** What an entry's hash covers: the previous hash and every field of the entry. */
function hashOf(ticketId: string, r: Omit<EvidenceRow, 'id' | 'hash'>): string {
  const body = canonicalJson({
    ticketId,
    seq: r.seq,
    at: r.at.toISOString(),
    by: r.actor_label,
    note: r.note,
    sha256: r.sha256,
    attachmentId: r.attachment_id,
    fileName: r.file_name,
  });
  return createHash('sha256').update(`${r.prev_hash}\n${body}`).digest('hex');
}

function view(r: EvidenceRow): EvidenceEntry {
  return {
    id: r.id,
    seq: r.seq,
    at: r.at.toISOString(),
    by: r.actor_label,
    note: r.note,
    sha256: r.sha256,
    attachmentId: r.attachment_id,
    fileName: r.file_name,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The security incident, if the actor may see it: 404 otherwise; 409 for a ticket that is not one. */
async function incident(db: Db, actor: Actor, id: string): Promise<Ticket> {
  const t = await findVisibleTicket(db, actor, id);
  if (!t) throw NotFound('ticket');
  if (!t.security) throw Conflict('this ticket is not a security incident', 'not_security_incident');
  return t;
}

/** Appends an entry to a security incident's evidence log. */
export async function addEvidence(
  ctx: Ctx,
  actor: Actor,
  id: string,
  input: AddEvidence,
): Promise<EvidenceEntry> {
  return ctx.tx(async (db) => {
    await incident(db, actor, id);
    let file: { sha256: string; name: string } | undefined;
    if (input.attachmentId) {
      const a = await attachmentOf(db, id, input.attachmentId, true);
      if (!a)
        throw Invalid('no such attachment on this ticket', [
          { path: 'body.attachmentId', message: 'not an attachment of this ticket' },
        ]);
      file = { sha256: a.sha256, name: a.file_name };
    }
    await repo.lockLog(db, id);
    const last = await repo.last(db, id);
    const entry = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      actor_label: actor.label,
      note: input.note,
      sha256: file?.sha256 ?? input.sha256 ?? null,
      attachment_id: input.attachmentId ?? null,
      file_name: file?.name ?? null,
      prev_hash: last?.hash ?? GENESIS,
    };
    const row = await repo.insert(db, {
      ...entry,
      ticket_id: id,
      actor_id: actor.userId,
      hash: hashOf(id, entry),
    });
    await record(db, actor, 'ticket.evidence_added', { type: 'ticket', id }, null, {
      seq: row.seq,
      sha256: row.sha256,
      fileName: row.file_name,
      hash: row.hash,
    });
    return view(row);
  });
}

/** A security incident's evidence log, oldest first, and whether every entry's hash and link check out. */
export async function evidenceLog(ctx: Ctx, actor: Actor, id: string): Promise<EvidenceLog> {
  await incident(ctx.db, actor, id);
  const rows = await repo.entries(ctx.db, id);
  let prev = GENESIS;
  let intact = true;
  rows.forEach((r, i) => {
    if (r.seq !== i + 1 || r.prev_hash !== prev || hashOf(id, r) !== r.hash) intact = false;
    prev = r.hash;
  });
  return { items: rows.map(view), intact };
}

/** One line of the timeline export. */
export interface TimelineLine {
  at: string;
  by: string;
  kind: string;
  what: string;
  sha256: string | null;
}

function describe(t: TimelineItem): string {
  if (t.comment) return `${t.comment.internal ? 'internal note' : 'reply'}: ${t.comment.body}`;
  if (t.field) return `${t.field}: ${JSON.stringify(t.from)} → ${JSON.stringify(t.to)}`;
  return t.kind;
}

/** A security incident's whole timeline (the ticket's, then the evidence log, merged by time). */
export async function securityTimeline(ctx: Ctx, actor: Actor, id: string) {
  const ticket = await incident(ctx.db, actor, id);
  const lines: TimelineLine[] = [];
  let cursor: string | undefined;
  do {
    const page = await ticketTimeline(ctx, actor, id, { cursor, limit: 200 });
    for (const t of page.items)
      lines.push({ at: t.at, by: t.actorLabel, kind: t.kind, what: describe(t), sha256: null });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const log = await evidenceLog(ctx, actor, id);
  for (const e of log.items)
    lines.push({
      at: e.at,
      by: e.by,
      kind: 'evidence',
      what: e.fileName ? `${e.note} (${e.fileName})` : e.note,
      sha256: e.sha256,
    });
  lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { ticket: { key: ticket.key, title: ticket.title }, intact: log.intact, lines };
}
