/**
 * The compliance register: frameworks imported as control sets (the ones Steward ships, or a licensed file),
 * the statement of applicability (each control applicable or excluded, always with a reason), owners and review
 * cycles, and the evidence queries mapped to controls. Managers and admins keep it; a control's owner sees and
 * evidences the controls they own; everyone else is told nothing exists (404).
 */
import type {
  AddMapping,
  ComplianceControl,
  ComplianceFramework,
  ComplianceFrameworkList,
  ImportResult,
  UpdateControl,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { findUserById, userNames } from '../users/index.js';
import * as repo from './compliance.repository.js';
import * as evidenceRepo from './evidence.repository.js';
import type { ControlRow } from './compliance.repository.js';
import { evidenceView, refreshStatus } from './evidence.view.js';
import { builtinSets, type ControlSet, readControlSet } from './import.js';

/** Whether the actor keeps the register (frameworks, applicability, owners, mappings, exports). */
export const isManager = (actor: Actor) => allows(actor, 'compliance:admin');
const controlEntity = (id: string) => ({ type: 'compliance_control', id });

/** `today` plus `months` calendar months, as YYYY-MM-DD (the 31st becomes the month's last day). */
export function addMonths(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

const todayOf = (now = new Date()) => now.toISOString().slice(0, 10);

function frameworkView(r: Awaited<ReturnType<typeof repo.frameworks>>[number]): ComplianceFramework {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    fullText: r.full_text,
    controls: Number(r.controls),
    applicable: Number(r.applicable),
    excluded: Number(r.excluded),
    undecided: Number(r.undecided),
    green: Number(r.green),
    red: Number(r.red),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The controls as the API shows them: owners by name, mappings with their latest evidence. */
export async function controlViews(
  db: Db,
  actor: Actor,
  rows: readonly ControlRow[],
): Promise<ComplianceControl[]> {
  const names = await userNames(
    db,
    rows.flatMap((r) => (r.owner_id ? [r.owner_id] : [])),
  );
  const mappings = await repo.mappingsOf(
    db,
    rows.map((r) => r.id),
  );
  const latest = new Map(
    (
      await evidenceRepo.latestOf(
        db,
        mappings.map((m) => m.id),
      )
    ).map((e) => [e.mapping_id, e]),
  );
  const today = todayOf();
  return rows.map((r) => ({
    id: r.id,
    frameworkId: r.framework_id,
    frameworkName: r.framework_name,
    ref: r.ref,
    section: r.section,
    title: r.title,
    body: r.body,
    applicable: r.applicable,
    justification: r.justification,
    owner: r.owner_id ? { id: r.owner_id, name: names.get(r.owner_id)?.name ?? 'a former user' } : null,
    reviewMonths: r.review_months,
    nextReview: r.next_review,
    reviewOverdue: r.next_review !== null && r.next_review < today,
    status: r.status,
    statusSince: r.status_since?.toISOString() ?? null,
    version: r.version,
    canManage: isManager(actor),
    mappings: mappings
      .filter((m) => m.control_id === r.id)
      .map((m) => {
        const e = latest.get(m.id);
        return {
          id: m.id,
          source: m.source,
          params: m.params as Record<string, number>,
          effectiveFrom: m.effective_from!,
          createdBy: m.created_label,
          createdAt: m.created_at.toISOString(),
          latest: e ? evidenceView(e) : null,
        };
      }),
  }));
}

/** The control, if the actor may see it: managers every one, others those they own. */
export async function visibleControl(db: Db, actor: Actor, id: string, lock = false): Promise<ControlRow> {
  can(actor, 'compliance:read');
  const row = await repo.findControl(db, id, lock);
  if (!row || !(isManager(actor) || (actor.userId !== null && row.owner_id === actor.userId)))
    throw NotFound('control');
  return row;
}

/** Frameworks the actor sees (managers: all; owners: those where they own a control), and the shipped sets. */
export async function listFrameworks(ctx: Ctx, actor: Actor): Promise<ComplianceFrameworkList> {
  can(actor, 'compliance:read');
  let rows = await repo.frameworks(ctx.db);
  if (!isManager(actor)) {
    const mine = new Set(actor.userId ? await repo.frameworksOwnedBy(ctx.db, actor.userId) : []);
    rows = rows.filter((r) => mine.has(r.id));
  }
  return {
    items: rows.map(frameworkView),
    catalogue: isManager(actor)
      ? builtinSets().map((s) => ({ key: s.key, name: s.name, controls: s.controls.length }))
      : [],
  };
}

/** One framework, if the actor sees it. */
export async function getFramework(ctx: Ctx, actor: Actor, id: string): Promise<ComplianceFramework> {
  can(actor, 'compliance:read');
  const [row] = await repo.frameworks(ctx.db, id);
  if (!row || !(isManager(actor) || (actor.userId && (await repo.ownsAny(ctx.db, id, actor.userId)))))
    throw NotFound('framework');
  return frameworkView(row);
}

async function importSet(ctx: Ctx, actor: Actor, set: ControlSet, how: string): Promise<ImportResult> {
  return ctx.tx(async (db) => {
    const r = await repo.importControls(db, { key: set.key, name: set.name }, set.controls);
    await record(
      db,
      actor,
      'compliance.framework_imported',
      { type: 'compliance_framework', id: r.id },
      null,
      {
        key: set.key,
        name: set.name,
        how,
        controls: set.controls.length,
        added: r.added,
        updated: r.updated,
        fullTexts: set.controls.filter((c) => c.text !== null).length,
      },
    );
    const [row] = await repo.frameworks(db, r.id);
    return { framework: frameworkView(row!), added: r.added, updated: r.updated };
  });
}

/** Loads (or refreshes) a control set Steward ships. */
export async function importBuiltin(ctx: Ctx, actor: Actor, key: string): Promise<ImportResult> {
  can(actor, 'compliance:admin');
  const set = builtinSets().find((s) => s.key === key);
  if (!set)
    throw Invalid('no such control set', [
      {
        path: 'body.key',
        message: `one of ${builtinSets()
          .map((s) => s.key)
          .join(', ')}`,
      },
    ]);
  return importSet(ctx, actor, set, 'builtin');
}

/** Imports a control set from a file (JSON or CSV): all of it, or nothing when any part is invalid. */
export async function importFile(
  ctx: Ctx,
  actor: Actor,
  bytes: Uint8Array,
  q: { format: 'json' | 'csv'; key?: string | undefined; name?: string | undefined },
): Promise<ImportResult> {
  can(actor, 'compliance:admin');
  return importSet(ctx, actor, readControlSet(bytes, q.format, q), `file (${q.format})`);
}

/** A framework's controls the actor sees, in the framework's order. */
export async function listControls(
  ctx: Ctx,
  actor: Actor,
  frameworkId: string,
): Promise<ComplianceControl[]> {
  await getFramework(ctx, actor, frameworkId);
  const rows = await repo.controlsOf(
    ctx.db,
    frameworkId,
    isManager(actor) ? undefined : (actor.userId ?? undefined),
  );
  return controlViews(ctx.db, actor, rows);
}

/** One control. */
export async function getControl(ctx: Ctx, actor: Actor, id: string): Promise<ComplianceControl> {
  const row = await visibleControl(ctx.db, actor, id);
  return (await controlViews(ctx.db, actor, [row]))[0]!;
}

/** Checks that a new owner is an active member of IT staff (an agent, manager or admin). */
async function checkOwner(db: Db, ownerId: string): Promise<void> {
  const u = await findUserById(db, ownerId);
  if (!u || !u.active || u.role === 'requester')
    throw Invalid('the owner must be an active agent, manager or admin', [
      { path: 'body.ownerId', message: 'not an active member of IT staff' },
    ]);
}

/**
 * Changes a control's applicability (an applicable or excluded control needs a justification: the statement of
 * applicability says why), its owner and its review cycle (a new cycle sets the next review from today).
 */
export async function updateControl(
  ctx: Ctx,
  actor: Actor,
  id: string,
  input: UpdateControl,
): Promise<ComplianceControl> {
  can(actor, 'compliance:admin');
  return ctx.tx(async (db) => {
    const c = await visibleControl(db, actor, id, true);
    if (c.version !== input.version)
      throw Conflict(`the control was changed meanwhile (now version ${c.version}): reload it`, 'stale');
    const next = {
      applicable: input.applicable === undefined ? c.applicable : input.applicable,
      justification: input.justification ?? c.justification,
      owner_id: input.ownerId === undefined ? c.owner_id : input.ownerId,
      review_months: input.reviewMonths === undefined ? c.review_months : input.reviewMonths,
      next_review: c.next_review,
    };
    if (next.applicable !== null && next.justification.trim() === '')
      throw Invalid('say why the control is applicable or excluded', [
        { path: 'body.justification', message: 'a statement of applicability needs a justification' },
      ]);
    if (next.owner_id && next.owner_id !== c.owner_id) await checkOwner(db, next.owner_id);
    if (next.review_months !== c.review_months)
      next.next_review = next.review_months === null ? null : addMonths(todayOf(), next.review_months);
    await repo.updateControl(db, id, c.version, next);
    const before = {
      applicable: c.applicable,
      justification: c.justification,
      ownerId: c.owner_id,
      reviewMonths: c.review_months,
      nextReview: c.next_review,
    };
    await record(db, actor, 'compliance.control_updated', controlEntity(id), before, {
      applicable: next.applicable,
      justification: next.justification,
      ownerId: next.owner_id,
      reviewMonths: next.review_months,
      nextReview: next.next_review,
    });
    return (await controlViews(db, actor, [(await repo.findControl(db, id))!]))[0]!;
  });
}

/** The owner (or a manager) records that the control was reviewed: the next review is one cycle from today. */
export async function markReviewed(ctx: Ctx, actor: Actor, id: string): Promise<ComplianceControl> {
  return ctx.tx(async (db) => {
    const c = await visibleControl(db, actor, id, true);
    if (c.review_months === null)
      throw Conflict('the control has no review cycle: set one first', 'no_review_cycle');
    const next = addMonths(todayOf(), c.review_months);
    await repo.setNextReview(db, id, next);
    await record(
      db,
      actor,
      'compliance.control_reviewed',
      controlEntity(id),
      { nextReview: c.next_review },
      {
        nextReview: next,
      },
    );
    return (await controlViews(db, actor, [(await repo.findControl(db, id))!]))[0]!;
  });
}

/** Maps an evidence query to a control; a second one for the same source while one is in force is a 409. */
export async function addMapping(
  ctx: Ctx,
  actor: Actor,
  id: string,
  input: AddMapping,
): Promise<ComplianceControl> {
  can(actor, 'compliance:admin');
  return ctx.tx(async (db) => {
    await visibleControl(db, actor, id, true);
    const m = await repo.insertMapping(db, {
      controlId: id,
      source: input.source,
      params: input.params,
      effectiveFrom: input.effectiveFrom,
      by: actor.label,
    });
    if (!m)
      throw Conflict(
        `the control already has ${input.source.replace('_', ' ')} evidence mapped`,
        'already_mapped',
      );
    await record(db, actor, 'compliance.mapping_added', controlEntity(id), null, { mapping: m.id, ...input });
    return (await controlViews(db, actor, [(await repo.findControl(db, id))!]))[0]!;
  });
}

/** Ends a mapping (its evidence stays); the control's status follows the mappings left. */
export async function endMapping(
  ctx: Ctx,
  actor: Actor,
  id: string,
  mappingId: string,
): Promise<ComplianceControl> {
  can(actor, 'compliance:admin');
  return ctx.tx(async (db) => {
    const c = await visibleControl(db, actor, id, true);
    if (!(await repo.endMapping(db, id, mappingId))) throw NotFound('evidence mapping');
    await refreshStatus(db, c, todayOf());
    await record(db, actor, 'compliance.mapping_ended', controlEntity(id), { mapping: mappingId }, null);
    return (await controlViews(db, actor, [(await repo.findControl(db, id))!]))[0]!;
  });
}
