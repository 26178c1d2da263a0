/**
 * A drill's evidence: what was restored, from which snapshot, the hashes, the times, who ran it and who ticked
 * each manual step. Built once when the drill finishes, hashed (SHA-256 of its canonical JSON), stored with the
 * drill (frozen by a trigger) and recorded whole in an audit entry, which the keyed hash chain seals: an edit of
 * either copy is found by comparing them and by verifying the chain.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/index.js';
import type * as repo from './drills.repository.js';

/** SHA-256 of the evidence's canonical JSON (keys sorted), hex. */
export function evidenceHash(evidence: unknown): string {
  return createHash('sha256').update(canonicalJson(evidence)).digest('hex');
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/** How long a step took, in seconds (null until it ran). */
export function stepSeconds(s: Pick<repo.StepRow, 'started_at' | 'finished_at'>): number | null {
  return s.started_at && s.finished_at ? (s.finished_at.getTime() - s.started_at.getTime()) / 1000 : null;
}

/**
 * The measured RTO: from the drill's start to its last step's end. The achieved RPO: the age, when the drill
 * started, of the oldest snapshot it restored (what the service would have lost).
 */
export function measures(
  startedAt: Date,
  steps: readonly repo.StepRow[],
): { rto: number | null; rpo: number | null } {
  const ends = steps.flatMap((s) => (s.finished_at ? [s.finished_at.getTime()] : []));
  const ages = steps.flatMap((s) => (s.snapshot_time ? [seconds(s.snapshot_time, startedAt)] : []));
  return {
    rto: ends.length > 0 ? seconds(startedAt, new Date(Math.max(...ends))) : null,
    rpo: ages.length > 0 ? Math.max(...ages) : null,
  };
}

function stepEvidence(s: repo.StepRow) {
  const common = {
    position: s.position,
    kind: s.kind,
    title: s.title,
    status: s.status,
    startedAt: s.started_at?.toISOString() ?? null,
    finishedAt: s.finished_at?.toISOString() ?? null,
    seconds: stepSeconds(s),
  };
  if (s.kind === 'manual')
    return {
      ...common,
      tickedBy: s.ticked_by_label,
      tickedAt: s.ticked_at?.toISOString() ?? null,
      note: s.details.note ?? null,
    };
  return {
    ...common,
    device: s.device_name,
    deviceId: s.ci_id,
    snapshot: s.snapshot_id
      ? {
          id: s.snapshot_id,
          time: s.snapshot_time?.toISOString() ?? null,
          tree: s.details.tree ?? null,
          hostname: s.details.hostname ?? null,
          paths: s.details.paths ?? [],
        }
      : null,
    restoredTo: 'a scratch folder on the Steward server, removed afterwards',
    files: s.files,
    bytes: Number(s.bytes),
    verifiedFiles: s.verified_files,
    mismatches: s.mismatches,
    manifestSha256: s.details.manifestSha256 ?? null,
    fileHashes: s.details.listed ?? [],
    problems: s.details.problems ?? [],
    error: s.error,
  };
}

/** The evidence of a drill that ends now with `status`. */
export function buildEvidence(
  d: Pick<
    repo.DrillRow,
    | 'id'
    | 'plan_id'
    | 'plan_name'
    | 'service_name'
    | 'trigger'
    | 'started_at'
    | 'started_by_label'
    | 'rto_target_seconds'
    | 'rpo_target_seconds'
  >,
  steps: readonly repo.StepRow[],
  end: { status: string; at: Date; failure: string | null; cancelledBy?: string },
): Record<string, unknown> {
  const m = measures(d.started_at, steps);
  return {
    kind: 'steward.dr_drill_evidence/1',
    drill: d.id,
    plan: { id: d.plan_id, name: d.plan_name },
    service: d.service_name,
    trigger: d.trigger,
    ranBy: d.started_by_label,
    ...(end.cancelledBy ? { cancelledBy: end.cancelledBy } : {}),
    status: end.status,
    failure: end.failure,
    startedAt: d.started_at.toISOString(),
    finishedAt: end.at.toISOString(),
    measuredRtoSeconds: m.rto,
    achievedRpoSeconds: m.rpo,
    rtoTargetSeconds: d.rto_target_seconds,
    rpoTargetSeconds: d.rpo_target_seconds,
    steps: steps.map(stepEvidence),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why a drill failed, in one sentence naming the first failed step as people know it. */
export function failureOf(steps: readonly repo.StepRow[]): string | null {
  const failed = steps.filter((s) => s.status === 'failed');
  const first = failed[0];
  if (!first) return null;
  const name = first.device_name ?? first.title;
  const what = first.error
    ? `${name} could not be restored: ${first.error}`
    : `${name} restore had ${plural(first.mismatches, 'file')} that did not match`;
  return failed.length > 1 ? `${what} (and ${plural(failed.length - 1, 'more step')} failed)` : what;
}
