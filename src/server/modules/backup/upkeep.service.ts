/**
 * Upkeep of the devices' repositories on the server, as jobs: forget by each device's policy, prune, and a
 * rotating check that reads every pack at least every 30 days. A task is queued (by a schedule for every
 * repository, or by an admin for one), then run by the job runner; its outcome is recorded per repository.
 */
import { z } from 'zod';
import type { BackupUpkeep, Retention, UpkeepDetails, UpkeepKind } from '../../../contracts/index.js';
import type { Backend } from '../../../backup/backend/backend.js';
import { errorMessage } from '../../../backup/errors.js';
import type { LockTiming } from '../../../backup/lock.js';
import { Repository } from '../../../backup/repository.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/index.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import { type Actor, can } from '../../platform/permissions.js';
import { computerName, computersInUse } from '../cmdb/index.js';
import { findUserById } from '../users/index.js';
import * as repo from './backup.repository.js';
import * as policies from './policies.repository.js';
import { winning } from './policies.service.js';
import { repositoryPassword } from './repositories.service.js';
import { openTarget, type TargetDeps } from './targets.service.js';
import { checkTask, forgetTask, groupsToRead, pruneTask, type TaskResult } from './upkeep.tasks.js';
import * as up from './upkeep.repository.js';
import { REMOVES_DATA, restoreRunning } from './restores.repository.js';

/**
 * The job that runs one queued task, `{ id }`: its name, payload and attempts, checked when it is queued (its
 * handler needs the server's upkeep dependencies: upkeep.jobs.ts builds it).
 */
export const UPKEEP_RUN = { name: 'backup.upkeep_run', schema: z.object({ id: z.uuid() }), maxAttempts: 3 };

/** What upkeep needs: the database, the box that opens passwords and credentials, and a clock (tests move it). */
export interface UpkeepDeps extends TargetDeps {
  clock: () => Date;
  /** Lock timings of the engine (tests shorten the pause after writing a lock). */
  lockTiming?: LockTiming;
}

/** Who runs scheduled upkeep, in the audit trail. */
const SYSTEM: Actor = { userId: null, role: 'admin', label: 'system', via: 'system' };

function view(r: up.UpkeepRow, device: string, names: Map<string, string>): BackupUpkeep {
  return {
    id: r.id,
    ciId: r.ci_id,
    deviceName: device,
    kind: r.kind,
    trigger: r.trigger,
    requestedBy: r.requested_by ? (names.get(r.requested_by) ?? '(removed)') : null,
    requestedAt: r.requested_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    outcome: r.outcome,
    summary: r.summary,
    details: r.details,
    error: r.error,
  };
}

/** A device's name as people know it. */
const deviceName = async (ctx: Ctx, ciId: string) => (await computerName(ctx, ciId)) ?? '(removed)';

/** The tasks of one device as the API answers them: device and requesters by name. */
async function views(ctx: Ctx, ciId: string, rows: readonly up.UpkeepRow[]): Promise<BackupUpkeep[]> {
  const device = await deviceName(ctx, ciId);
  const names = await requesters(ctx, rows);
  return rows.map((r) => view(r, device, names));
}

/** The names of the people who asked for these tasks. */
async function requesters(ctx: Ctx, rows: readonly up.UpkeepRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.requested_by).filter((x): x is string => x !== null))];
  const names = new Map<string, string>();
  for (const id of ids) {
    const u = await findUserById(ctx.db, id);
    if (u) names.set(id, u.name);
  }
  return names;
}

/** A device's upkeep history, newest first (admins); 404 when the device has no repository. */
export async function listUpkeep(
  ctx: Ctx,
  actor: Actor,
  ciId: string,
  q: { cursor?: string | undefined; limit: number },
) {
  can(actor, 'backup:admin');
  if (!(await repo.repositoryOf(ctx.db, ciId))) throw NotFound('backup repository');
  const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
  const rows = await up.page(ctx.db, ciId, after, q.limit + 1);
  const page = pageFrom(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.key, r.id],
  );
  return { items: await views(ctx, ciId, page.items), nextCursor: page.nextCursor };
}

/**
 * The last finished task of each kind on a device's repository (null where there was none): what the recovery
 * point monitoring reads (a failed check is damage found).
 */
export async function latestUpkeep(ctx: Ctx, ciId: string): Promise<Record<UpkeepKind, BackupUpkeep | null>> {
  const out: Record<UpkeepKind, BackupUpkeep | null> = { forget: null, prune: null, check: null };
  for (const v of await views(ctx, ciId, await up.latest(ctx.db, ciId))) out[v.kind] = v;
  return out;
}

/**
 * Queues one task on a device's repository now (admins), audited; 409 when one of that kind is queued or
 * running already (decided by the database, so parallel requests queue one).
 */
export async function requestUpkeep(
  deps: UpkeepDeps,
  actor: Actor,
  ciId: string,
  kind: UpkeepKind,
): Promise<BackupUpkeep> {
  can(actor, 'backup:admin');
  const r = await repo.repositoryOf(deps.ctx.db, ciId);
  if (!r) throw NotFound('backup repository');
  const device = await deviceName(deps.ctx, ciId);
  const id = await deps.ctx.tx(async (db) => {
    const id = await up.claim(db, {
      repositoryId: r.id,
      ciId,
      kind,
      trigger: 'manual',
      requestedBy: actor.userId,
      now: deps.clock(),
    });
    if (!id) return undefined;
    await enqueue(db, UPKEEP_RUN.name, { id }, { definition: UPKEEP_RUN });
    await record(db, actor, 'backup_upkeep.requested', { type: 'ci', id: ciId }, null, { device, kind });
    return id;
  });
  if (!id)
    throw Conflict(`a ${kind} of ${device}’s repository is queued or running already`, 'upkeep_pending');
  const row = (await up.find(deps.ctx.db, id))!;
  return view(row, device, await requesters(deps.ctx, [row]));
}

/**
 * Queues a task of `kind` for every device repository (the scheduled jobs), each with its job; a repository
 * that has one of that kind pending already is left to it. Returns the ids queued.
 */
export async function queueUpkeep(deps: UpkeepDeps, kind: UpkeepKind): Promise<string[]> {
  const ids: string[] = [];
  for (const r of await repo.listRepositories(deps.ctx.db)) {
    const id = await deps.ctx.tx(async (db) => {
      const id = await up.claim(db, {
        repositoryId: r.id,
        ciId: r.ci_id,
        kind,
        trigger: 'schedule',
        requestedBy: null,
        now: deps.clock(),
      });
      if (id) await enqueue(db, UPKEEP_RUN.name, { id }, { definition: UPKEEP_RUN });
      return id;
    });
    if (id) ids.push(id);
  }
  return ids;
}

/** The retention of the policy that wins for a device, or null when none covers it. */
async function retentionOf(ctx: Ctx, ciId: string): Promise<Retention | null> {
  const [device] = await computersInUse(ctx, ciId);
  const win = device && winning(await policies.assignments(ctx.db), device);
  const p = win && (await policies.findPolicy(ctx.db, win.policy_id));
  return p ? p.retention : null;
}

/** Opens the task's repository on its target and does the work. */
async function perform(deps: UpkeepDeps, t: up.UpkeepRow): Promise<TaskResult> {
  const r = await repo.repositoryOf(deps.ctx.db, t.ci_id);
  const target = r && (await repo.findTarget(deps.ctx.db, r.target_id));
  if (!r || !target || r.id !== t.repository_id)
    return { outcome: 'failed', summary: 'the repository is gone', details: {}, error: 'no repository' };
  let retention: Retention | null = null;
  if (t.kind === 'forget') {
    retention = await retentionOf(deps.ctx, t.ci_id);
    if (!retention) {
      const device = (await computerName(deps.ctx, t.ci_id)) ?? 'the device';
      return {
        outcome: 'skipped',
        summary: `no backup policy covers ${device}: nothing forgotten`,
        details: {},
        error: null,
      };
    }
  }
  const plan = t.kind === 'check' ? await checkPlan(deps, t.repository_id) : undefined;
  let backend: Backend | undefined;
  try {
    backend = await openTarget(deps.box, target, r.folder);
    const opened = await Repository.open(backend, repositoryPassword(deps, r));
    if (retention) return await forgetTask(opened, retention, deps.lockTiming);
    if (plan) return await checkTask(opened, plan, deps.lockTiming);
    return await pruneTask(opened, deps.lockTiming);
  } finally {
    await backend?.close().catch(() => undefined);
  }
}

/** The groups of packs the next check of a repository reads. */
async function checkPlan(deps: UpkeepDeps, repositoryId: string) {
  const last = await up.lastRead(deps.ctx.db, repositoryId);
  const next = (last?.details as UpkeepDetails | undefined)?.nextGroup;
  return groupsToRead(
    last && next !== undefined ? { at: last.started_at ?? last.requested_at, nextGroup: next } : undefined,
    deps.clock(),
  );
}

/** How long a forget or prune waits for a restore from its repository before it looks again. */
export const RESTORE_WAIT_MS = 5 * 60_000;

/** What a task waiting for a restore says. */
const WAITING =
  'waiting: a restore from this repository is running; it goes ahead once the restore has ended';

/**
 * Marks a queued task running, in one transaction that decides it against restores: a forget or prune locks
 * its repository's row, then looks for a running restore from it (a restore claim takes the same row shared
 * before it looks for a running forget or prune), so the two never run at once. A task that must wait goes
 * back to the queue with a job to look again in {@link RESTORE_WAIT_MS}. Undefined when the task is not there
 * to start (finished, or another runner has it).
 */
async function begin(
  deps: UpkeepDeps,
  id: string,
  takeOver: boolean,
): Promise<{ task: up.UpkeepRow; started: boolean } | undefined> {
  const queued = await up.find(deps.ctx.db, id);
  if (!queued) return undefined;
  const device = await deviceName(deps.ctx, queued.ci_id);
  return deps.ctx.tx(async (db) => {
    const t = await up.find(db, id);
    if (!t || t.finished_at || (t.outcome === 'running' && !takeOver)) return undefined;
    if ((REMOVES_DATA as readonly string[]).includes(t.kind)) {
      await repo.lockRepository(db, t.repository_id);
      if (await restoreRunning(db, t.ci_id)) {
        const waiting = await up.wait(db, id, WAITING);
        if (!waiting) return undefined;
        await enqueue(
          db,
          UPKEEP_RUN.name,
          { id },
          { runAt: new Date(Date.now() + RESTORE_WAIT_MS), definition: UPKEEP_RUN },
        );
        if (t.summary !== WAITING)
          await record(db, SYSTEM, 'backup_upkeep.waiting', { type: 'ci', id: t.ci_id }, null, {
            device,
            kind: t.kind,
            why: 'a restore from this repository is running',
          });
        return { task: waiting, started: false };
      }
    }
    const started = await up.start(db, id, deps.clock(), takeOver);
    return started && { task: started, started: true };
  });
}

/**
 * Runs a queued task (the job's handler) and records its outcome, audited; a failure of the storage or the
 * repository is the task's outcome, never an exception, so one repository never stops the others. Returns the
 * recorded task (still queued when it waits for a restore, see {@link begin}), or undefined when it was not
 * queued (finished already, or taken by another runner).
 */
export async function runUpkeep(
  deps: UpkeepDeps,
  id: string,
  opts: { takeOver?: boolean } = {},
): Promise<BackupUpkeep | undefined> {
  const begun = await begin(deps, id, opts.takeOver ?? false);
  if (!begun) return undefined;
  const t = begun.task;
  if (!begun.started) return (await views(deps.ctx, t.ci_id, [t]))[0]!;
  let result: TaskResult;
  try {
    result = await perform(deps, t);
  } catch (e) {
    const message = errorMessage(e).slice(0, 4000);
    result = { outcome: 'failed', summary: `failed: ${message.slice(0, 300)}`, details: {}, error: message };
  }
  const device = await deviceName(deps.ctx, t.ci_id);
  await deps.ctx.tx(async (db) => {
    await up.finish(db, id, { ...result, now: deps.clock() });
    await record(db, SYSTEM, 'backup_upkeep.finished', { type: 'ci', id: t.ci_id }, null, {
      device,
      kind: t.kind,
      outcome: result.outcome,
      summary: result.summary,
    });
  });
  return (await views(deps.ctx, t.ci_id, [(await up.find(deps.ctx.db, id))!]))[0]!;
}
