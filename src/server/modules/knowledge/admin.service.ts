/** Who approves each kind of article (managers and admins set it). */
import { type ArticleKind, type KindApprovers, UpdateKindApprovers } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Invalid, Stale } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { existingTeamIds, teamNames } from '../teams/index.js';
import * as reviews from './review.repository.js';

/** The approvers service, for the routes. */
export function approversService(ctx: Ctx) {
  const list = async (actor: Actor): Promise<KindApprovers[]> => {
    can(actor, 'kb:write');
    const rows = await reviews.listApprovers(ctx.db);
    const names = await teamNames(
      ctx.db,
      rows.flatMap((r) => (r.team_id ? [r.team_id] : [])),
    );
    return rows.map((r) => ({
      kind: r.kind,
      teamId: r.team_id,
      teamName: r.team_id ? (names.get(r.team_id) ?? 'a removed team') : null,
      rule: r.rule,
      count: r.count,
      version: r.version,
    }));
  };
  return {
    list,
    async update(
      actor: Actor,
      kind: ArticleKind,
      version: number,
      raw: UpdateKindApprovers,
    ): Promise<KindApprovers> {
      can(actor, 'kb:admin');
      const input = UpdateKindApprovers.parse(raw);
      if (input.teamId && !(await existingTeamIds(ctx.db, [input.teamId])).has(input.teamId))
        throw Invalid('no such team', [{ path: 'teamId', message: 'no such team' }]);
      await ctx.tx(async (db) => {
        const before = await reviews.findApprovers(db, kind);
        const v = { team_id: input.teamId, rule: input.rule, count: input.count ?? null };
        if (!(await reviews.setApprovers(db, kind, version, v))) throw Stale();
        await record(
          db,
          actor,
          'kb.approvers_set',
          { type: 'kb_approvers', id: null },
          { kind, team_id: before.team_id, rule: before.rule, count: before.count },
          { kind, ...v },
        );
      });
      return (await list(actor)).find((a) => a.kind === kind)!;
    },
  };
}
