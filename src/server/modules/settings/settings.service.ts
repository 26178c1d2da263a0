import { PriorityMatrix, ServiceDeskSettings } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { NotFound, Stale } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import * as repo from './settings.repository.js';

/** The matrix of GUIDE.md §6, used if the stored one is ever unreadable. */
export const DEFAULT_MATRIX: number[][] = [
  [1, 1, 2, 2, 2],
  [1, 2, 2, 3, 3],
  [2, 2, 3, 4, 4],
  [2, 3, 4, 4, 5],
  [2, 3, 4, 5, 5],
];

/** A setting with its version (for ETag/If-Match). */
export interface Versioned<T> {
  value: T;
  version: number;
}

async function load<T>(
  db: Db,
  key: string,
  parse: (v: unknown) => T | undefined,
  fallback: T,
): Promise<Versioned<T>> {
  const row = await repo.find(db, key);
  if (!row) return { value: fallback, version: 0 };
  // A hand-edited, invalid row must not break ticket creation: fall back to the default.
  return { value: parse(row.value) ?? fallback, version: row.version };
}

const DESK_DEFAULTS: ServiceDeskSettings = { reopenWindowDays: 7, autoCloseDays: 14 };

const parseMatrix = (v: unknown) => PriorityMatrix.safeParse({ matrix: v }).data?.matrix;
const parseDesk = (v: unknown) => ServiceDeskSettings.safeParse(v).data;

/** The priority matrix (for other modules: no permission check). */
export async function priorityMatrixOf(db: Db): Promise<number[][]> {
  return (await load(db, 'priority_matrix', parseMatrix, DEFAULT_MATRIX)).value;
}

/** The reopen window in days (for other modules: no permission check). */
export async function reopenWindowDaysOf(db: Db): Promise<number> {
  return (await load(db, 'service_desk', parseDesk, DESK_DEFAULTS)).value.reopenWindowDays;
}

/** Days after which a resolved ticket closes by itself (for other modules: no permission check). */
export async function autoCloseDaysOf(db: Db): Promise<number> {
  return (await load(db, 'service_desk', parseDesk, DESK_DEFAULTS)).value.autoCloseDays;
}

/** The priority matrix with its version (agents and above). */
export async function getPriorityMatrix(ctx: Ctx, actor: Actor): Promise<Versioned<PriorityMatrix>> {
  if (!allows(actor, 'settings:read')) throw NotFound('setting');
  const s = await load(ctx.db, 'priority_matrix', parseMatrix, DEFAULT_MATRIX);
  return { value: { matrix: s.value }, version: s.version };
}

/** Replaces the priority matrix (admins). Existing tickets keep their priority until impact or urgency change. */
export async function putPriorityMatrix(
  ctx: Ctx,
  actor: Actor,
  version: number,
  input: PriorityMatrix,
): Promise<Versioned<PriorityMatrix>> {
  if (!allows(actor, 'settings:read')) throw NotFound('setting');
  can(actor, 'settings:write');
  return ctx.tx(async (db) => {
    const before = await load(db, 'priority_matrix', parseMatrix, DEFAULT_MATRIX);
    const row = await repo.update(db, 'priority_matrix', version, input.matrix);
    if (!row) throw Stale();
    await record(
      db,
      actor,
      'settings.priority_matrix.updated',
      { type: 'settings', id: 'priority_matrix' },
      { matrix: before.value },
      { matrix: input.matrix },
    );
    return { value: { matrix: input.matrix }, version: row.version };
  });
}

/** Service-desk settings with their version (agents and above). */
export async function getServiceDesk(ctx: Ctx, actor: Actor): Promise<Versioned<ServiceDeskSettings>> {
  if (!allows(actor, 'settings:read')) throw NotFound('setting');
  return load(ctx.db, 'service_desk', parseDesk, DESK_DEFAULTS);
}

/** Replaces the service-desk settings (admins). */
export async function putServiceDesk(
  ctx: Ctx,
  actor: Actor,
  version: number,
  input: ServiceDeskSettings,
): Promise<Versioned<ServiceDeskSettings>> {
  if (!allows(actor, 'settings:read')) throw NotFound('setting');
  can(actor, 'settings:write');
  return ctx.tx(async (db) => {
    const before = await load(db, 'service_desk', parseDesk, DESK_DEFAULTS);
    const row = await repo.update(db, 'service_desk', version, input);
    if (!row) throw Stale();
    await record(
      db,
      actor,
      'settings.service_desk.updated',
      { type: 'settings', id: 'service_desk' },
      { ...before.value },
      { ...input },
    );
    return { value: input, version: row.version };
  });
}
