/**
 * Approval delegation while away: an approver names a delegate for a period, during which the delegate may vote
 * on changes in the approver's place. The vote is stored as the approver's (so the approver and the delegate
 * together cast one vote per level), names the delegate, and is audited. People set their own delegations;
 * change admins set anyone's (an approver who left without setting one).
 */
import { type ChangeDelegation, CreateChangeDelegation } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { type Actor, allows, can } from '../../platform/permissions.js';
import { userNames } from '../users/index.js';
import * as repo from './approvals.repository.js';
import { nameOf } from './changes.service.js';

/** The approvers among `voters` whose delegation to `delegateId` covers now. */
export const principalsOf = (db: Db, delegateId: string, voters: readonly string[]) =>
  repo.principalsOf(db, delegateId, voters, new Date());

async function views(db: Db, rows: readonly repo.DelegationRow[]): Promise<ChangeDelegation[]> {
  const names = await userNames(
    db,
    rows.flatMap((r) => [r.user_id, r.delegate_id]),
  );
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    userName: names.get(r.user_id)?.name ?? 'a removed user',
    delegateId: r.delegate_id,
    delegateName: names.get(r.delegate_id)?.name ?? 'a removed user',
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    reason: r.reason,
    createdBy: r.created_by,
  }));
}

/** The delegations service, for the routes. */
export function delegationsService(ctx: Ctx) {
  const mine = (actor: Actor) => {
    can(actor, 'change:read');
    if (!actor.userId) throw Forbidden('only a person delegates approvals');
    return actor.userId;
  };
  return {
    /** Delegations not yet over: the caller's (given or received); change admins see all. */
    async list(actor: Actor): Promise<ChangeDelegation[]> {
      can(actor, 'change:read');
      const who = allows(actor, 'change:admin') ? undefined : mine(actor);
      return views(ctx.db, await repo.listDelegations(ctx.db, new Date(), who));
    },
    async create(actor: Actor, raw: CreateChangeDelegation): Promise<ChangeDelegation> {
      const d = CreateChangeDelegation.parse(raw);
      const me = mine(actor);
      const userId = d.userId ?? me;
      if (userId !== me) can(actor, 'change:admin');
      if (userId === d.delegateId)
        throw Invalid('an approver cannot delegate to themselves', [
          { path: 'delegateId', message: 'yourself' },
        ]);
      const people = await userNames(ctx.db, [userId, d.delegateId]);
      if (!people.get(d.delegateId)?.active)
        throw Invalid('no such active user', [{ path: 'delegateId', message: 'not an active user' }]);
      if (!people.has(userId)) throw Invalid('no such user', [{ path: 'userId', message: 'no such user' }]);
      const by = await nameOf(ctx.db, actor);
      const row = await ctx.tx(async (db) => {
        const r = await repo.insertDelegation(db, {
          user_id: userId,
          delegate_id: d.delegateId,
          starts_at: d.startsAt,
          ends_at: d.endsAt,
          reason: d.reason,
          created_by: by,
        });
        await record(db, actor, 'change.delegation_created', { type: 'change_delegation', id: r.id }, null, {
          approver: people.get(userId)?.name,
          delegate: people.get(d.delegateId)?.name,
          startsAt: d.startsAt,
          endsAt: d.endsAt,
          reason: d.reason,
        });
        return r;
      });
      return (await views(ctx.db, [row]))[0]!;
    },
    /** Ends a delegation (its approver, or a change admin; 404 for others). */
    async remove(actor: Actor, id: string): Promise<void> {
      const me = mine(actor);
      await ctx.tx(async (db) => {
        const r = await repo.findDelegation(db, id);
        if (!r || (r.user_id !== me && !allows(actor, 'change:admin'))) throw NotFound('delegation');
        await repo.deleteDelegation(db, id);
        await record(
          db,
          actor,
          'change.delegation_removed',
          { type: 'change_delegation', id },
          {
            delegate: r.delegate_id,
          },
          null,
        );
      });
    },
  };
}
