/** A change's ordered tasks (each for a team) and its links to the incidents it caused and problems it fixes. */
import { ChangeLinkInput, CreateChangeTask } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { existingTeamIds } from '../teams/index.js';
import { findVisibleTicket } from '../tickets/index.js';
import { findChange } from './changes.repository.js';
import { nameOf } from './changes.service.js';
import * as repo from './work.repository.js';

const OVER = ['closed', 'cancelled', 'rejected'];

async function openChange(db: Db, id: string) {
  const r = await findChange(db, id, true);
  if (!r) throw NotFound('change');
  if (OVER.includes(r.status)) throw Conflict(`the change is ${r.status}`, 'change_over');
  return r;
}

/** Adds a task at the end of the change's list. */
export async function addTask(ctx: Ctx, actor: Actor, id: string, raw: CreateChangeTask): Promise<void> {
  can(actor, 'change:write');
  const t = CreateChangeTask.parse(raw);
  await ctx.tx(async (db) => {
    await openChange(db, id);
    if (t.teamId && !(await existingTeamIds(db, [t.teamId])).has(t.teamId))
      throw Invalid('no such team', [{ path: 'teamId', message: 'no such team' }]);
    const row = await repo.insertTask(db, id, t.title, t.teamId);
    await record(db, actor, 'change.task_added', { type: 'change', id }, null, { taskId: row.id, ...t });
  });
}

/** Ticks a task off (or un-ticks it). */
export async function setTask(
  ctx: Ctx,
  actor: Actor,
  id: string,
  taskId: string,
  done: boolean,
): Promise<void> {
  can(actor, 'change:write');
  await ctx.tx(async (db) => {
    await openChange(db, id);
    const t = await repo.findTask(db, id, taskId);
    if (!t) throw NotFound('task');
    await repo.setTaskDone(db, taskId, done ? await nameOf(db, actor) : null);
    await record(
      db,
      actor,
      done ? 'change.task_done' : 'change.task_reopened',
      { type: 'change', id },
      null,
      {
        taskId,
        title: t.title,
      },
    );
  });
}

/** Links an incident the change caused (`caused`) or a problem it fixes (`fixes`); 400 for another ticket. */
export async function addLink(ctx: Ctx, actor: Actor, id: string, raw: ChangeLinkInput): Promise<void> {
  can(actor, 'change:write');
  const l = ChangeLinkInput.parse(raw);
  await ctx.tx(async (db) => {
    const r = await findChange(db, id, true);
    if (!r) throw NotFound('change');
    const t = await findVisibleTicket(db, actor, l.ticketId);
    if (!t) throw Invalid('no such ticket', [{ path: 'ticketId', message: 'no such ticket' }]);
    const want = l.kind === 'caused' ? 'incident' : 'problem';
    if (t.type !== want)
      throw Invalid(`${t.key} is not ${l.kind === 'caused' ? 'an incident' : 'a problem'}`, [
        { path: 'ticketId', message: `must be ${want === 'incident' ? 'an incident' : 'a problem'}` },
      ]);
    if (!(await repo.insertLink(db, id, l.ticketId, l.kind)))
      throw Conflict(`${t.key} is already linked so`, 'link_exists');
    await record(db, actor, 'change.linked', { type: 'change', id }, null, { ticket: t.key, kind: l.kind });
  });
}
