/** A stored change as the API shows it: names, not ids, for what people read; conflicts computed afresh. */
import {
  CHANGE_TRANSITIONS,
  type Change,
  type ChangeSummary,
  type RiskQuestion,
} from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { itemNames } from '../cmdb/index.js';
import { teamNames } from '../teams/index.js';
import { findVisibleTicket } from '../tickets/index.js';
import { userNames } from '../users/index.js';
import type { RestorePoints } from '../backup/index.js';
import { findTemplate } from './admin.repository.js';
import { restorePointsView } from './restore-points.js';
import { type ChangeRow, itemsOf } from './changes.repository.js';
import { changeKey, conflictsOf } from './conflicts.js';
import { levelsOf, linksOf, tasksOf, votesOf } from './work.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A change in a list. */
/** Stored risk reasons; those stored before reasons had codes read as `other` (their English text only). */
function reasonsOf(stored: unknown): Change['riskReasons'] {
  return (stored as Partial<Change['riskReasons'][number]>[]).map((x) => ({
    code: x.code ?? 'other',
    params: x.params ?? {},
    text: x.text ?? '',
    points: x.points ?? 0,
  }));
}

export async function summariesOf(db: Db, rows: readonly ChangeRow[]): Promise<ChangeSummary[]> {
  const people = await userNames(
    db,
    rows.map((r) => r.implementer_id).filter((x): x is string => x !== null),
  );
  return rows.map((r) => ({
    id: r.id,
    key: changeKey(r.number),
    type: r.type,
    title: r.title,
    status: r.status,
    risk: r.risk,
    plannedStart: iso(r.planned_start),
    plannedEnd: iso(r.planned_end),
    implementerName: r.implementer_id ? (people.get(r.implementer_id)?.name ?? null) : null,
  }));
}

/** Approval levels with their votes. */
async function approvalsOf(db: Db, id: string): Promise<Change['approvals']> {
  const [levels, votes] = await Promise.all([levelsOf(db, id), votesOf(db, id)]);
  return levels.map((l) => ({
    level: l.level,
    teamId: l.team_id,
    teamName: l.team_name,
    rule: l.rule,
    required: l.required,
    status: l.status,
    votes: votes
      .filter((v) => v.level === l.level)
      .map((v) => ({
        by: v.user_label,
        castBy: v.cast_by_label,
        decision: v.decision,
        reason: v.reason,
        at: v.created_at.toISOString(),
      })),
  }));
}

/** The whole change, for its page. */
export async function changeView(ctx: Ctx, actor: Actor, r: ChangeRow, rp: RestorePoints): Promise<Change> {
  const db = ctx.db;
  const items = (await itemsOf(db, [r.id])).get(r.id) ?? [];
  const live = ['draft', 'assessment', 'authorisation', 'scheduled'].includes(r.status);
  // Conflict detection is the slowest part and needs only the items: asked with the rest, not after it.
  const [names, template, approvals, tasks, linkRows, people, conflicts] = await Promise.all([
    itemNames(ctx, items),
    r.template_id ? findTemplate(db, r.template_id) : undefined,
    approvalsOf(db, r.id),
    tasksOf(db, r.id),
    linksOf(db, r.id),
    userNames(db, r.implementer_id ? [r.implementer_id] : []),
    live
      ? conflictsOf(db, {
          id: r.id,
          itemIds: items,
          start: r.planned_start,
          end: r.planned_end,
          implementerId: r.implementer_id,
        })
      : [],
  ]);
  const [restorePoints, teams, visible] = await Promise.all([
    restorePointsView(db, rp, r.id, names),
    teamNames(
      db,
      tasks.map((t) => t.team_id).filter((x): x is string => x !== null),
    ),
    Promise.all(linkRows.map(async (l) => ({ l, t: await findVisibleTicket(db, actor, l.ticket_id) }))),
  ]);
  const links: Change['links'] = visible.flatMap(({ l, t }) =>
    t ? [{ ticketId: t.id, key: t.key, title: t.title, kind: l.kind }] : [],
  );
  return {
    id: r.id,
    key: changeKey(r.number),
    number: r.number,
    type: r.type,
    templateId: r.template_id,
    templateName: template?.name ?? null,
    title: r.title,
    description: r.description,
    status: r.status,
    outcome: r.outcome,
    lessons: r.lessons,
    risk: r.risk,
    riskScore: r.risk_score,
    riskReasons: reasonsOf(r.risk_reasons),
    questions: (template?.questions ?? []) as RiskQuestion[],
    answers: r.answers as Record<string, boolean>,
    implementationPlan: r.implementation_plan,
    testPlan: r.test_plan,
    backoutPlan: r.backout_plan,
    plannedStart: iso(r.planned_start),
    plannedEnd: iso(r.planned_end),
    implementerId: r.implementer_id,
    implementerName: r.implementer_id ? (people.get(r.implementer_id)?.name ?? null) : null,
    teamId: r.team_id,
    items: items.map((id) => ({ id, name: names.get(id) ?? 'a removed item' })),
    blackoutOverride: r.blackout_override ? { reason: r.blackout_override, by: r.override_by ?? '' } : null,
    rejectionReason: r.rejection_reason,
    requestedBy: r.requested_by_label,
    restorePoints,
    restorePointWaiver: r.restore_point_waiver
      ? { reason: r.restore_point_waiver, by: r.waived_by ?? '' }
      : null,
    conflicts,
    approvals,
    tasks: tasks.map((t) => ({
      id: t.id,
      position: t.position,
      title: t.title,
      teamId: t.team_id,
      teamName: t.team_id ? (teams.get(t.team_id) ?? null) : null,
      doneAt: iso(t.done_at),
      doneBy: t.done_by,
    })),
    links,
    allowedTransitions: [...CHANGE_TRANSITIONS[r.status]],
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}
