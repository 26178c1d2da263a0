/**
 * SLA escalation: a job every minute takes the tickets whose next SLA check is due (the projection's
 * `next_check_at`), reads their clocks again from their history, and carries out each warning or breach
 * once: notify people, hand the ticket to another team, raise its priority. Each ticket is escalated in its
 * own transaction under its row lock, so several Steward processes never escalate one twice.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { EscalationAction, priorityLabel } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { cronSchedule, type JobSet, jobType } from '../../platform/jobs/index.js';
import type { Actor } from '../../platform/permissions.js';
import { notify } from '../notifications/index.js';
import * as sla from '../sla/index.js';
import { teamName } from '../teams/index.js';
import { applyChange, toView } from './change.js';
import { factsOf, toldOf } from './notify.js';
import * as repo from './tickets.repository.js';

/** The job that carries out due escalations. */
export const ESCALATE_JOB = 'sla.escalate';

/** Escalations act as the system: recorded as `sla` on the timeline and in the audit trail. */
const SLA_ACTOR: Actor = { userId: null, role: 'admin', label: 'sla', via: 'system' };
const Actions = z.array(EscalationAction);

/** Escalates every ticket whose check is due at `now`; returns how many escalation steps were carried out. */
export async function escalateDue(ctx: Ctx, now: Date = new Date()): Promise<number> {
  let steps = 0;
  for (;;) {
    const ids = await sla.dueChecks(ctx.db, now, 200);
    if (ids.length === 0) return steps;
    let progressed = 0;
    for (const id of ids) {
      progressed += await ctx.tx(async (db) => {
        // Lock the check first (another runner skips it), then the ticket.
        const due = await sla.dueChecks(db, now, 1, id);
        if (due.length === 0) return 0;
        return escalateOne(db, id, now.getTime());
      });
    }
    steps += progressed;
    if (ids.length < 200) return steps;
  }
}

async function escalateOne(db: Db, id: string, now: number): Promise<number> {
  const row = await repo.findVisible(db, id, sql<boolean>`true`, true);
  if (!row) return 0;
  const [read] = await sla.readTickets(db, [id], now);
  const stored = await sla.projectionOf(db, id);
  if (!read?.policy || !stored) {
    await sla.refreshSla(db, [id], { now });
    return 0;
  }
  const steps = sla.dueSteps(read.clocks, stored.escalated);
  let ticket = toView(row);
  for (const step of steps) {
    const [clockName, level] = step.split('_') as ['response' | 'resolution', 'warning' | 'breach'];
    const clock = read.clocks[clockName];
    const parsed = Actions.safeParse(
      level === 'warning' ? read.policy.row.warning_actions : read.policy.row.breach_actions,
    );
    const actions = parsed.success ? parsed.data : [];
    const done: string[] = [];
    for (const a of actions) {
      switch (a.kind) {
        case 'notify': {
          const audiences = a.to.filter(
            (x) => x === 'assignee' || x === 'team' || x === 'managers' || x === 'requester',
          );
          const users = a.to.filter((x) => !audiences.includes(x as never)).map((userId) => ({ userId }));
          const told = await notify(db, {
            event: level === 'warning' ? 'sla_warning' : 'sla_breach',
            ticket: factsOf(ticket),
            actor: { userId: null, label: 'sla' },
            to: [...audiences, ...users],
            onlyWho: toldOf(db, ticket),
            clock: clockName === 'response' ? 'first response' : 'resolution',
            dueAt: clock?.dueAt ? new Date(clock.dueAt).toISOString() : '',
          });
          // only the people really told, by name (an empty "assignee" or a muted agent is nobody)
          done.push(told.length > 0 ? `notified ${told.sort().join(', ')}` : 'nobody to notify');
          break;
        }
        case 'reassign': {
          const current = await repo.findVisible(db, id, sql<boolean>`true`, true);
          if (!current) break;
          try {
            ticket = await applyChange(
              db,
              SLA_ACTOR,
              current,
              { teamId: a.teamId, assigneeId: a.assigneeId ?? null },
              {
                action: 'ticket.escalated',
              },
            );
            done.push(`reassigned to ${(await teamName(db, a.teamId)) ?? 'another team'}`);
          } catch (err) {
            // A team or agent that can no longer take the ticket skips the action; the rest still happens.
            done.push(`reassign skipped: ${err instanceof Error ? err.message : String(err)}`);
          }
          break;
        }
        case 'raise_priority': {
          const current = await repo.findVisible(db, id, sql<boolean>`true`, true);
          if (!current) break;
          const target = Math.min(a.max, current.priority + a.by);
          if (target > current.priority) {
            ticket = await applyChange(
              db,
              SLA_ACTOR,
              current,
              { priorityOverride: target },
              { action: 'ticket.escalated' },
            );
            done.push(`priority raised to ${priorityLabel(target)}`);
          }
          break;
        }
      }
    }
    await sla.insertSlaEvent(db, id, {
      step,
      clock: clockName,
      level,
      dueAt: clock?.dueAt ?? null,
      actions: done,
    });
    await sla.markEscalated(db, id, [step]);
  }
  // Store the projection again: the next check moves past what was just done.
  await sla.refreshSla(db, [id], { now });
  return steps.length;
}

/** The `sla.escalate` job, every minute. */
export function escalationJobs(): JobSet {
  return {
    types: [
      jobType(ESCALATE_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => void (await escalateDue(ctx)),
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(ESCALATE_JOB, '* * * * *', { timezone: 'UTC' })],
  };
}
