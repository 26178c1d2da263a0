/** Who may reveal and who may manage a credential: its shares (people and teams), and admins manage. */
import type { Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { teamIdsOf } from '../teams/index.js';
import * as repo from './vault.repository.js';

/** What the actor may do with credentials. */
export interface Access {
  reveal: boolean;
  manage: boolean;
}

/** The teams of the actor. */
export async function teamsOfActor(db: Db, actor: Actor): Promise<string[]> {
  if (!actor.userId) return [];
  return (await teamIdsOf(db, [actor.userId])).get(actor.userId) ?? [];
}

/**
 * The actor's access to credentials `ciIds`: reveal when shared with them or one of their teams, manage at the
 * `manage` level; admins manage every credential (and may share it with themselves, audited) but reveal only
 * what is shared with them.
 */
export async function accessTo(db: Db, actor: Actor, ciIds: readonly string[]): Promise<Map<string, Access>> {
  const levels = actor.userId
    ? await repo.levelsOf(db, actor.userId, await teamsOfActor(db, actor), ciIds)
    : new Map<string, 'reveal' | 'manage'>();
  return new Map(
    ciIds.map((id) => {
      const level = levels.get(id);
      return [id, { reveal: level !== undefined, manage: level === 'manage' || actor.role === 'admin' }];
    }),
  );
}

/** The actor's access to one credential. */
export async function accessToOne(db: Db, actor: Actor, ciId: string): Promise<Access> {
  return (await accessTo(db, actor, [ciId])).get(ciId)!;
}
