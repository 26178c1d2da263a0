/**
 * Progress of running backups: the agent posts how far it is every few seconds (files and bytes done and in
 * all, the file it reads, the time left); Steward shows it with the device's recovery point until the run is
 * reported. A run's start is audited once (`backup.run_started`); the posts that follow only move counters.
 */
import type { BackupProgress, ReportBackupProgress } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Invalid, Unauthenticated } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { agentOfToken } from '../cmdb/index.js';
import * as repo from './progress.repository.js';

/** Clocks of agents drift: a run may start at most this far in the future. */
const SKEW_MS = 5 * 60_000;
/** A run whose agent has not posted for this long (killed, asleep, offline) is no longer shown as running. */
export const QUIET_MS = 3 * 60_000;

/** Records how far the running backup of the agent's own device is. */
export async function reportProgress(ctx: Ctx, token: string, p: ReportBackupProgress): Promise<void> {
  const agent = await agentOfToken(ctx, token);
  if (!agent) throw Unauthenticated('the agent token is unknown or revoked');
  const ciId = agent.ciId;
  if (!ciId) throw Conflict('report the machine first: this agent has no device yet', 'not_reported');
  if (Date.parse(p.startedAt) > Date.now() + SKEW_MS)
    throw Invalid('the run starts in the future: check the device’s clock', [
      { path: 'startedAt', message: 'in the future' },
    ]);
  await ctx.tx(async (db) => {
    const row = await repo.upsertProgress(db, ciId, p);
    if (!row) throw Conflict('this run was already reported', 'run_reported');
    if (!row.new_run) return;
    const actor: Actor = { userId: null, role: 'agent', label: `agent:${agent.hostname}`, via: 'token' };
    await record(db, actor, 'backup.run_started', { type: 'ci', id: ciId }, null, {
      device: agent.hostname,
      startedAt: p.startedAt,
    });
  });
}

/** The backups running now on these devices (quiet ones left out), with the run each last reported. */
export async function runningOn(
  ctx: Ctx,
  ids: readonly string[],
  lastReportedStart: (ciId: string) => Date | null,
): Promise<Map<string, BackupProgress>> {
  const rows = await repo.progressOf(ctx.db, ids, new Date(Date.now() - QUIET_MS));
  const out = new Map<string, BackupProgress>();
  for (const r of rows.values()) {
    const last = lastReportedStart(r.ci_id);
    if (last && last >= r.started_at) continue;
    out.set(r.ci_id, {
      startedAt: r.started_at.toISOString(),
      percent: r.percent,
      filesDone: Number(r.files_done),
      filesTotal: Number(r.files_total),
      bytesDone: Number(r.bytes_done),
      bytesTotal: Number(r.bytes_total),
      currentFile: r.current_file,
      etaSeconds: r.eta_seconds,
      updatedAt: r.updated_at.toISOString(),
    });
  }
  return out;
}
