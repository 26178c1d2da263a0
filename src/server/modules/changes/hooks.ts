import type { Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';

/**
 * What other modules hear of a change: called inside an edit or a move of it, in its transaction, with what
 * happened in words ("was edited", "moved to implementing"). main.ts wires the knowledge module here.
 */
export type ChangeHook = (db: Db, actor: Actor, id: string, what: string) => Promise<void>;
