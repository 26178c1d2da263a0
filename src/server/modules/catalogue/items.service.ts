/** Keeping the catalogue's items (admins) and listing what a person may request. */
import { z } from 'zod';
import {
  ApprovalLevelDef,
  type CatalogueItem,
  FormField,
  type Role,
  SaveItem,
  TaskDef,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { requireSlaPolicy, slaPolicyNames } from '../sla/index.js';
import { existingTeamIds, teamNames } from '../teams/index.js';
import * as repo from './items.repository.js';

const Fields = z.array(FormField);
const Levels = z.array(ApprovalLevelDef);
const Tasks = z.array(TaskDef);

/** An item's form, approval levels and tasks as stored (checked by the contracts when saved). */
export function definitionOf(r: repo.ItemRow) {
  return {
    fields: Fields.parse(r.fields),
    approvals: Levels.parse(r.approvals),
    tasks: Tasks.parse(r.tasks),
  };
}

/** An item as the API shows it, with the names of its teams and SLA policy. */
async function itemView(db: Db, r: repo.ItemRow): Promise<CatalogueItem> {
  const d = definitionOf(r);
  const teamIds = [
    ...r.team_ids,
    ...d.tasks.map((t) => t.teamId),
    ...d.approvals.flatMap((a) => (a.kind === 'team' ? [a.teamId] : [])),
  ];
  const [teams, slas] = await Promise.all([
    teamNames(db, teamIds),
    slaPolicyNames(db, r.sla_policy_id ? [r.sla_policy_id] : []),
  ]);
  const team = (id: string) => teams.get(id) ?? '(deleted team)';
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    description: r.description,
    active: r.active,
    audience: r.audience,
    roles: r.roles as Role[],
    teamIds: r.team_ids,
    teamNames: r.team_ids.map(team),
    slaPolicyId: r.sla_policy_id,
    slaPolicyName: r.sla_policy_id ? (slas.get(r.sla_policy_id) ?? null) : null,
    fields: d.fields,
    approvals: d.approvals.map((a) =>
      a.kind === 'manager'
        ? { kind: 'manager' as const }
        : {
            kind: 'team' as const,
            teamId: a.teamId,
            teamName: team(a.teamId),
            rule: a.rule,
            ...(a.count !== undefined ? { count: a.count } : {}),
          },
    ),
    tasks: d.tasks.map((t) => ({ ...t, teamName: team(t.teamId) })),
    version: r.version,
  };
}

/** Checks that the teams and SLA policy an item names exist (400 naming the field). */
async function checkRefs(db: Db, v: SaveItem): Promise<void> {
  const named: { path: string; id: string }[] = [
    ...(v.teamIds ?? []).map((id, i) => ({ path: `body.teamIds.${i}`, id })),
    ...(v.tasks ?? []).map((t, i) => ({ path: `body.tasks.${i}.teamId`, id: t.teamId })),
    ...(v.approvals ?? []).flatMap((a, i) =>
      a.kind === 'team' ? [{ path: `body.approvals.${i}.teamId`, id: a.teamId }] : [],
    ),
  ];
  const found = await existingTeamIds(
    db,
    named.map((n) => n.id),
  );
  const errors = named
    .filter((n) => !found.has(n.id))
    .map((n) => ({ path: n.path, message: 'no such team' }));
  if (errors.length) throw Invalid('the item names a team that does not exist', errors);
  if (v.slaPolicyId) await requireSlaPolicy(db, v.slaPolicyId, 'body.slaPolicyId');
}

function valuesOf(v: z.output<typeof SaveItem>): repo.ItemValues {
  return {
    name: v.name,
    category: v.category ?? '',
    description: v.description ?? '',
    active: v.active ?? true,
    audience: v.audience,
    roles: v.audience === 'roles' ? [...new Set(v.roles)] : [],
    team_ids: v.audience === 'teams' ? [...new Set(v.teamIds)] : [],
    sla_policy_id: v.slaPolicyId ?? null,
    fields: JSON.stringify(v.fields ?? []),
    approvals: JSON.stringify(v.approvals ?? []),
    tasks: JSON.stringify(v.tasks ?? []),
  };
}

const nameTaken = () =>
  Conflict('an item with this name exists', 'name_taken', [{ path: 'body.name', message: 'already in use' }]);

/** The item service, for the routes. */
export function itemsService(ctx: Ctx) {
  const get = async (actor: Actor, id: string): Promise<CatalogueItem> => {
    can(actor, 'catalogue:request');
    const r = await repo.findItem(ctx.db, id, repo.itemsVisibleTo(actor));
    if (!r) throw NotFound('catalogue item');
    return itemView(ctx.db, r);
  };
  const save = async (actor: Actor, raw: SaveItem, id?: string, version?: number): Promise<CatalogueItem> => {
    can(actor, 'catalogue:admin');
    const v = SaveItem.parse(raw);
    await checkRefs(ctx.db, v);
    try {
      const row = await ctx.tx(async (db) => {
        const values = valuesOf(v);
        if (id === undefined) {
          const row = await repo.insertItem(db, values);
          await record(db, actor, 'catalogue.item_created', { type: 'cat_item', id: row.id }, null, {
            ...values,
          });
          return row;
        }
        const cur = await repo.findItem(db, id, repo.itemsVisibleTo(actor), true);
        if (!cur) throw NotFound('catalogue item');
        const row = await repo.updateItem(db, id, version ?? -1, values);
        if (!row) throw Stale();
        await record(
          db,
          actor,
          'catalogue.item_updated',
          { type: 'cat_item', id },
          { ...cur },
          { ...values },
        );
        return row;
      });
      return itemView(ctx.db, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken();
      throw err;
    }
  };
  return {
    get,
    /** What the actor may request; with `all`, every item (catalogue admins). */
    async list(actor: Actor, scope: 'requestable' | 'all'): Promise<{ items: CatalogueItem[] }> {
      can(actor, 'catalogue:request');
      if (scope === 'all') can(actor, 'catalogue:admin');
      const rows = await repo.listItems(
        ctx.db,
        scope === 'all' ? repo.itemsVisibleTo(actor) : repo.requestableBy(actor),
      );
      return { items: await Promise.all(rows.map((r) => itemView(ctx.db, r))) };
    },
    create: (actor: Actor, raw: SaveItem) => save(actor, raw),
    update: (actor: Actor, id: string, version: number, raw: SaveItem) => save(actor, raw, id, version),
  };
}

/** The item service's type. */
export type ItemsService = ReturnType<typeof itemsService>;
