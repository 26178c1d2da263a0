/** Raising, editing, reading and listing changes; every save assessed for risk and checked for blackouts. */
import {
  type Calendar,
  type Change,
  CreateChange,
  type ChangeQuery,
  type ChangeStats,
  type ChangeStatsQuery,
  type ChangeSummary,
  type RiskQuestion,
  UpdateChange,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import type { ChangeHook } from './hooks.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import { type Actor, can } from '../../platform/permissions.js';
import type { RestorePoints } from '../backup/index.js';
import { itemNames } from '../cmdb/index.js';
import { existingTeamIds, teamNames } from '../teams/index.js';
import { userNames } from '../users/index.js';
import { blackoutsOver, findTemplate, listTemplates, windowsBetween } from './admin.repository.js';
import * as repo from './changes.repository.js';
import { assessRisk, type Risk } from './risk.js';
import { summariesOf, changeView } from './view.js';
import { windowView } from './admin.service.js';

type Input = ReturnType<typeof CreateChange.parse>;
/** The editable state of a change, merged from what is stored and what a save brings. */
interface State {
  type: 'standard' | 'normal' | 'emergency';
  title: string;
  description: string;
  implementationPlan: string;
  testPlan: string;
  backoutPlan: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  implementerId: string | null;
  teamId: string | null;
  itemIds: string[];
  answers: Record<string, boolean>;
  override: { reason: string; by: string } | null;
}

/** Statuses in which a change is still edited. */
const EDITABLE = ['draft', 'assessment'];

/** A person's name for the record (their e-mail or the CLI label when they have none). */
export async function nameOf(db: Db, actor: Actor): Promise<string> {
  const u = actor.userId ? (await userNames(db, [actor.userId])).get(actor.userId) : undefined;
  return u?.name ?? actor.label;
}

/**
 * Refuses (409 `blackout`) a planned window inside a blackout over the change's items unless the change
 * carries an emergency override with a reason.
 */
export async function requireNoBlackout(
  db: Db,
  s: { itemIds: readonly string[]; start: Date | null; end: Date | null; override: boolean },
): Promise<void> {
  if (!s.start || !s.end || s.override) return;
  const freeze = await blackoutsOver(db, s.itemIds, s.start, s.end);
  if (freeze.length === 0) return;
  throw Conflict(
    `the planned window is inside the blackout “${freeze[0]!.name}”: only an emergency override with a reason allows it`,
    'blackout',
    [{ path: 'blackoutOverride', message: 'needed inside a blackout' }],
  );
}

/** Checks what a save names: items in the CMDB, an active implementer, a team, the template's questions. */
async function checkRefs(ctx: Ctx, db: Db, s: State, questions: readonly RiskQuestion[]): Promise<void> {
  const [known, people, teams] = await Promise.all([
    itemNames(ctx, s.itemIds),
    s.implementerId ? userNames(db, [s.implementerId]) : undefined,
    s.teamId ? existingTeamIds(db, [s.teamId]) : undefined,
  ]);
  const errors = s.itemIds
    .map((id, i) => (known.has(id) ? null : { path: `itemIds.${i}`, message: 'no such item' }))
    .filter((e) => e !== null);
  if (s.implementerId && !people?.get(s.implementerId)?.active)
    errors.push({ path: 'implementerId', message: 'not an active user' });
  if (s.teamId && !teams?.has(s.teamId)) errors.push({ path: 'teamId', message: 'no such team' });
  const keys = new Set(questions.map((q) => q.key));
  for (const k of Object.keys(s.answers))
    if (!keys.has(k)) errors.push({ path: `answers.${k}`, message: 'not a question of the template' });
  if (errors.length) throw Invalid('the change names something that does not exist', errors);
}

const at = (s: string | null) => (s ? new Date(s) : null);

/** The risk of a state (reads only, before the writing transaction). */
function riskOf(ctx: Ctx, self: string | null, s: State, questions: readonly RiskQuestion[]): Promise<Risk> {
  return assessRisk(ctx, {
    self,
    type: s.type,
    itemIds: s.itemIds,
    questions,
    answers: s.answers,
    start: at(s.plannedStart),
    end: at(s.plannedEnd),
  });
}

function valuesOf(s: State, risk: Risk, templateId: string | null): repo.ChangeValues {
  return {
    type: s.type,
    template_id: templateId,
    title: s.title,
    description: s.description,
    implementation_plan: s.implementationPlan,
    test_plan: s.testPlan,
    backout_plan: s.backoutPlan,
    planned_start: s.plannedStart,
    planned_end: s.plannedEnd,
    implementer_id: s.implementerId,
    team_id: s.teamId,
    answers: JSON.stringify(s.answers),
    blackout_override: s.override?.reason ?? null,
    override_by: s.override?.by ?? null,
    risk: risk.level,
    risk_score: risk.score,
    risk_reasons: JSON.stringify(risk.reasons),
  };
}

/** The template a change comes from, checked against its type (400 naming the field). */
async function templateFor(db: Db, input: Input) {
  if (!input.templateId) {
    if (input.type === 'standard')
      throw Invalid('a standard change comes from a standard template', [
        { path: 'templateId', message: 'required for a standard change' },
      ]);
    return undefined;
  }
  const t = await findTemplate(db, input.templateId);
  if (!t || !t.active)
    throw Invalid('no such template', [{ path: 'templateId', message: 'no active template' }]);
  if (input.type && input.type !== t.type)
    throw Invalid(`the template is for ${t.type} changes`, [{ path: 'type', message: `must be ${t.type}` }]);
  return t;
}

/** Reads a stored change's state. */
async function stateOf(db: Db, r: repo.ChangeRow): Promise<State> {
  return {
    type: r.type,
    title: r.title,
    description: r.description,
    implementationPlan: r.implementation_plan,
    testPlan: r.test_plan,
    backoutPlan: r.backout_plan,
    plannedStart: r.planned_start?.toISOString() ?? null,
    plannedEnd: r.planned_end?.toISOString() ?? null,
    implementerId: r.implementer_id,
    teamId: r.team_id,
    itemIds: (await repo.itemsOf(db, [r.id])).get(r.id) ?? [],
    answers: r.answers as Record<string, boolean>,
    override: r.blackout_override ? { reason: r.blackout_override, by: r.override_by ?? '' } : null,
  };
}

/** The changes service, for the routes. */
export function changesService(ctx: Ctx, rp: RestorePoints, changed?: ChangeHook) {
  const get = async (actor: Actor, id: string): Promise<Change> => {
    can(actor, 'change:read');
    const r = await repo.findChange(ctx.db, id);
    if (!r) throw NotFound('change');
    return changeView(ctx, actor, r, rp);
  };
  return {
    get,
    async list(actor: Actor, q: ChangeQuery): Promise<{ items: ChangeSummary[]; nextCursor: string | null }> {
      can(actor, 'change:read');
      const after = decodeCursor(q.cursor, ['integer']);
      const rows = await repo.listChanges(ctx.db, q, after?.[0], q.limit + 1);
      const page = pageFrom(
        rows,
        q.limit,
        (r) => r,
        (r) => [r.number],
      );
      return { items: await summariesOf(ctx.db, page.items), nextCursor: page.nextCursor };
    },
    async calendar(actor: Actor, from: string, to: string): Promise<Calendar> {
      can(actor, 'change:read');
      const [rows, windows] = await Promise.all([
        repo.plannedBetween(ctx.db, new Date(from), new Date(to)),
        windowsBetween(ctx.db, new Date(from), new Date(to)),
      ]);
      const names = await itemNames(
        ctx,
        windows.map((w) => w.ci_id).filter((x): x is string => x !== null),
      );
      return { changes: await summariesOf(ctx.db, rows), windows: windows.map((w) => windowView(w, names)) };
    },
    /** The success rate of closed changes per team and per template, best first. */
    async stats(actor: Actor, period: ChangeStatsQuery): Promise<ChangeStats> {
      can(actor, 'change:read');
      const [teams, templates] = await Promise.all([
        repo.successCounts(ctx.db, 'team_id', period),
        repo.successCounts(ctx.db, 'template_id', period),
      ]);
      const names = await teamNames(
        ctx.db,
        teams.map((t) => t.key!),
      );
      const tpl = new Map((await listTemplates(ctx.db)).map((t) => [t.id, t.name]));
      const rate = ({ key: _, ...r }: Awaited<ReturnType<typeof repo.successCounts>>[number]) => ({
        ...r,
        rate: r.successful / r.closed,
      });
      const best = (a: { rate: number; closed: number }, b: { rate: number; closed: number }) =>
        b.rate - a.rate || b.closed - a.closed;
      return {
        teams: teams
          .map((t) => ({ teamId: t.key!, teamName: names.get(t.key!) ?? 'a removed team', ...rate(t) }))
          .sort(best),
        templates: templates
          .map((t) => ({
            templateId: t.key!,
            templateName: tpl.get(t.key!) ?? 'a removed template',
            ...rate(t),
          }))
          .sort(best),
      };
    },
    async create(actor: Actor, raw: CreateChange): Promise<Change> {
      can(actor, 'change:write');
      const input = CreateChange.parse(raw);
      if (input.blackoutOverride) can(actor, 'change:override');
      const [t, by] = await Promise.all([templateFor(ctx.db, input), nameOf(ctx.db, actor)]);
      const questions = (t?.questions ?? []) as RiskQuestion[];
      const s: State = {
        type: t?.type ?? input.type!,
        title: input.title,
        description: input.description,
        implementationPlan: input.implementationPlan ?? t?.implementation_plan ?? '',
        testPlan: input.testPlan ?? t?.test_plan ?? '',
        backoutPlan: input.backoutPlan ?? t?.backout_plan ?? '',
        plannedStart: input.plannedStart,
        plannedEnd: input.plannedEnd,
        implementerId: input.implementerId,
        teamId: input.teamId,
        itemIds: [...new Set(input.itemIds)],
        answers: input.answers,
        override: input.blackoutOverride ? { reason: input.blackoutOverride.reason, by } : null,
      };
      // The checks and the risk only read: asked at once (the risk is wasted when a check refuses).
      const [, risk] = await Promise.all([
        checkRefs(ctx, ctx.db, s, questions),
        riskOf(ctx, null, s, questions),
      ]);
      const id = await ctx.tx(async (db) => {
        const id = await repo.insertChange(db, {
          ...valuesOf(s, risk, t?.id ?? null),
          requested_by: actor.userId,
          requested_by_label: by,
        });
        await repo.replaceItems(db, id, s.itemIds);
        await record(db, actor, 'change.created', { type: 'change', id }, null, { ...s, risk: risk.level });
        return id;
      });
      return get(actor, id);
    },
    async update(actor: Actor, id: string, version: number, raw: UpdateChange): Promise<Change> {
      can(actor, 'change:write');
      const patch = UpdateChange.parse(raw);
      if (patch.blackoutOverride) can(actor, 'change:override');
      const cur = await repo.findChange(ctx.db, id);
      if (!cur) throw NotFound('change');
      if (cur.version !== version) throw Stale();
      const t = cur.template_id ? await findTemplate(ctx.db, cur.template_id) : undefined;
      const questions = (t?.questions ?? []) as RiskQuestion[];
      const before = await stateOf(ctx.db, cur);
      const { blackoutOverride, itemIds, ...fields } = patch;
      const by = await nameOf(ctx.db, actor);
      const next: State = {
        ...before,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
        itemIds: itemIds ? [...new Set(itemIds)] : before.itemIds,
        override:
          blackoutOverride === undefined
            ? before.override
            : blackoutOverride && { reason: blackoutOverride.reason, by },
      };
      if (
        next.plannedStart &&
        next.plannedEnd &&
        Date.parse(next.plannedEnd) <= Date.parse(next.plannedStart)
      )
        throw Invalid('the planned end must be after the start', [
          { path: 'plannedEnd', message: 'before the start' },
        ]);
      const [, risk] = await Promise.all([
        checkRefs(ctx, ctx.db, next, questions),
        riskOf(ctx, id, next, questions),
      ]);
      await ctx.tx(async (db) => {
        const row = await repo.findChange(db, id, true);
        if (!row) throw NotFound('change');
        if (row.version !== version) throw Stale();
        if (!EDITABLE.includes(row.status))
          throw Conflict(`a change in ${row.status} can no longer be edited`, 'not_editable');
        if (row.status !== 'draft')
          await requireNoBlackout(db, {
            itemIds: next.itemIds,
            start: at(next.plannedStart),
            end: at(next.plannedEnd),
            override: next.override !== null,
          });
        if (!(await repo.updateChange(db, id, version, valuesOf(next, risk, row.template_id)))) throw Stale();
        await repo.replaceItems(db, id, next.itemIds);
        await record(
          db,
          actor,
          'change.updated',
          { type: 'change', id },
          { ...before },
          { ...next, risk: risk.level },
        );
        await changed?.(db, actor, id, 'was edited');
      });
      return get(actor, id);
    },
  };
}

export { stateOf, riskOf };
export type { State };
