import type {
  CreateTicketTemplate,
  FieldValues,
  Ticket,
  TicketTemplate,
  UpdateTicketTemplate,
} from '../../../contracts/index.js';
import { FieldValues as FieldValuesSchema } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, NotFound, Stale } from '../../platform/errors.js';
import { can, type Actor } from '../../platform/permissions.js';
import { requireCategory, requireTeam } from './change.js';
import { createTicket } from './create.service.js';
import { fieldDefs } from './fields.service.js';
import { checkValues } from './fields.values.js';
import * as repo from './templates.repository.js';

/** A template as clients see it (stored values parsed again, so an older shape never reaches a ticket). */
export function templateView(r: repo.TemplateRow): TicketTemplate {
  const fields = FieldValuesSchema.safeParse(r.fields);
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    categoryId: r.category_id,
    teamId: r.team_id,
    priority: r.priority,
    title: r.title,
    description: r.description,
    fields: fields.success ? fields.data : {},
    version: r.version,
  };
}

const nameTaken = () =>
  Conflict('a template with this name already exists', 'name_taken', [
    { path: 'body.name', message: 'already in use' },
  ]);

/** Checks a template's references and field values against the definitions. */
async function checkTemplate(db: Db, t: TicketTemplate | CreateTicketTemplate): Promise<void> {
  if (t.categoryId) await requireCategory(db, t.categoryId);
  if (t.teamId) await requireTeam(db, t.teamId);
  const fields = Object.fromEntries(Object.entries(t.fields).filter(([, v]) => v !== null));
  checkValues(
    {
      fields: await fieldDefs(db),
      type: t.type,
      categoryId: t.categoryId,
      agent: true,
      requireAll: false,
      path: 'body.fields',
    },
    fields,
  );
}

/** Every template (agents pick them when opening a ticket). */
export async function listTemplates(ctx: Ctx, actor: Actor): Promise<{ items: TicketTemplate[] }> {
  can(actor, 'ticket:work');
  return { items: (await repo.listTemplates(ctx.db)).map(templateView) };
}

/** One template. */
export async function getTemplate(ctx: Ctx, actor: Actor, id: string): Promise<TicketTemplate> {
  can(actor, 'ticket:work');
  const r = await repo.findTemplate(ctx.db, id);
  if (!r) throw NotFound('template');
  return templateView(r);
}

async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Saves a template (admins). */
export async function createTemplate(
  ctx: Ctx,
  actor: Actor,
  input: CreateTicketTemplate,
): Promise<TicketTemplate> {
  can(actor, 'settings:write');
  return uniqueName(() =>
    ctx.tx(async (db) => {
      await checkTemplate(db, input);
      const id = await repo.insertTemplate(db, {
        name: input.name,
        type: input.type,
        category_id: input.categoryId,
        team_id: input.teamId,
        priority: input.priority,
        title: input.title,
        description: input.description,
        fields: input.fields,
      });
      const view = templateView((await repo.findTemplate(db, id))!);
      await record(db, actor, 'ticket_template.created', { type: 'ticket_template', id }, null, { ...view });
      return view;
    }),
  );
}

/** Changes a template at `version` (412 when stale). */
export async function updateTemplate(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateTicketTemplate,
): Promise<TicketTemplate> {
  can(actor, 'settings:write');
  return uniqueName(() =>
    ctx.tx(async (db) => {
      const row = await repo.findTemplate(db, id);
      if (!row) throw NotFound('template');
      const before = templateView(row);
      const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      await checkTemplate(db, { ...before, ...given });
      const ok = await repo.updateTemplate(db, id, version, {
        name: input.name,
        type: input.type,
        category_id: input.categoryId,
        team_id: input.teamId,
        priority: input.priority,
        title: input.title,
        description: input.description,
        fields: input.fields,
      });
      if (!ok) throw Stale();
      const view = templateView((await repo.findTemplate(db, id))!);
      await record(
        db,
        actor,
        'ticket_template.updated',
        { type: 'ticket_template', id },
        { ...before },
        {
          ...view,
        },
      );
      return view;
    }),
  );
}

/** Removes a template (and the schedules that open it). */
export async function deleteTemplate(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'settings:write');
  await ctx.tx(async (db) => {
    const row = await repo.findTemplate(db, id);
    if (!row || !(await repo.deleteTemplate(db, id))) throw NotFound('template');
    await record(
      db,
      actor,
      'ticket_template.deleted',
      { type: 'ticket_template', id },
      { ...templateView(row) },
      null,
    );
  });
}

/** What a ticket opened from a template may change. */
export interface FromTemplate {
  requesterId?: string | undefined;
  title?: string | undefined;
  description?: string | undefined;
  fields?: FieldValues | undefined;
}

/** The creation a template describes, with the caller's overrides (null field values dropped). */
export function inputOf(t: TicketTemplate, o: FromTemplate) {
  const merged = { ...t.fields, ...(o.fields ?? {}) };
  const fields = Object.fromEntries(
    Object.entries(merged).filter((e): e is [string, string | number | boolean] => e[1] !== null),
  );
  return {
    type: t.type,
    title: o.title ?? t.title,
    description: o.description ?? t.description,
    impact: 3,
    urgency: 3,
    ...(o.requesterId ? { requesterId: o.requesterId } : {}),
    ...(t.categoryId ? { categoryId: t.categoryId } : {}),
    ...(t.teamId ? { teamId: t.teamId } : {}),
    ...(t.priority !== null ? { priorityOverride: t.priority } : {}),
    fields,
  };
}

/** Opens a ticket from a template (agents), with the same checks as any ticket opened through the API. */
export async function openFromTemplate(
  ctx: Ctx,
  actor: Actor,
  id: string,
  overrides: FromTemplate,
): Promise<Ticket> {
  const t = await getTemplate(ctx, actor, id);
  return createTicket(ctx, actor, inputOf(t, overrides));
}
