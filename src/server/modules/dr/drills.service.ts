/**
 * Disaster-recovery drills: started on demand or by a plan's schedule (one running per plan, decided by the
 * database), run as a background job (drills.run.ts), manual runbook steps ticked off by people, cancelled by a
 * person, read with their steps and evidence, and the evidence checked against the audit chain.
 */
import type {
  Drill,
  DrillEvidenceCheck,
  DrillHistory,
  DrillStep,
  DrillSummary,
} from '../../../contracts/index.js';
import { entityHistory, record } from '../../platform/audit/index.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/index.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import type { Actor } from '../../platform/permissions.js';
import { evidenceHash, stepSeconds } from './drills.evidence.js';
import { EVIDENCE_ACTION, finishIfDone } from './drills.finish.js';
import type { DrillPlan } from './drills.plans.js';
import * as repo from './drills.repository.js';
import type { DrillDeps } from './drills.run.js';

/** The job that runs a drill's restores. */
export const DRILL_RUN_JOB = 'dr.drill_run';

const iso = (d: Date | null) => d?.toISOString() ?? null;

function summaryOf(r: repo.DrillRow | repo.DrillListRow): DrillSummary {
  return {
    id: r.id,
    planId: r.plan_id,
    planName: r.plan_name,
    serviceName: r.service_name,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: iso(r.finished_at),
    startedBy: r.started_by_label,
    measuredRtoSeconds: r.measured_rto_seconds,
    achievedRpoSeconds: r.achieved_rpo_seconds,
    rtoTargetSeconds: r.rto_target_seconds,
    rpoTargetSeconds: r.rpo_target_seconds,
    failure: r.failure,
    problemKey: r.problem_key,
    problemId: r.problem_ticket_id,
    evidenceSha256: r.evidence_sha256,
  };
}

function stepOf(s: repo.StepRow, drillStart: Date): DrillStep {
  const d = s.details;
  return {
    position: s.position,
    kind: s.kind,
    title: s.title,
    ciId: s.ci_id,
    deviceName: s.device_name,
    status: s.status,
    snapshotId: s.snapshot_id,
    snapshotTime: iso(s.snapshot_time),
    snapshotAgeSeconds: s.snapshot_time
      ? Math.max(0, Math.round((drillStart.getTime() - s.snapshot_time.getTime()) / 1000))
      : null,
    files: s.files,
    bytes: Number(s.bytes),
    verifiedFiles: s.verified_files,
    mismatches: s.mismatches,
    startedAt: iso(s.started_at),
    finishedAt: iso(s.finished_at),
    seconds: stepSeconds(s),
    tickedBy: s.ticked_by_label,
    tickedAt: iso(s.ticked_at),
    manifestSha256: typeof d.manifestSha256 === 'string' ? d.manifestSha256 : null,
    problems: Array.isArray(d.problems) ? (d.problems as DrillStep['problems']) : [],
    error: s.error,
  };
}

/** The drill's row when `actor` may see it: its plan is visible to them (a drill of a deleted plan: readers). */
async function visibleDrill(deps: DrillDeps, actor: Actor, id: string): Promise<repo.DrillRow> {
  const d = await repo.findDrill(deps.ctx.db, id);
  if (!d) throw NotFound('drill');
  try {
    if (d.plan_id) await deps.plans.load(deps.ctx, actor, d.plan_id);
    else deps.plans.canRead(actor);
  } catch {
    throw NotFound('drill');
  }
  return d;
}

/** A drill with its steps and evidence. */
export async function getDrill(deps: DrillDeps, actor: Actor, id: string): Promise<Drill> {
  const d = await visibleDrill(deps, actor, id);
  const steps = await repo.stepsOf(deps.ctx.db, id);
  return { ...summaryOf(d), steps: steps.map((s) => stepOf(s, d.started_at)), evidence: d.evidence };
}

/** The steps of a drill of `plan`: its devices' restores in recovery order, then its runbook to tick off. */
function stepsFor(plan: DrillPlan): repo.NewStep[] {
  const restores = plan.devices.map((d) => ({
    kind: 'restore' as const,
    title: `Restore ${d.name}`,
    ci_id: d.ciId,
    device_name: d.name,
  }));
  const manual = plan.runbook.map((r) => ({
    kind: 'manual' as const,
    title: r.title,
    ci_id: null,
    device_name: null,
  }));
  return [...restores, ...manual].map((s, i) => ({ ...s, position: i + 1 }));
}

/**
 * Starts a drill of plan `planId` and queues its restores; Conflict when the plan has a drill running (or has
 * nothing to drill). Returns the drill as it starts.
 */
export async function startDrill(
  deps: DrillDeps,
  actor: Actor,
  planId: string,
  trigger: 'schedule' | 'manual' = 'manual',
): Promise<Drill> {
  const plan = await deps.plans.load(deps.ctx, actor, planId);
  deps.plans.canRun(actor);
  const steps = stepsFor(plan);
  if (steps.length === 0)
    throw Conflict(`the ${plan.name} plan has no devices to restore and no steps`, 'nothing_to_drill');
  const id = await deps.ctx.tx(async (db) => {
    const drillId = await repo.insertDrill(
      db,
      {
        plan_id: plan.id,
        plan_name: plan.name,
        plan_version: plan.version,
        plan_scope: JSON.stringify(plan.scope),
        service_ci_id: plan.serviceId,
        service_name: plan.serviceName,
        trigger,
        started_by: actor.userId,
        started_by_label: actor.label,
        rto_target_seconds: plan.rtoMinutes * 60,
        rpo_target_seconds: plan.rpoMinutes * 60,
      },
      steps,
    );
    if (!drillId) return undefined;
    await record(db, actor, 'dr_drill.started', { type: 'dr_drill', id: drillId }, null, {
      plan: plan.name,
      trigger,
      devices: plan.devices.map((d) => d.name),
    });
    const jobId = await enqueue(db, DRILL_RUN_JOB, { drillId }, { definition: deps.runJob });
    await repo.setJob(db, drillId, jobId);
    return drillId;
  });
  if (!id) throw Conflict(`a drill of the ${plan.name} plan is running already`, 'drill_running');
  return getDrill(deps, actor, id);
}

/** A plan's drills, newest first, with the trend of its finished ones. */
export async function listDrills(
  deps: DrillDeps,
  actor: Actor,
  planId: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<DrillHistory> {
  await deps.plans.load(deps.ctx, actor, planId);
  const after = decodeCursor(q.cursor, ['timestamp', 'uuid'] as const);
  const rows = await repo.pageOfPlan(
    deps.ctx.db,
    planId,
    after && { at: after[0], id: after[1] },
    q.limit + 1,
  );
  const page = pageFrom(rows, q.limit, summaryOf, (r) => [r.started_key, r.id]);
  const t = await repo.trendOfPlan(deps.ctx.db, planId);
  return {
    ...page,
    trend: {
      drills: Number(t.drills),
      passed: Number(t.passed),
      failed: Number(t.failed),
      withinRto: Number(t.within_rto),
      withinRpo: Number(t.within_rpo),
      lastPassedAt: iso(t.last_passed_at),
    },
  };
}

/** Ticks manual step `position` off, now, as `actor`; the drill finishes when it was the last thing left. */
export async function tickStep(
  deps: DrillDeps,
  actor: Actor,
  id: string,
  position: number,
  note: string | undefined,
): Promise<Drill> {
  await visibleDrill(deps, actor, id);
  deps.plans.canRun(actor);
  await deps.ctx.tx(async (db) => {
    const locked = await repo.lockDrill(db, id);
    if (locked?.status !== 'running') throw Conflict('the drill has finished', 'drill_finished');
    const steps = await repo.stepsOf(db, id);
    const step = steps.find((s) => s.position === position);
    if (!step) throw NotFound('drill step');
    if (step.kind !== 'manual')
      throw Conflict(`step ${position} is a restore: Steward does it`, 'not_a_manual_step');
    if (!(await repo.tickStep(db, id, position, { id: actor.userId, label: actor.label }, note ?? null)))
      throw Conflict(`step ${position} was ticked off already`, 'step_ticked');
    await record(db, actor, 'dr_drill.step_ticked', { type: 'dr_drill', id }, null, {
      step: step.title,
      position,
      ...(note ? { note } : {}),
    });
    await finishIfDone(db, deps.plans, id);
  });
  return getDrill(deps, actor, id);
}

/** Cancels a running drill: it ends as cancelled, with the evidence of what was done. */
export async function cancelDrill(deps: DrillDeps, actor: Actor, id: string): Promise<Drill> {
  await visibleDrill(deps, actor, id);
  deps.plans.canRun(actor);
  const ended = await deps.ctx.tx((db) => finishIfDone(db, deps.plans, id, actor));
  if (!ended) throw Conflict('the drill has finished', 'drill_finished');
  return getDrill(deps, actor, id);
}

/**
 * Checks a finished drill's evidence: its SHA-256 recomputed now equals the one stored with it and the one in
 * its audit entry, whose copy of the evidence hashes the same; and whether that entry is sealed in the chain.
 */
export async function verifyEvidence(deps: DrillDeps, actor: Actor, id: string): Promise<DrillEvidenceCheck> {
  const d = await visibleDrill(deps, actor, id);
  const entries = (await entityHistory(deps.ctx, { type: 'dr_drill', id }, { limit: 200 })).items.filter(
    (e) => e.action === EVIDENCE_ACTION,
  );
  const entry = entries[0];
  const sha256 = d.evidence ? evidenceHash(d.evidence) : null;
  const auditSha256 = typeof entry?.after?.evidenceSha256 === 'string' ? entry.after.evidenceSha256 : null;
  const base = { sha256, auditSha256, auditEntryId: entry?.id ?? null, sealed: !!entry?.seq };
  const fail = (detail: string) => ({ ...base, ok: false, detail });
  if (d.status === 'running') return fail('the drill is still running: it has no evidence yet');
  if (!entry) return fail('the audit trail holds no evidence of this drill');
  if (entries.length > 1) return fail('the audit trail holds more than one evidence of this drill');
  if (sha256 !== d.evidence_sha256) return fail('the stored evidence was changed after the drill finished');
  if (auditSha256 !== sha256 || evidenceHash(entry.after?.evidence) !== sha256)
    return fail('the stored evidence differs from the evidence in the audit trail');
  return {
    ...base,
    ok: true,
    detail: base.sealed
      ? 'the evidence is the one recorded in the audit trail, and that entry is sealed in the hash chain'
      : 'the evidence is the one recorded in the audit trail (the entry is not sealed in the chain yet)',
  };
}
