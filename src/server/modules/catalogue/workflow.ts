/**
 * A request's way through its approval levels (votes decided under the request's row lock by the shared
 * approval rules, so parallel votes decide once; a rejection ends the request) and its fulfilment tasks in
 * order (task 2 opens when task 1 is done). The request's ticket follows: it moves to the open task's team,
 * says what happened, is cancelled on rejection and resolved when the last task is done.
 */
import { CancelRequest, CompleteTask, RequestVote } from '../../../contracts/index.js';
import { decision } from '../../platform/approval-rules.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, Conflict, Forbidden, NotFound } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { notifyAbout } from '../notifications/index.js';
import { teamIdsOf, teamNames } from '../teams/index.js';
import { addCommentIn, followTicketIn, moveTicketIn, resolveTicketIn } from '../tickets/index.js';
import { userNames } from '../users/index.js';
import * as repo from './requests.repository.js';
import { mayCancel, requestKey } from './view.js';

/** Who writes on a request's ticket: the catalogue, naming the person who acted in what it writes. */
export const CATALOGUE: Actor = {
  userId: null,
  role: 'admin',
  label: 'Steward (service catalogue)',
  via: 'system',
};

/** A person's name for the record (their label when they have none). */
export async function nameOf(db: Db, actor: Actor): Promise<string> {
  const u = actor.userId ? (await userNames(db, [actor.userId])).get(actor.userId) : undefined;
  return u?.name ?? actor.label;
}

/** A public comment on the request's ticket, when it has one. */
async function say(db: Db, r: repo.RequestRow, body: string): Promise<void> {
  if (r.ticket_id) await addCommentIn(db, CATALOGUE, r.ticket_id, { body, internal: false });
}

/**
 * Starts fulfilment of an approved request in the caller's transaction: opens task 1 and routes the ticket to
 * its team, or, without tasks, fulfils the request and resolves its ticket.
 */
export async function startFulfilment(db: Db, r: repo.RequestRow, announce = true): Promise<void> {
  const tasks = await repo.tasksOf(db, [r.id]);
  const first = tasks[0];
  if (!first) {
    await repo.setRequest(db, r.id, { status: 'fulfilled', level: 0 });
    if (r.ticket_id) await resolveTicketIn(db, CATALOGUE, r.ticket_id, 'The request is fulfilled.');
    return;
  }
  await repo.setRequest(db, r.id, { status: 'fulfilment', level: 0 });
  await openTask(db, r, first, tasks.length, announce ? '' : undefined);
}

/** Opens a task and routes the ticket to its team; says so on the ticket unless `before` is undefined. */
async function openTask(
  db: Db,
  r: repo.RequestRow,
  t: repo.TaskRow,
  of: number,
  before: string | undefined,
): Promise<void> {
  await repo.openTask(db, r.id, t.position);
  const team = (await teamNames(db, [t.team_id])).get(t.team_id) ?? 'a team';
  if (r.ticket_id) {
    await followTicketIn(db, CATALOGUE, r.ticket_id, { teamId: t.team_id });
    await moveTicketIn(db, CATALOGUE, r.ticket_id, 'in_progress');
  }
  // Said only after a person acted: a comment of Steward's own right at submission would count as the
  // ticket's first response.
  if (before !== undefined)
    await say(db, r, `${before}Task ${t.position} of ${of} is open for ${team}: ${t.title}`);
}

/** How a request's state reads in an error. */
const STATUS_WORD: Record<repo.RequestRow['status'], string> = {
  approval: 'waiting for approval',
  fulfilment: 'approved',
  fulfilled: 'fulfilled',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

/** Tells the voters of a level that now waits for them (in-app and e-mail, by their preferences). */
export async function notifyApprovers(
  db: Db,
  r: Pick<repo.RequestRow, 'id' | 'number' | 'item_name' | 'requester_id'>,
  level: Pick<repo.ApprovalRow, 'level' | 'group_name' | 'voters'>,
  of: number,
): Promise<void> {
  const requester = (await userNames(db, [r.requester_id])).get(r.requester_id)?.name ?? 'someone';
  await notifyAbout(db, 'approval_requested', {
    to: level.voters,
    item: {
      name: `${requestKey(r.number)} “${r.item_name}” for ${requester}`,
      path: `/catalogue/requests/${r.id}`,
    },
    what: `approval level ${level.level} of ${of} (${level.group_name})`,
  });
}

/** The request, locked, if the actor may see it (404 otherwise). */
async function lockedRequest(db: Db, actor: Actor, id: string): Promise<repo.RequestRow> {
  const r = await repo.findRequest(db, id, repo.requestsVisibleTo(actor), true);
  if (!r) throw NotFound('request');
  return r;
}

/**
 * The caller's vote at the request's waiting level. Decided under the request's row lock: the level is
 * approved once its rule's count of approvals is in (the next level opens, or fulfilment starts), rejected
 * once it no longer can be (the request ends and its ticket is cancelled).
 */
export async function voteOnRequest(ctx: Ctx, actor: Actor, id: string, raw: RequestVote): Promise<void> {
  can(actor, 'catalogue:request');
  const v = RequestVote.parse(raw);
  const me = actor.userId;
  if (!me) throw Forbidden('only a person may approve a request');
  await ctx.tx(async (db) => {
    const r = await lockedRequest(db, actor, id);
    const levels = await repo.approvalsOf(db, [id]);
    const mine = levels.filter((a) => a.voters.includes(me));
    if (mine.length === 0) throw Forbidden('you are not an approver of this request');
    if (r.status !== 'approval')
      throw Conflict(`the request is ${STATUS_WORD[r.status]}: no vote is waiting`, 'not_in_approval');
    const a = levels.find((l) => l.level === r.level);
    if (!a?.voters.includes(me))
      throw Conflict(`the request waits for approval level ${r.level}, which is not yours`, 'not_your_level');
    const name = await nameOf(db, actor);
    if (!(await repo.insertVote(db, { request_id: id, level: a.level, user_id: me, user_name: name, ...v })))
      throw new AppError(409, 'already_voted', 'Already voted', 'you have already voted at this level');
    await record(db, actor, 'catalogue.voted', { type: 'cat_request', id }, null, {
      level: a.level,
      decision: v.decision,
      reason: v.reason,
    });
    const outcome = decision(await repo.tally(db, id, a.level), a.voters.length, a.required);
    if (outcome === 'pending') return;
    await repo.setApproval(db, id, a.level, outcome);
    const step = `Approval level ${a.level} of ${levels.length} (${a.group_name})`;
    if (outcome === 'rejected') {
      await repo.setRequest(db, id, { status: 'rejected', level: 0 });
      await say(db, r, `${step}: rejected by ${name}: ${v.reason}`);
      if (r.ticket_id) await followTicketIn(db, CATALOGUE, r.ticket_id, { status: 'cancelled' });
      await record(
        db,
        actor,
        'catalogue.rejected',
        { type: 'cat_request', id },
        { status: r.status },
        {
          status: 'rejected',
          reason: `${name}: ${v.reason}`,
        },
      );
      return;
    }
    const next = levels.find((l) => l.level === a.level + 1);
    if (next) {
      await repo.setApproval(db, id, next.level, 'pending');
      await repo.setRequest(db, id, { level: next.level });
      await say(db, r, `${step}: approved. Now waiting for ${next.group_name}.`);
      await notifyApprovers(db, r, next, levels.length);
    } else {
      await say(db, r, `${step}: approved. The request is approved.`);
      await startFulfilment(db, r);
      await record(
        db,
        actor,
        'catalogue.approved',
        { type: 'cat_request', id },
        { status: r.status },
        {
          status: 'fulfilment',
        },
      );
    }
  });
}

/**
 * Marks the request's open task done (a member of its team, or a catalogue admin): the next task opens, or
 * the request is fulfilled and its ticket resolved. Under the request's row lock: done once.
 */
export async function completeTask(
  ctx: Ctx,
  actor: Actor,
  id: string,
  position: number,
  raw: CompleteTask,
): Promise<void> {
  can(actor, 'catalogue:request');
  const { note } = CompleteTask.parse(raw);
  await ctx.tx(async (db) => {
    const r = await lockedRequest(db, actor, id);
    const tasks = await repo.tasksOf(db, [id]);
    const t = tasks.find((x) => x.position === position);
    if (!t) throw NotFound('task');
    const member =
      actor.userId && (await teamIdsOf(db, [actor.userId])).get(actor.userId)?.includes(t.team_id);
    if (!member && !allows(actor, 'catalogue:admin'))
      throw Forbidden(
        `only the team ${(await teamNames(db, [t.team_id])).get(t.team_id) ?? ''} works this task`,
      );
    if (r.status !== 'fulfilment' || t.status !== 'open') {
      const why =
        t.status === 'done'
          ? 'it is done already'
          : r.status === 'approval'
            ? 'the request is waiting for approval'
            : r.status === 'rejected' || r.status === 'cancelled'
              ? `the request was ${r.status}`
              : `it waits for task ${t.position - 1}`;
      throw Conflict(`task ${t.position} cannot be completed: ${why}`, 'task_not_open');
    }
    const name = await nameOf(db, actor);
    await repo.finishTask(db, id, position, name, note);
    await record(db, actor, 'catalogue.task_done', { type: 'cat_request', id }, null, { position, note });
    const done = `Task ${t.position} of ${tasks.length} is done (${name}): ${t.title}${note ? `\n\n${note}` : ''}`;
    const next = tasks.find((x) => x.position === position + 1);
    if (next) return openTask(db, r, next, tasks.length, `${done}\n\n`);
    await repo.setRequest(db, id, { status: 'fulfilled' });
    await record(
      db,
      actor,
      'catalogue.fulfilled',
      { type: 'cat_request', id },
      { status: 'fulfilment' },
      {
        status: 'fulfilled',
      },
    );
    if (r.ticket_id)
      await resolveTicketIn(
        db,
        CATALOGUE,
        r.ticket_id,
        `${done}\n\nAll tasks are done: the request is fulfilled.`,
      );
  });
}

/**
 * Cancels a request that is no longer wanted (its requester, or a catalogue admin) while it waits for approval
 * or is being fulfilled: no vote or task counts after it, and its ticket is cancelled with the reason. Under the
 * request's row lock, so a cancellation and a last vote or task decide one after the other, never both.
 */
export async function cancelRequest(ctx: Ctx, actor: Actor, id: string, raw: CancelRequest): Promise<void> {
  can(actor, 'catalogue:request');
  const { reason } = CancelRequest.parse(raw);
  await ctx.tx(async (db) => {
    const r = await lockedRequest(db, actor, id);
    const admin = allows(actor, 'catalogue:admin');
    if (!admin && actor.userId !== r.requester_id)
      throw Forbidden('only the requester or a catalogue admin may cancel a request');
    if (!mayCancel(actor, r, admin))
      throw Conflict(
        `the request is ${STATUS_WORD[r.status]}: it can no longer be cancelled`,
        'not_cancellable',
      );
    const name = await nameOf(db, actor);
    await repo.setRequest(db, id, {
      status: 'cancelled',
      level: 0,
      cancelled_by: name,
      cancelled_at: new Date(),
      cancel_reason: reason,
    });
    await say(db, r, `The request was cancelled by ${name}: ${reason}`);
    if (r.ticket_id) await followTicketIn(db, CATALOGUE, r.ticket_id, { status: 'cancelled' });
    await record(
      db,
      actor,
      'catalogue.cancelled',
      { type: 'cat_request', id },
      { status: r.status },
      { status: 'cancelled', reason },
    );
  });
}
