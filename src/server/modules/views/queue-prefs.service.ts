import { DEFAULT_QUEUE_COLUMNS, QueuePrefs } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Unauthenticated } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import * as repo from './views.repository.js';

function me(actor: Actor): string {
  can(actor, 'view:own');
  if (!actor.userId) throw Unauthenticated('the queue layout belongs to a signed-in user');
  return actor.userId;
}

const DEFAULTS: QueuePrefs = { columns: [...DEFAULT_QUEUE_COLUMNS], density: 'comfortable' };

/** The caller's queue layout, or the default one. */
export async function getQueuePrefs(ctx: Ctx, actor: Actor): Promise<QueuePrefs> {
  const row = await repo.findQueuePrefs(ctx.db, me(actor));
  if (!row) return DEFAULTS;
  // Stored prefs were validated on write; a column dropped in a later version must not break the queue.
  const parsed = QueuePrefs.safeParse({ columns: row.columns, density: row.density });
  return parsed.success ? parsed.data : DEFAULTS;
}

/** Saves the caller's queue layout. */
export async function saveQueuePrefs(ctx: Ctx, actor: Actor, input: QueuePrefs): Promise<QueuePrefs> {
  const userId = me(actor);
  return ctx.tx(async (db) => {
    const before = await repo.findQueuePrefs(db, userId);
    await repo.saveQueuePrefs(db, userId, input);
    await record(db, actor, 'queue_prefs.saved', { type: 'user', id: userId }, before ?? null, { ...input });
    return input;
  });
}
