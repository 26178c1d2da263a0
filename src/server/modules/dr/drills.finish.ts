/**
 * Ending a drill, once: when its restores are done and its manual steps ticked (passed, or failed when a restore
 * failed), or when a person cancels it. In one transaction, under a lock on the drill: the outcome and its
 * frozen evidence, the audit entry holding the evidence and its SHA-256, the problem about the service when
 * the drill failed, and the plan marked verified when it passed.
 */
import type { Ticket } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { deviceContacts } from '../cmdb/index.js';
import { createTicketIn } from '../tickets/index.js';
import * as repo from './drills.repository.js';
import { buildEvidence, evidenceHash, failureOf, measures } from './drills.evidence.js';
import type { DrillPlans } from './drills.plans.js';

/** Who finishes drills and opens their problems: "disaster-recovery drills" on timelines and in the audit trail. */
export const DRILLS: Actor = {
  userId: null,
  role: 'admin',
  label: 'disaster-recovery drills',
  via: 'system',
};

/** The audit action whose entry holds a finished drill's evidence. */
export const EVIDENCE_ACTION = 'dr_drill.finished';

const minutes = (s: number | null) =>
  s === null ? 'unknown' : s < 120 ? `${s} seconds` : `${Math.round(s / 60)} minutes`;

function problemText(d: repo.DrillRow, steps: readonly repo.StepRow[], failure: string): string {
  const lines = [
    `The disaster-recovery drill of the **${d.plan_name}** plan${d.service_name ? ` (service ${d.service_name})` : ''}, started ${d.started_at.toISOString()} by ${d.started_by_label}, failed:`,
    '',
    failure,
    '',
  ];
  for (const s of steps.filter((x) => x.kind === 'restore')) {
    const what =
      s.status === 'passed'
        ? `restored and verified ${s.verified_files} files`
        : s.error
          ? `failed: ${s.error}`
          : `${s.mismatches} of ${s.files} files did not match the snapshot`;
    lines.push(`- ${s.device_name ?? s.title}: ${what}`);
    const problems = (s.details.problems ?? []) as { path: string; message: string }[];
    for (const p of problems.slice(0, 5)) lines.push(`  - ${p.path}: ${p.message}`);
  }
  lines.push('', 'The drill’s evidence is kept with the drill and in the audit trail.');
  return lines.join('\n').slice(0, 20_000);
}

/** Opens the problem about the service of a failed drill; undefined when nobody can be its requester. */
async function openProblem(
  db: Db,
  d: repo.DrillRow,
  steps: readonly repo.StepRow[],
  failure: string,
): Promise<Ticket | undefined> {
  const who = d.service_ci_id ? await deviceContacts(db, d.service_ci_id) : undefined;
  const requesterId = d.started_by ?? who?.ownerId ?? who?.adminId;
  if (!requesterId) return undefined;
  return createTicketIn(db, DRILLS, {
    type: 'problem',
    title: `Drill of the ${d.plan_name} plan failed: ${failure}`.slice(0, 200),
    description: problemText(d, steps, failure),
    requesterId,
    ...(who?.teamId ? { teamId: who.teamId } : {}),
    // A service that cannot be recovered as planned is a wide, not yet urgent, risk.
    impact: 4,
    urgency: 3,
    ...(d.service_ci_id && who ? { ciIds: [d.service_ci_id] } : {}),
  });
}

/** The outcome a drill has now, or null while it must wait (restores running, manual steps unticked). */
function outcomeOf(steps: readonly repo.StepRow[]): 'passed' | 'failed' | null {
  const restores = steps.filter((s) => s.kind === 'restore');
  if (restores.some((s) => s.status === 'pending' || s.status === 'running')) return null;
  if (restores.some((s) => s.status === 'failed')) return 'failed';
  return steps.some((s) => s.status === 'pending') ? null : 'passed';
}

/**
 * Finishes the drill when it is done (or `cancel`s it, or fails it because its job `stopped`, saying why);
 * inside the caller's transaction. Returns the status it ended with, or null when it is still running (or had
 * ended already: the drill's row is locked and its status checked first, so of two callers one ends it).
 */
export async function finishIfDone(
  db: Db,
  plans: DrillPlans,
  drillId: string,
  cancel?: Actor,
  stopped?: (steps: readonly repo.StepRow[], d: repo.DrillRow) => string,
): Promise<'passed' | 'failed' | 'cancelled' | null> {
  const locked = await repo.lockDrill(db, drillId);
  if (locked?.status !== 'running') return null;
  const steps = await repo.stepsOf(db, drillId);
  const status = cancel ? 'cancelled' : stopped ? 'failed' : outcomeOf(steps);
  if (!status) return null;
  const d = (await repo.findDrill(db, drillId))!;
  const at = new Date();
  const failure = status !== 'failed' ? null : stopped ? stopped(steps, d) : failureOf(steps);
  const evidence = buildEvidence(d, steps, {
    status,
    at,
    failure,
    ...(cancel ? { cancelledBy: cancel.label } : {}),
  });
  const sha256 = evidenceHash(evidence);
  const problem = failure ? await openProblem(db, d, steps, failure) : undefined;
  const m = measures(d.started_at, steps);
  await repo.finishDrill(db, drillId, {
    status,
    finished_at: at,
    measured_rto_seconds: status === 'cancelled' ? null : m.rto,
    achieved_rpo_seconds: m.rpo,
    failure,
    evidence,
    evidence_sha256: sha256,
    problem_ticket_id: problem?.id ?? null,
    problem_key: problem?.key ?? null,
  });
  await record(db, cancel ?? DRILLS, EVIDENCE_ACTION, { type: 'dr_drill', id: drillId }, null, {
    plan: d.plan_name,
    status,
    measuredRto: minutes(m.rto),
    problem: problem?.key ?? null,
    evidenceSha256: sha256,
    evidence,
  });
  if (status === 'passed' && d.plan_id)
    await plans.verified(db, DRILLS, {
      planId: d.plan_id,
      drillId,
      at,
      planVersion: d.plan_version,
      scope: d.plan_scope,
    });
  return status;
}

/** {@link finishIfDone} in a transaction of its own. */
export function finishInTx(ctx: Ctx, plans: DrillPlans, drillId: string, cancel?: Actor) {
  return ctx.tx((db) => finishIfDone(db, plans, drillId, cancel));
}
