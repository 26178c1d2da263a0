/**
 * Retired software installations are kept for a while (an uninstalled product still shows in the computer's
 * software history and can come back), then pruned by a daily job after the discovery setting
 * `retiredInstallationDays`, so that an agent reporting ever-changing software cannot grow the inventory
 * without bound. Each pruning is one audit entry per computer (`ci.software_pruned`), listing what went.
 */
import { z } from 'zod';
import { type AuditRecord, recordAll } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';
import type { Actor } from '../../platform/permissions.js';
import * as settings from '../settings/index.js';
import * as repo from './discovery.repository.js';
import type { InstallationRef } from './installations.js';

/** The job that prunes long-retired installations. */
export const PRUNE_JOB = 'cmdb.prune_installations';

/** The action of a computer's pruning entry. */
export const SOFTWARE_PRUNED = 'ci.software_pruned';

const SYSTEM: Actor = { userId: null, role: 'admin', label: 'system', via: 'system' };
const BATCH = 500;

/** Deletes installations retired longer ago than the setting, in short batches; returns how many. */
export async function pruneRetiredInstallations(ctx: Ctx, now: Date = new Date()): Promise<number> {
  const { retiredInstallationDays } = await settings.discoveryLimitsOf(ctx.db);
  const cutoff = new Date(now.getTime() - retiredInstallationDays * 86_400_000);
  let pruned = 0;
  for (;;) {
    const done = await ctx.tx(async (db) => {
      const rows = await repo.retiredBefore(db, cutoff, BATCH);
      const byComputer = new Map<string | null, InstallationRef[]>();
      for (const r of rows) {
        const list = byComputer.get(r.computer_id) ?? [];
        list.push({ id: r.id, product: r.product, version: r.version });
        byComputer.set(r.computer_id, list);
      }
      await repo.deleteInstallations(
        db,
        rows.map((r) => r.id),
      );
      const entries: AuditRecord[] = [...byComputer].map(([computerId, list]) => ({
        actor: SYSTEM,
        action: SOFTWARE_PRUNED,
        entity: { type: 'ci', id: computerId },
        before: null,
        after: { pruned: list, retiredDays: retiredInstallationDays },
      }));
      await recordAll(db, entries);
      return rows.length;
    });
    pruned += done;
    if (done < BATCH) return pruned;
  }
}

/** The daily `cmdb.prune_installations` job, at 03:41 UTC. */
export function pruneJobs(): JobSet {
  return {
    types: [
      jobType(PRUNE_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await pruneRetiredInstallations(ctx)),
        maxAttempts: 3,
        timeoutMs: 30 * 60_000,
      }),
    ],
    schedules: [cronSchedule(PRUNE_JOB, '41 3 * * *', { timezone: 'UTC' })],
  };
}
