/** A request as people read it: names instead of ids, the answers as shown, approval and task progress. */
import { z } from 'zod';
import { type CatalogueRequest, FormField } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { itemNames } from '../cmdb/index.js';
import { teamIdsOf, teamNames } from '../teams/index.js';
import { ticketKeys } from '../tickets/index.js';
import { userNames } from '../users/index.js';
import * as repo from './requests.repository.js';

const Fields = z.array(FormField);
/** A stored answer: text, a number, choices, an id, or a file attached to the request's ticket. */
export type StoredAnswer = string | number | string[] | { attachmentId: string; fileName: string };

/** A request's key, as people name it. */
export const requestKey = (n: number) => `CAT-${n}`;

/** The answers of a request with labels and the values as people read them. */
async function answersOf(ctx: Ctx, db: Db, r: repo.RequestRow) {
  const fields = Fields.parse(r.fields);
  const values = r.answers as Record<string, StoredAnswer>;
  const ids = (type: string) =>
    fields
      .filter((f) => f.type === type && typeof values[f.key] === 'string')
      .map((f) => values[f.key] as string);
  const [users, cis] = await Promise.all([userNames(db, ids('user')), itemNames({ ...ctx, db }, ids('ci'))]);
  return fields
    .filter((f) => values[f.key] !== undefined)
    .map((f) => {
      const v = values[f.key]!;
      let display: string;
      if (f.type === 'user') display = users.get(v as string)?.name ?? '(unknown person)';
      else if (f.type === 'ci') display = cis.get(v as string) ?? '(unknown item)';
      else if (f.type === 'choice') {
        const label = (x: string) => f.choices.find((c) => c.value === x)?.label ?? x;
        display = Array.isArray(v) ? v.map(label).join(', ') : label(v as string);
      } else if (typeof v === 'object' && !Array.isArray(v)) display = v.fileName;
      else display = String(v);
      return { key: f.key, label: f.label, type: f.type, value: v, display };
    });
}

/** Whether `actor` may cancel `r` now: its requester or a catalogue admin, while it is still under way. */
export function mayCancel(actor: Actor, r: repo.RequestRow, admin: boolean): boolean {
  return (r.status === 'approval' || r.status === 'fulfilment') && (admin || actor.userId === r.requester_id);
}

/** The views of `rows` for `actor`, with what the actor may do on each. */
export async function requestViews(
  ctx: Ctx,
  db: Db,
  actor: Actor,
  rows: readonly repo.RequestRow[],
  admin: boolean,
): Promise<CatalogueRequest[]> {
  const ids = rows.map((r) => r.id);
  const [approvals, votes, tasks, myTeams] = await Promise.all([
    repo.approvalsOf(db, ids),
    repo.votesOf(db, ids),
    repo.tasksOf(db, ids),
    actor.userId ? teamIdsOf(db, [actor.userId]) : Promise.resolve(new Map<string, string[]>()),
  ]);
  const mine = new Set(actor.userId ? (myTeams.get(actor.userId) ?? []) : []);
  const [people, teams, tickets] = await Promise.all([
    userNames(db, [...rows.map((r) => r.requester_id), ...approvals.flatMap((a) => a.voters)]),
    teamNames(
      db,
      tasks.map((t) => t.team_id),
    ),
    ticketKeys(
      db,
      rows.flatMap((r) => (r.ticket_id ? [r.ticket_id] : [])),
    ),
  ]);
  const out: CatalogueRequest[] = [];
  for (const r of rows) {
    const levels = approvals.filter((a) => a.request_id === r.id);
    const cast = votes.filter((v) => v.request_id === r.id);
    const work = tasks.filter((t) => t.request_id === r.id);
    const current = levels.find((a) => a.level === r.level && a.status === 'pending');
    const me = actor.userId;
    const canVote =
      r.status === 'approval' &&
      !!me &&
      !!current?.voters.includes(me) &&
      !cast.some((v) => v.level === current.level && v.user_id === me);
    const open = work.find((t) => t.status === 'open');
    out.push({
      id: r.id,
      key: requestKey(r.number),
      itemId: r.item_id,
      itemName: r.item_name,
      requesterId: r.requester_id,
      requesterName: people.get(r.requester_id)?.name ?? '(unknown person)',
      status: r.status,
      level: r.level,
      ticketId: r.ticket_id,
      ticketKey: r.ticket_id ? (tickets.get(r.ticket_id) ?? null) : null,
      answers: await answersOf(ctx, db, r),
      approvals: levels.map((a) => ({
        level: a.level,
        kind: a.kind,
        group: a.group_name,
        rule: a.rule,
        required: a.required,
        voters: a.voters.map((id) => ({ id, name: people.get(id)?.name ?? '(unknown person)' })),
        status: a.status,
        votes: cast
          .filter((v) => v.level === a.level)
          .map((v) => ({
            userName: v.user_name,
            decision: v.decision,
            reason: v.reason,
            at: v.created_at.toISOString(),
          })),
      })),
      tasks: work.map((t) => ({
        position: t.position,
        title: t.title,
        teamId: t.team_id,
        teamName: teams.get(t.team_id) ?? '(deleted team)',
        status: t.status,
        note: t.note,
        doneBy: t.done_by,
        doneAt: t.done_at?.toISOString() ?? null,
      })),
      cancelled:
        r.status === 'cancelled'
          ? {
              by: r.cancelled_by ?? '',
              at: r.cancelled_at?.toISOString() ?? r.updated_at.toISOString(),
              reason: r.cancel_reason ?? '',
            }
          : null,
      canVote,
      canCompleteTask: open && (admin || mine.has(open.team_id)) ? open.position : null,
      canCancel: mayCancel(actor, r, admin),
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
    });
  }
  return out;
}
