/**
 * The change state machine and the approvals: moves along CHANGE_TRANSITIONS (illegal ones 409 naming the
 * allowed), the rules each move checks, approval levels built from the route the risk picks, and votes decided
 * under the change's row lock so that parallel votes count exactly once.
 */
import {
  CHANGE_TRANSITIONS,
  type ChangeStatus,
  ChangeTransition,
  ChangeVote,
  type RiskQuestion,
} from '../../../contracts/index.js';
import { decision, requiredVotes } from '../../platform/approval-rules.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { teamMemberIds, teamNames } from '../teams/index.js';
import { userNames } from '../users/index.js';
import { principalsOf } from './delegations.js';
import { findRoute, findTemplate, type StoredLevel } from './admin.repository.js';
import * as repo from './changes.repository.js';
import { nameOf, requireNoBlackout, riskOf, stateOf } from './changes.service.js';
import type { Risk } from './risk.js';
import * as work from './work.repository.js';
import type { RestorePoints } from '../backup/index.js';
import { mailApprovalLinks } from './approval-links.js';

import type { ChangeHook } from './hooks.js';

/** What the moves need from the composition root: restore points, and Steward's address for e-mail links. */
export interface Wiring {
  rp: RestorePoints;
  publicUrl: string;
  /** Other modules hear of an edited or moved change, inside its transaction (main.ts wires knowledge). */
  changed?: ChangeHook | undefined;
}
import { type Gate, restorePointGate } from './restore-points.js';

/** Throws 409 `illegal_transition`, naming the allowed moves, unless `from -> to` is in the table. */
export function requireChangeTransition(from: ChangeStatus, to: ChangeStatus): void {
  const allowed = CHANGE_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  throw Conflict(
    `a change in ${from} cannot move to ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final status)'}`,
    'illegal_transition',
    [{ path: 'body.to', message: `allowed from ${from}: ${allowed.join(', ') || 'none'}` }],
  );
}

/** How many approvals a level's rule needs from `members` voters (409 when the team cannot meet it). */
export function levelVotes(l: StoredLevel, members: number, team: string): number {
  return requiredVotes(l, members, `the team ${team}`);
}

/** Copies the route's levels onto the change: the first waits for votes, the others for the one before. */
async function startApprovals(db: Db, r: repo.ChangeRow, publicUrl: string): Promise<void> {
  const name = r.type === 'emergency' ? 'emergency' : (r.risk ?? 'high');
  const route = await findRoute(db, name);
  if (!route || route.levels.length === 0)
    throw Conflict(
      `no approvers are set for ${name} changes (an admin sets the approval routes)`,
      'no_approvers',
    );
  const ids = route.levels.map((l) => l.teamId);
  const [members, names] = await Promise.all([teamMemberIds(db, ids), teamNames(db, ids)]);
  const levels = route.levels.map((l, i) => {
    const voters = members.get(l.teamId) ?? [];
    const team = names.get(l.teamId) ?? 'a removed team';
    return {
      change_id: r.id,
      level: i + 1,
      team_id: l.teamId,
      team_name: team,
      rule: l.rule,
      required: levelVotes(l, voters.length, team),
      voters,
      status: i === 0 ? ('pending' as const) : ('waiting' as const),
    };
  });
  await work.replaceLevels(db, r.id, levels);
  await mailApprovalLinks(db, publicUrl, r, levels[0]!);
}

/** What a move needs besides the table (409 or 400 naming what is missing); `wait` for restore points. */
async function checkMove(
  db: Db,
  mv: Wiring & { actor: Actor; by: string },
  r: repo.ChangeRow,
  to: ChangeStatus,
  t: ChangeTransition,
): Promise<Gate> {
  const items = (await repo.itemsOf(db, [r.id])).get(r.id) ?? [];
  const window = {
    itemIds: items,
    start: r.planned_start,
    end: r.planned_end,
    override: r.blackout_override !== null,
  };
  const needsWindow = () => {
    if (!r.planned_start || !r.planned_end)
      throw Conflict('plan the window first (planned start and end)', 'no_window', [
        { path: 'plannedStart', message: 'required' },
      ]);
  };
  if (to === 'authorisation') {
    if (r.type === 'standard')
      throw Conflict('a standard change is pre-approved: schedule it', 'pre_approved');
    const missing = (
      [
        ['implementationPlan', r.implementation_plan],
        ['testPlan', r.test_plan],
        ['backoutPlan', r.backout_plan],
      ] as const
    ).filter(([, v]) => r.type === 'normal' && v.trim() === '');
    if (missing.length)
      throw Conflict(
        'a normal change needs its implementation, test and backout plans before authorisation',
        'plans_missing',
        missing.map(([path]) => ({ path, message: 'required' })),
      );
    needsWindow();
    await requireNoBlackout(db, window);
    await startApprovals(db, r, mv.publicUrl);
  } else if (to === 'scheduled') {
    if (r.type !== 'standard')
      throw Conflict(`a ${r.type} change is scheduled by its approvers`, 'needs_approval');
    needsWindow();
    await requireNoBlackout(db, window);
  } else if (to === 'implementing') {
    needsWindow();
    await requireNoBlackout(db, window);
    return restorePointGate(db, mv.rp, mv.actor, r, items, t, mv.by);
  } else if (to === 'closed' && !t.outcome) {
    throw Invalid('closing a change needs its outcome', [
      { path: 'outcome', message: 'required when closing' },
    ]);
  }
  return 'go';
}

/**
 * Moves a change along the table; entering assessment computes its risk afresh. `wait` when the move to
 * implementing waits for restore points (asked for, the change left scheduled).
 */
export async function transitionChange(
  ctx: Ctx,
  w: Wiring,
  actor: Actor,
  id: string,
  raw: ChangeTransition,
): Promise<Gate> {
  can(actor, 'change:write');
  const t = ChangeTransition.parse(raw);
  const cur = await repo.findChange(ctx.db, id);
  if (!cur) throw NotFound('change');
  let risk: Risk | undefined;
  if (t.to === 'assessment') {
    const tpl = cur.template_id ? await findTemplate(ctx.db, cur.template_id) : undefined;
    risk = await riskOf(ctx, id, await stateOf(ctx.db, cur), (tpl?.questions ?? []) as RiskQuestion[]);
  }
  const by = await nameOf(ctx.db, actor);
  return ctx.tx(async (db) => {
    const r = await repo.findChange(db, id, true);
    if (!r) throw NotFound('change');
    requireChangeTransition(r.status, t.to);
    if (risk) {
      await repo.updateChange(db, id, r.version, {
        risk: risk.level,
        risk_score: risk.score,
        risk_reasons: JSON.stringify(risk.reasons),
      });
      r.risk = risk.level;
    }
    if ((await checkMove(db, { ...w, actor, by }, r, t.to, t)) === 'wait') return 'wait';
    await repo.setStatus(
      db,
      id,
      t.to,
      t.to === 'closed' ? { outcome: t.outcome ?? null, lessons: t.lessons ?? '' } : {},
    );
    await record(
      db,
      actor,
      'change.moved',
      { type: 'change', id },
      { status: r.status },
      {
        status: t.to,
        ...(t.to === 'closed' ? { outcome: t.outcome, lessons: t.lessons ?? '' } : {}),
        ...(risk ? { risk: risk.level, reasons: risk.reasons } : {}),
      },
    );
    await w.changed?.(db, actor, id, `moved to ${t.to.replace('_', ' ')}`);
    return 'go';
  });
}

/**
 * Whose vote the caller casts on `level`: their own as one of its approvers, or (named by `onBehalfOf`, else
 * the first) an approver whose delegation to the caller covers now; 403 otherwise.
 */
async function voterFor(db: Db, me: string, level: work.LevelRow, onBehalfOf?: string): Promise<string> {
  if (!onBehalfOf && level.voters.includes(me)) return me;
  const principals = await principalsOf(db, me, level.voters);
  const who = onBehalfOf ?? principals[0];
  if (who && principals.includes(who)) return who;
  throw Forbidden(
    onBehalfOf
      ? `you do not stand in for that approver of level ${level.level} (${level.team_name}) now`
      : `you are not an approver of level ${level.level} (${level.team_name})`,
  );
}

/**
 * The caller's vote on the level now waiting (their team's). Decided under the change's row lock: a level is
 * approved when the rule's count of approvals is reached, rejected when it can no longer be; the last level's
 * approval schedules the change, any level's rejection rejects it with the rejecting vote's reason.
 */
export async function voteOnChange(ctx: Ctx, publicUrl: string, actor: Actor, id: string, raw: ChangeVote) {
  can(actor, 'change:read');
  const v = ChangeVote.parse(raw);
  await ctx.tx((db) => voteIn(db, publicUrl, actor, id, v));
}

/** {@link voteOnChange} in the caller's transaction (the e-mail link's decision commits with its use). */
export async function voteIn(
  db: Db,
  publicUrl: string,
  actor: Actor,
  id: string,
  v: ReturnType<typeof ChangeVote.parse>,
  onlyLevel?: number,
): Promise<void> {
  const me = actor.userId;
  if (!me) throw Forbidden('only a person may approve a change');
  {
    const r = await repo.findChange(db, id, true);
    if (!r) throw NotFound('change');
    if (r.status !== 'authorisation')
      throw Conflict(`the change is in ${r.status}, not waiting for approval`, 'not_awaiting_approval');
    const levels = await work.levelsOf(db, id);
    const level = levels.find((l) => l.status === 'pending');
    if (!level || (onlyLevel !== undefined && level.level !== onlyLevel))
      throw Conflict('no approval level is waiting', 'not_awaiting_approval');
    const voter = await voterFor(db, me, level, v.onBehalfOf);
    const mine = await nameOf(db, actor);
    const label = voter === me ? mine : ((await userNames(db, [voter])).get(voter)?.name ?? 'an approver');
    const vote = {
      change_id: id,
      level: level.level,
      user_id: voter,
      user_label: label,
      cast_by_label: voter === me ? null : mine,
      decision: v.decision,
      reason: v.reason,
    };
    if (!(await work.insertVote(db, vote)))
      throw new AppError(
        409,
        'already_voted',
        'Already voted',
        voter === me ? 'you have already voted on this level' : `${label} has already voted on this level`,
      );
    await record(db, actor, 'change.voted', { type: 'change', id }, null, {
      level: level.level,
      decision: v.decision,
      reason: v.reason,
      ...(voter === me ? {} : { onBehalfOf: label, delegate: mine }),
    });
    const n = await work.tally(db, id, level.level);
    const outcome = decision(n, level.voters.length, level.required);
    if (outcome === 'approved') {
      await work.setLevelStatus(db, id, level.level, 'approved');
      const next = levels.find((l) => l.level === level.level + 1);
      if (next) {
        await work.setLevelStatus(db, id, next.level, 'pending');
        await mailApprovalLinks(db, publicUrl, r, next);
      } else {
        await repo.setStatus(db, id, 'scheduled');
        await record(
          db,
          actor,
          'change.approved',
          { type: 'change', id },
          { status: 'authorisation' },
          {
            status: 'scheduled',
          },
        );
      }
    } else if (outcome === 'rejected') {
      await work.setLevelStatus(db, id, level.level, 'rejected');
      const reason = `${label}: ${v.reason}`;
      await repo.setStatus(db, id, 'rejected', { rejection_reason: reason });
      await record(
        db,
        actor,
        'change.rejected',
        { type: 'change', id },
        { status: 'authorisation' },
        {
          status: 'rejected',
          reason,
        },
      );
    }
  }
}
