import { z } from 'zod';
import type {
  CreateRecurrence,
  Recurrence,
  RecurrenceRule,
  UpdateRecurrence,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { cronSchedule, type JobSet, jobType, nextRunAfter } from '../../platform/jobs/index.js';
import { can, type Actor } from '../../platform/permissions.js';
import { TICKET_PREFIX } from '../../../contracts/index.js';
import { createTicketIn } from './create.service.js';
import * as tickets from './tickets.repository.js';
import * as repo from './templates.repository.js';
import { inputOf, templateView } from './templates.service.js';

/** The job that opens the tickets of due schedules. */
export const RECURRING_JOB = 'tickets.recurring';
const BATCH = 100;

function view(r: repo.RecurrenceRow): Recurrence {
  return {
    id: r.id,
    name: r.name,
    templateId: r.template_id,
    templateName: r.template_name,
    requesterId: r.requester_id,
    requesterName: r.requester_name,
    cron: r.cron,
    timezone: r.timezone,
    enabled: r.enabled,
    nextRunAt: r.next_run_at.toISOString(),
    lastRunAt: r.last_run_at?.toISOString() ?? null,
    lastTicketKey:
      r.last_type && r.last_number !== null ? `${TICKET_PREFIX[r.last_type]}-${r.last_number}` : null,
    version: r.version,
  };
}

/** A rule as a cron pattern: weekly days 1 (Monday) … 7 (Sunday), monthly days 1–28. */
export function cronOf(rule: RecurrenceRule): string {
  if ('cron' in rule) return rule.cron;
  const at = `${rule.minute} ${rule.hour}`;
  if (rule.frequency === 'daily') return `${at} * * *`;
  if (rule.day === undefined) {
    throw Invalid('weekly and monthly schedules need a day', [
      { path: 'body.rule.day', message: 'required' },
    ]);
  }
  if (rule.frequency === 'weekly') {
    if (rule.day > 7)
      throw Invalid('a weekday is 1–7', [{ path: 'body.rule.day', message: '1 (Monday) to 7 (Sunday)' }]);
    return `${at} * * ${rule.day % 7}`;
  }
  return `${at} ${rule.day} * *`;
}

/** The first run of a schedule after `after`; 400 for a pattern or time zone that never runs. */
function nextRun(cron: string, timezone: string, after: Date): Date {
  let next: Date | null;
  try {
    next = nextRunAfter(cron, timezone, after);
  } catch (err) {
    throw Invalid('invalid schedule', [{ path: 'body.rule', message: (err as Error).message }]);
  }
  if (!next) throw Invalid('the schedule never runs', [{ path: 'body.rule', message: 'never runs' }]);
  return next;
}

const nameTaken = () =>
  Conflict('a schedule with this name already exists', 'name_taken', [
    { path: 'body.name', message: 'already in use' },
  ]);

async function requireRefs(db: Ctx['db'], templateId?: string, requesterId?: string) {
  if (templateId && !(await repo.findTemplate(db, templateId))) {
    throw Invalid('unknown template', [{ path: 'body.templateId', message: 'no such template' }]);
  }
  if (requesterId && !(await tickets.activeUserRole(db, requesterId))) {
    throw Invalid('unknown requester', [{ path: 'body.requesterId', message: 'no such active user' }]);
  }
}

export async function listRecurrences(ctx: Ctx, actor: Actor): Promise<{ items: Recurrence[] }> {
  can(actor, 'settings:write');
  return { items: (await repo.listRecurrences(ctx.db)).map(view) };
}

/** One schedule (admins; 404 when there is none). */
export async function getRecurrence(ctx: Ctx, actor: Actor, id: string): Promise<Recurrence> {
  const r = (await listRecurrences(ctx, actor)).items.find((x) => x.id === id);
  if (!r) throw NotFound('recurring ticket');
  return r;
}

/** Saves a schedule (admins); its first run is the rule's next firing from now. */
export async function createRecurrence(ctx: Ctx, actor: Actor, input: CreateRecurrence): Promise<Recurrence> {
  can(actor, 'settings:write');
  const cron = cronOf(input.rule);
  const next = nextRun(cron, input.timezone, new Date());
  try {
    return await ctx.tx(async (db) => {
      await requireRefs(db, input.templateId, input.requesterId);
      const id = await repo.insertRecurrence(db, {
        name: input.name,
        template_id: input.templateId,
        requester_id: input.requesterId,
        cron,
        timezone: input.timezone,
        enabled: input.enabled,
        next_run_at: next,
      });
      const v = view((await repo.findRecurrence(db, id))!);
      await record(db, actor, 'ticket_recurrence.created', { type: 'ticket_recurrence', id }, null, { ...v });
      return v;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** Changes a schedule at `version`; a new rule or time zone moves the next run. */
export async function updateRecurrence(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateRecurrence,
): Promise<Recurrence> {
  can(actor, 'settings:write');
  try {
    return await ctx.tx(async (db) => {
      const row = await repo.findRecurrence(db, id);
      if (!row) throw NotFound('schedule');
      await requireRefs(db, undefined, input.requesterId);
      const cron = input.rule ? cronOf(input.rule) : row.cron;
      const timezone = input.timezone ?? row.timezone;
      const moved = input.rule !== undefined || input.timezone !== undefined || input.enabled === true;
      const ok = await repo.updateRecurrence(db, id, version, {
        name: input.name,
        requester_id: input.requesterId,
        enabled: input.enabled,
        ...(moved ? { cron, timezone, next_run_at: nextRun(cron, timezone, new Date()) } : {}),
      });
      if (!ok) throw Stale();
      const v = view((await repo.findRecurrence(db, id))!);
      await record(
        db,
        actor,
        'ticket_recurrence.updated',
        { type: 'ticket_recurrence', id },
        { ...view(row) },
        {
          ...v,
        },
      );
      return v;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

export async function deleteRecurrence(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'settings:write');
  await ctx.tx(async (db) => {
    const row = await repo.findRecurrence(db, id);
    if (!row || !(await repo.deleteRecurrence(db, id))) throw NotFound('schedule');
    await record(
      db,
      actor,
      'ticket_recurrence.deleted',
      { type: 'ticket_recurrence', id },
      { ...view(row) },
      null,
    );
  });
}

/**
 * Opens one ticket for each due schedule. Which process runs a schedule is decided in the database: the run
 * moves `next_run_at` from the value read to the next firing after `now` (never the next one after the missed
 * run), so two processes open one ticket between them, and a server that was down for a month opens one
 * ticket, not thirty. The claim and the ticket commit together; a ticket that cannot be opened (an inactive
 * requester) still moves the schedule on, audited as failed. Returns how many tickets were opened.
 */
export async function runDueRecurrences(ctx: Ctx, now: Date = new Date()): Promise<number> {
  let opened = 0;
  for (const due of await repo.dueRecurrences(ctx.db, now, BATCH)) {
    const next = nextRunAfter(due.cron, due.timezone, now) ?? new Date('9999-12-31T00:00:00Z');
    try {
      opened += await ctx.tx(async (db) => {
        const claim = await repo.claimRun(db, due.id, due.next_run_at, next);
        if (!claim) return 0;
        const template = await repo.findTemplate(db, claim.template_id);
        if (!template) return 0;
        const actor: Actor = { userId: null, role: 'admin', label: `schedule ${claim.name}`, via: 'system' };
        const t = await createTicketIn(
          db,
          actor,
          inputOf(templateView(template), { requesterId: claim.requester_id }),
        );
        await repo.setLastTicket(db, claim.id, t.id);
        await record(db, actor, 'ticket_recurrence.ran', { type: 'ticket_recurrence', id: claim.id }, null, {
          ticket: t.key,
          nextRunAt: next.toISOString(),
        });
        return 1;
      });
    } catch (err) {
      await ctx.tx(async (db) => {
        const claim = await repo.claimRun(db, due.id, due.next_run_at, next);
        if (!claim) return;
        const actor: Actor = { userId: null, role: 'admin', label: `schedule ${claim.name}`, via: 'system' };
        await record(
          db,
          actor,
          'ticket_recurrence.failed',
          { type: 'ticket_recurrence', id: claim.id },
          null,
          {
            error: (err as Error).message,
            nextRunAt: next.toISOString(),
          },
        );
      });
    }
  }
  return opened;
}

/** The `tickets.recurring` job, every minute. */
export function recurringJobs(): JobSet {
  return {
    types: [
      jobType(RECURRING_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await runDueRecurrences(ctx)),
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(RECURRING_JOB, '* * * * *', { timezone: 'UTC' })],
  };
}
