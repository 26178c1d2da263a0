/** Templates (the standard catalogue), approval routes, maintenance windows and blackouts: kept by managers. */
import {
  type ApprovalRoute,
  ApprovalRouteName,
  type ChangeTemplate,
  type ChangeWindow,
  CreateChangeTemplate,
  CreateChangeWindow,
  type RiskQuestion,
  UpdateApprovalRoute,
  type UpdateChangeTemplate,
  type UpdateChangeWindow,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { itemNames } from '../cmdb/index.js';
import { teamNames } from '../teams/index.js';
import * as repo from './admin.repository.js';

const templateView = (t: repo.TemplateRow): ChangeTemplate => ({
  id: t.id,
  name: t.name,
  type: t.type,
  description: t.description,
  questions: t.questions as RiskQuestion[],
  implementationPlan: t.implementation_plan,
  testPlan: t.test_plan,
  backoutPlan: t.backout_plan,
  active: t.active,
  version: t.version,
});

/** A window as the API shows it, with its item's name. */
export const windowView = (w: repo.WindowRow, names: Map<string, string>): ChangeWindow => ({
  id: w.id,
  kind: w.kind,
  name: w.name,
  ciId: w.ci_id,
  ciName: w.ci_id ? (names.get(w.ci_id) ?? null) : null,
  startsAt: w.starts_at.toISOString(),
  endsAt: w.ends_at.toISOString(),
  version: w.version,
});

const nameTaken = (e: unknown, name: string | undefined): never => {
  if (isUniqueViolation(e))
    throw Conflict(`a template named “${name ?? ''}” exists already`, 'name_taken', [
      { path: 'name', message: 'taken' },
    ]);
  throw e;
};

/** The templates service, for resourceRoutes. */
export function templatesService(ctx: Ctx) {
  const get = async (actor: Actor, id: string) => {
    can(actor, 'change:read');
    const t = await repo.findTemplate(ctx.db, id);
    if (!t) throw NotFound('change template');
    return templateView(t);
  };
  return {
    get,
    async list(actor: Actor) {
      can(actor, 'change:read');
      return (await repo.listTemplates(ctx.db)).map(templateView);
    },
    async create(actor: Actor, raw: CreateChangeTemplate) {
      can(actor, 'change:admin');
      const i = CreateChangeTemplate.parse(raw);
      const id = await ctx
        .tx(async (db) => {
          const id = await repo.insertTemplate(db, {
            name: i.name,
            type: i.type,
            description: i.description,
            questions: JSON.stringify(i.questions),
            implementation_plan: i.implementationPlan,
            test_plan: i.testPlan,
            backout_plan: i.backoutPlan,
            active: i.active,
          });
          await record(db, actor, 'change_template.created', { type: 'change_template', id }, null, { ...i });
          return id;
        })
        .catch((e: unknown) => nameTaken(e, i.name));
      return get(actor, id);
    },
    async update(actor: Actor, id: string, version: number, p: UpdateChangeTemplate) {
      can(actor, 'change:admin');
      await ctx
        .tx(async (db) => {
          const cur = await repo.findTemplate(db, id, true);
          if (!cur) throw NotFound('change template');
          if (cur.version !== version) throw Stale();
          const v = {
            name: p.name,
            description: p.description,
            questions: p.questions && JSON.stringify(p.questions),
            implementation_plan: p.implementationPlan,
            test_plan: p.testPlan,
            backout_plan: p.backoutPlan,
            active: p.active,
          };
          const set = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
          if (!(await repo.updateTemplate(db, id, version, set))) throw Stale();
          await record(
            db,
            actor,
            'change_template.updated',
            { type: 'change_template', id },
            templateView(cur),
            {
              ...p,
            },
          );
        })
        .catch((e: unknown) => nameTaken(e, p.name));
      return get(actor, id);
    },
    async remove(actor: Actor, id: string) {
      can(actor, 'change:admin');
      await ctx.tx(async (db) => {
        const cur = await repo.findTemplate(db, id, true);
        if (!cur) throw NotFound('change template');
        await repo.deleteTemplate(db, id);
        await record(
          db,
          actor,
          'change_template.deleted',
          { type: 'change_template', id },
          templateView(cur),
          null,
        );
      });
    },
  };
}

/** Approval routes: which teams approve a change of each risk level, and emergency changes. */
export function routesService(ctx: Ctx) {
  const view = async (r: { route: ApprovalRoute['route']; levels: repo.StoredLevel[]; version: number }) => {
    const names = await teamNames(
      ctx.db,
      r.levels.map((l) => l.teamId),
    );
    return {
      route: r.route,
      version: r.version,
      levels: r.levels.map((l) => ({ ...l, teamName: names.get(l.teamId) ?? 'a removed team' })),
    };
  };
  const get = async (actor: Actor, route: string): Promise<ApprovalRoute> => {
    can(actor, 'change:read');
    const r = await repo.findRoute(ctx.db, ApprovalRouteName.parse(route));
    if (!r) throw NotFound('approval route');
    return view(r);
  };
  return {
    get,
    async list(actor: Actor): Promise<ApprovalRoute[]> {
      can(actor, 'change:read');
      return Promise.all((await repo.listRoutes(ctx.db)).map(view));
    },
    async update(actor: Actor, route: string, version: number, raw: UpdateApprovalRoute) {
      can(actor, 'change:admin');
      const { levels } = UpdateApprovalRoute.parse(raw);
      await ctx.tx(async (db) => {
        const cur = await repo.findRoute(db, route);
        if (!cur) throw NotFound('approval route');
        if (cur.version !== version) throw Stale();
        const names = await teamNames(
          db,
          levels.map((l) => l.teamId),
        );
        const missing = levels.flatMap((l, i) =>
          names.has(l.teamId) ? [] : [{ path: `levels.${i}.teamId`, message: 'no such team' }],
        );
        if (missing.length) throw Invalid('a level names a team that does not exist', missing);
        if (!(await repo.updateRoute(db, route, version, levels))) throw Stale();
        await record(
          db,
          actor,
          'change_route.updated',
          { type: 'change_route', id: null },
          { route, levels: cur.levels },
          {
            route,
            levels,
          },
        );
      });
      return get(actor, route);
    },
  };
}

/** Maintenance windows and blackouts, for resourceRoutes. */
export function windowsService(ctx: Ctx) {
  const named = async (rows: repo.WindowRow[]) => {
    const names = await itemNames(
      ctx,
      rows.map((w) => w.ci_id).filter((x): x is string => x !== null),
    );
    return rows.map((w) => windowView(w, names));
  };
  const get = async (actor: Actor, id: string) => {
    can(actor, 'change:read');
    const w = await repo.findWindow(ctx.db, id);
    if (!w) throw NotFound('window');
    return (await named([w]))[0]!;
  };
  return {
    get,
    async list(actor: Actor) {
      can(actor, 'change:read');
      return named(await repo.listWindows(ctx.db));
    },
    async create(actor: Actor, raw: CreateChangeWindow) {
      can(actor, 'change:admin');
      const i = CreateChangeWindow.parse(raw);
      if (i.ciId && !(await itemNames(ctx, [i.ciId])).has(i.ciId))
        throw Invalid('no such item', [{ path: 'ciId', message: 'no such item' }]);
      const id = await ctx.tx(async (db) => {
        const id = await repo.insertWindow(db, {
          kind: i.kind,
          name: i.name,
          ci_id: i.ciId,
          starts_at: i.startsAt,
          ends_at: i.endsAt,
        });
        await record(db, actor, 'change_window.created', { type: 'change_window', id }, null, { ...i });
        return id;
      });
      return get(actor, id);
    },
    async update(actor: Actor, id: string, version: number, p: UpdateChangeWindow) {
      can(actor, 'change:admin');
      await ctx.tx(async (db) => {
        const cur = await repo.findWindow(db, id, true);
        if (!cur) throw NotFound('window');
        if (cur.version !== version) throw Stale();
        const starts = p.startsAt ? new Date(p.startsAt) : cur.starts_at;
        const ends = p.endsAt ? new Date(p.endsAt) : cur.ends_at;
        if (ends <= starts)
          throw Invalid('the end must be after the start', [{ path: 'endsAt', message: 'before the start' }]);
        if (
          !(await repo.updateWindow(db, id, version, {
            name: p.name ?? cur.name,
            starts_at: starts,
            ends_at: ends,
          }))
        )
          throw Stale();
        await record(
          db,
          actor,
          'change_window.updated',
          { type: 'change_window', id },
          { name: cur.name },
          { ...p },
        );
      });
      return get(actor, id);
    },
    async remove(actor: Actor, id: string) {
      can(actor, 'change:admin');
      await ctx.tx(async (db) => {
        const cur = await repo.findWindow(db, id, true);
        if (!cur) throw NotFound('window');
        await repo.deleteWindow(db, id);
        await record(
          db,
          actor,
          'change_window.deleted',
          { type: 'change_window', id },
          { name: cur.name },
          null,
        );
      });
    },
  };
}
