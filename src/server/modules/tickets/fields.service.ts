import type {
  CreateTicketField,
  FieldValues,
  TicketField,
  TicketFieldValues,
  UpdateTicketField,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { requireCategory } from './change.js';
import * as repo from './fields.repository.js';
import { applies, checkValues, fieldView, fromStored } from './fields.values.js';
import * as tickets from './tickets.repository.js';
import { visibleTo } from './visibility.js';

/** Every field definition, as clients see them. */
export async function fieldDefs(db: Db): Promise<TicketField[]> {
  return (await repo.listFields(db)).map(fieldView);
}

/** The fields the caller may see: agents every field, requesters those asked on the portal. */
export async function listFields(ctx: Ctx, actor: Actor): Promise<{ items: TicketField[] }> {
  can(actor, 'ticket:create');
  const all = await fieldDefs(ctx.db);
  return { items: allows(actor, 'ticket:work') ? all : all.filter((f) => f.requesterVisible) };
}

/** One field the caller may see (404 otherwise). */
export async function getField(ctx: Ctx, actor: Actor, id: string): Promise<TicketField> {
  const f = (await listFields(ctx, actor)).items.find((x) => x.id === id);
  if (!f) throw NotFound('field');
  return f;
}

const keyTaken = () =>
  Conflict('a field with this key already exists', 'key_taken', [
    { path: 'body.key', message: 'already in use' },
  ]);

async function checkCategories(db: Db, ids: readonly string[] | undefined) {
  for (const id of ids ?? []) await requireCategory(db, id);
}

function checkOptions(kind: string, options: readonly string[]) {
  if (kind === 'choice' && options.length === 0) {
    throw Invalid('a choice field needs options', [{ path: 'body.options', message: 'at least one option' }]);
  }
  if (new Set(options).size !== options.length) {
    throw Invalid('options repeat', [{ path: 'body.options', message: 'no repeats' }]);
  }
}

/** Defines a field (admins). */
export async function createField(ctx: Ctx, actor: Actor, input: CreateTicketField): Promise<TicketField> {
  can(actor, 'settings:write');
  const options = input.kind === 'choice' ? input.options : [];
  checkOptions(input.kind, options);
  try {
    return await ctx.tx(async (db) => {
      await checkCategories(db, input.categoryIds);
      const id = await repo.insertField(db, {
        key: input.key,
        kind: input.kind,
        label: input.label,
        options,
        required: input.required,
        types: input.types,
        category_ids: input.categoryIds,
        requester_visible: input.requesterVisible,
        position: input.position,
      });
      const view = fieldView((await repo.findField(db, id))!);
      await record(db, actor, 'ticket_field.created', { type: 'ticket_field', id }, null, { ...view });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw keyTaken();
    throw err;
  }
}

/** Changes a field at `version` (412 when stale). */
export async function updateField(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateTicketField,
): Promise<TicketField> {
  can(actor, 'settings:write');
  return ctx.tx(async (db) => {
    const before = await repo.findField(db, id);
    if (!before) throw NotFound('field');
    if (input.options) checkOptions(before.kind, before.kind === 'choice' ? input.options : []);
    await checkCategories(db, input.categoryIds);
    const ok = await repo.updateField(db, id, version, {
      label: input.label,
      required: input.required,
      types: input.types,
      category_ids: input.categoryIds,
      requester_visible: input.requesterVisible,
      position: input.position,
      options: before.kind === 'choice' ? input.options : undefined,
    });
    if (!ok) throw Stale();
    const view = fieldView((await repo.findField(db, id))!);
    await record(
      db,
      actor,
      'ticket_field.updated',
      { type: 'ticket_field', id },
      { ...fieldView(before) },
      {
        ...view,
      },
    );
    return view;
  });
}

/** Removes a field and its values (admins). */
export async function deleteField(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'settings:write');
  await ctx.tx(async (db) => {
    const before = await repo.findField(db, id);
    if (!before || !(await repo.deleteField(db, id))) throw NotFound('field');
    await record(
      db,
      actor,
      'ticket_field.deleted',
      { type: 'ticket_field', id },
      { ...fieldView(before) },
      null,
    );
  });
}

/** A visible ticket's applicable fields with their values (requesters: only the fields shown to them). */
export async function ticketFields(ctx: Ctx, actor: Actor, ticketId: string): Promise<TicketFieldValues> {
  const t = await tickets.findVisible(ctx.db, ticketId, visibleTo(actor));
  if (!t) throw NotFound('ticket');
  const agent = allows(actor, 'ticket:work');
  const [defs, values] = await Promise.all([fieldDefs(ctx.db), repo.valuesOf(ctx.db, ticketId)]);
  return {
    items: defs
      .filter((f) => (agent || f.requesterVisible) && applies(f, t.type, t.category_id))
      .map((f) => {
        const v = values.get(f.id);
        return { ...f, value: v === undefined ? null : fromStored(f, v) };
      }),
  };
}

/**
 * Changes a ticket's field values (agents): each change a `field` event on its timeline and one audit entry,
 * in one transaction with the ticket locked; nothing is written when any value is refused.
 */
export async function setTicketFields(
  ctx: Ctx,
  actor: Actor,
  ticketId: string,
  values: FieldValues,
): Promise<TicketFieldValues> {
  can(actor, 'ticket:work');
  await ctx.tx(async (db) => {
    const t = await tickets.findVisible(db, ticketId, visibleTo(actor), true);
    if (!t) throw NotFound('ticket');
    const defs = await fieldDefs(db);
    const next = checkValues(
      {
        fields: defs,
        type: t.type,
        categoryId: t.category_id,
        agent: true,
        requireAll: false,
        path: 'body.fields',
      },
      values,
    );
    const before = await repo.valuesOf(db, ticketId);
    const changed = [...next].filter(([id, v]) => (before.get(id) ?? null) !== v);
    if (changed.length === 0) return;
    await repo.writeValues(
      db,
      changed.map(([fieldId, value]) => ({ ticketId, fieldId, value })),
    );
    const byId = new Map(defs.map((f) => [f.id, f]));
    const key = (id: string) => byId.get(id)!.key;
    await tickets.insertEvents(
      db,
      changed.map(([id, v]) => ({
        ticketId,
        actorId: actor.userId,
        actorLabel: actor.label,
        kind: 'field' as const,
        field: `field.${key(id)}`,
        from: before.get(id) ?? null,
        to: v,
      })),
    );
    await repo.touchTicket(db, ticketId);
    const obj = (pairs: [string, string | null | undefined][]) =>
      Object.fromEntries(pairs.map(([id, v]) => [key(id), v ?? null]));
    await record(
      db,
      actor,
      'ticket.fields_changed',
      { type: 'ticket', id: ticketId },
      obj(changed.map(([id]) => [id, before.get(id)])),
      obj(changed),
    );
  });
  return ticketFields(ctx, actor, ticketId);
}

/** The queue filter `field.<key>=value`, resolved to field ids and canonical values (400 for unknown keys). */
export async function fieldFilter(
  db: Db,
  actor: Actor,
  given: Record<string, string> | undefined,
): Promise<{ fieldId: string; value: string }[] | undefined> {
  if (!given || Object.keys(given).length === 0) return undefined;
  const agent = allows(actor, 'ticket:work');
  const defs = (await fieldDefs(db)).filter((f) => agent || f.requesterVisible);
  const byKey = new Map(defs.map((f) => [f.key, f]));
  const errors: { path: string; message: string }[] = [];
  const out: { fieldId: string; value: string }[] = [];
  for (const [key, v] of Object.entries(given)) {
    const f = byKey.get(key);
    if (!f) {
      errors.push({ path: `query.field.${key}`, message: 'no such field' });
      continue;
    }
    const c = checkValues(
      {
        fields: [f],
        type: f.types[0]!,
        categoryId: f.categoryIds[0] ?? null,
        agent: true,
        requireAll: false,
        path: 'query.field',
      },
      { [key]: v },
    );
    out.push({ fieldId: f.id, value: c.get(f.id)! });
  }
  if (errors.length > 0) throw Invalid('unknown field filter', errors);
  return out;
}
