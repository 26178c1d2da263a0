import type { CreateTicket, Ticket } from '../../../contracts/index.js';
import { recordAll } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { GroupCommit, type Outcome } from '../../platform/group-commit.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { applyRouting, enabledRules } from '../routing/index.js';
import * as settings from '../settings/index.js';
import { refreshSla } from '../sla/index.js';
import { requireAssignee, requireCategory, requireTeam, toView } from './change.js';
import * as fieldsRepo from './fields.repository.js';
import { fieldDefs } from './fields.service.js';
import { checkValues } from './fields.values.js';
import { notifyChange } from './notify.js';
import * as repo from './tickets.repository.js';
import { priorityOf } from './transitions.js';

/** One creation waiting for its batch. */
interface Creation {
  actor: Actor;
  input: CreateTicket;
  requesterId: string;
  /** Through the API: required custom fields must be given (mail, catalogue and jobs open tickets leniently). */
  strict: boolean;
}

/** One group-commit queue per database context (per process). */
const batchers = new WeakMap<Ctx, GroupCommit<Creation, Ticket>>();

/**
 * Opens a ticket. Requesters open for themselves only and cannot route it or set its priority by hand
 * (403); agents and above may open on behalf of an active user (`requesterId`), route it, and override the
 * priority. Creations arriving together are written as one batch ({@link GroupCommit}):
 * one transaction and a handful of set-based statements for all of them, each still validated, routed and
 * audited on its own, and each caller answered with its own ticket or its own error.
 */
export async function createTicket(ctx: Ctx, actor: Actor, input: CreateTicket): Promise<Ticket> {
  const requesterId = checkCreate(actor, input);
  let batcher = batchers.get(ctx);
  if (!batcher) {
    batcher = new GroupCommit((items) => ctx.tx((db) => createBatch(db, items)), 64, ctx.writers);
    batchers.set(ctx, batcher);
  }
  return batcher.submit({ actor, input, requesterId, strict: true });
}

/**
 * Opens a ticket inside the caller's transaction (e.g. with the attachments of the e-mail it came from), with
 * the same checks, routing, SLA and audit as {@link createTicket}.
 */
export async function createTicketIn(db: Db, actor: Actor, input: CreateTicket): Promise<Ticket> {
  const requesterId = checkCreate(actor, input);
  const [outcome] = await createBatch(db, [{ actor, input, requesterId, strict: false }]);
  if (!outcome) throw new Error('ticket creation returned no outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Who may open what; returns the requester. */
function checkCreate(actor: Actor, input: CreateTicket): string {
  can(actor, 'ticket:create');
  if (!allows(actor, 'ticket:work')) {
    if (input.requesterId !== undefined && input.requesterId !== actor.userId) {
      throw Forbidden('only agents may open a ticket on behalf of someone else');
    }
    if (
      input.teamId !== undefined ||
      input.assigneeId !== undefined ||
      input.priorityOverride !== undefined
    ) {
      throw Forbidden('only agents may route a ticket or set its priority by hand');
    }
  }
  const requesterId = input.requesterId ?? actor.userId;
  if (!requesterId)
    throw Invalid('a ticket needs a requester', [{ path: 'body.requesterId', message: 'required' }]);
  return requesterId;
}

/** Runs `check` once per distinct key in a batch (the same team or category is looked up once). */
function once(check: (key: string) => Promise<void>) {
  const seen = new Map<string, Promise<void>>();
  return (key: string) => {
    let p = seen.get(key);
    if (!p) {
      p = check(key);
      seen.set(key, p);
    }
    return p;
  };
}

/**
 * Writes a batch of creations in the caller's transaction: references are checked per creation (a bad one
 * fails only its own creation), then numbers, rows, `created` events and audit entries go in one statement
 * each, and the routing rules (read once) route each new ticket.
 */
async function createBatch(db: Db, items: readonly Creation[]): Promise<Outcome<Ticket>[]> {
  const requester = once(async (id) => {
    if (!(await repo.activeUserRole(db, id))) {
      throw Invalid('unknown requester', [{ path: 'body.requesterId', message: 'no such active user' }]);
    }
  });
  const team = once((id) => requireTeam(db, id));
  const category = once((id) => requireCategory(db, id));
  const assignee = once((key) => {
    const [user, teamId] = key.split('|') as [string, string];
    return requireAssignee(db, user, teamId === '' ? null : teamId);
  });
  const outcomes: Outcome<Ticket>[] = [];
  const valid: { index: number; item: Creation; values: Map<string, string | null> }[] = [];
  const defs = await fieldDefs(db);
  for (const [index, item] of items.entries()) {
    const { input } = item;
    try {
      if (input.requesterId !== undefined) await requester(input.requesterId);
      if (input.teamId) await team(input.teamId);
      if (input.assigneeId) await assignee(`${input.assigneeId}|${input.teamId ?? ''}`);
      if (input.categoryId) await category(input.categoryId);
      if (input.ciIds?.length) {
        // Requesters name only their own devices; agents any item.
        const owner = allows(item.actor, 'ticket:work') ? null : item.requesterId;
        const found = await repo.usableCis(db, input.ciIds, owner);
        const missing = input.ciIds.filter((id) => !found.has(id));
        if (missing.length > 0) {
          throw Invalid('unknown configuration items', [
            { path: 'body.ciIds', message: `no such item${owner ? ' of yours' : ''}: ${missing.join(', ')}` },
          ]);
        }
      }
      const values = checkValues(
        {
          fields: defs,
          type: input.type,
          categoryId: input.categoryId ?? null,
          agent: allows(item.actor, 'ticket:work'),
          requireAll: item.strict,
          path: 'body.fields',
        },
        input.fields ?? {},
      );
      valid.push({ index, item, values });
    } catch (error) {
      outcomes[index] = { ok: false, error };
    }
  }
  if (valid.length === 0) return outcomes;

  const matrix = await settings.priorityMatrixOf(db);
  const numbers = await repo.nextNumbers(
    db,
    valid.map((v) => v.item.input.type),
  );
  const rows = await repo.insertMany(
    db,
    valid.map(({ item: { input, requesterId } }, i) => ({
      type: input.type,
      number: numbers[i]!,
      title: input.title,
      description: input.description,
      requester_id: requesterId,
      team_id: input.teamId ?? null,
      assignee_id: input.assigneeId ?? null,
      category_id: input.categoryId ?? null,
      impact: input.impact,
      urgency: input.urgency,
      priority: input.priorityOverride ?? priorityOf(matrix, input.urgency, input.impact),
      priority_override: input.priorityOverride !== undefined,
      status: input.assigneeId ? 'assigned' : 'new',
      pending_reason: null,
    })),
  );
  let tickets = rows.map(toView);
  // Linked items first: routing rules may look at them.
  await repo.linkCis(
    db,
    valid.flatMap(({ item: { input } }, i) =>
      (input.ciIds ?? []).map((ciId) => ({ ticketId: tickets[i]!.id, ciId })),
    ),
  );
  await fieldsRepo.writeValues(
    db,
    valid.flatMap(({ values }, i) =>
      [...values].map(([fieldId, value]) => ({ ticketId: tickets[i]!.id, fieldId, value })),
    ),
  );
  await repo.insertEvents(
    db,
    valid.map(({ item: { actor } }, i) => ({
      ticketId: tickets[i]!.id,
      actorId: actor.userId,
      actorLabel: actor.label,
      kind: 'created' as const,
      field: null,
      from: null,
      to: {
        status: tickets[i]!.status,
        priority: tickets[i]!.priority,
        priorityOverridden: tickets[i]!.priorityOverridden,
      },
    })),
  );
  // Routing runs in the creating transaction, so nobody ever sees a ticket unrouted.
  const rules = await enabledRules(db);
  if (rules.length > 0) {
    // One after another, in arrival order: round-robin turns follow the order tickets came in.
    const routed: Ticket[] = [];
    for (const t of tickets) {
      routed.push((await applyRouting(db, t, rules)).changed ? toView(await repo.reload(db, t.id)) : t);
    }
    tickets = routed;
  }
  await refreshSla(
    db,
    tickets.map((t) => t.id),
    { created: tickets.map((t) => t.type) },
  );
  for (const [i, t] of tickets.entries()) {
    if (t.assigneeId) await notifyChange(db, valid[i]!.item.actor, null, t);
  }
  await recordAll(
    db,
    valid.map(({ item: { actor } }, i) => ({
      actor,
      action: 'ticket.opened',
      entity: { type: 'ticket', id: tickets[i]!.id },
      before: null,
      after: {
        ...tickets[i]!,
        ...(valid[i]!.item.input.fields ? { fields: valid[i]!.item.input.fields } : {}),
      },
    })),
  );
  valid.forEach(({ index }, i) => (outcomes[index] = { ok: true, value: tickets[i]! }));
  return outcomes;
}
