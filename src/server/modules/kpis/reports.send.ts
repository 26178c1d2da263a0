/**
 * Sending scheduled reports. `kpis.reports_due` (every minute) locks the due reports (SKIP LOCKED), moves each
 * one's next time past now and inserts its run (unique per due time) with a `kpis.report_send` job, all in one
 * transaction: two processes, or a catch-up after downtime, make one run. The send job claims its run atomically
 * (one sender), fixes the recipients (team members then, only people who may see KPIs), computes the figures as
 * the owner sees them, and mails each recipient the PDF and/or CSV; a failed attempt is recorded on the run and
 * the report and retried by the job queue, mailing only those not yet sent. Each outcome is audited.
 */
import { z } from 'zod';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import {
  cronSchedule,
  enqueue,
  type JobInfo,
  type JobSet,
  jobType,
  nextRunAfter,
  PermanentJobError,
} from '../../platform/jobs/index.js';
import { type Actor, allows } from '../../platform/permissions.js';
import { itemNames } from '../cmdb/index.js';
import { sendMailNow } from '../mail/index.js';
import { teamMembers, teamNames } from '../teams/index.js';
import { rolesOf, userNames } from '../users/index.js';
import { getDashboard } from './dashboards.service.js';
import type { KpiKey } from '../../../contracts/index.js';
import {
  computeReport,
  KPI_NAMES,
  type ReportFigure,
  type ReportLine,
  reportCsv,
  reportDays,
  reportPdf,
  shown,
} from './reports.render.js';
import * as repo from './reports.repository.js';

const SCHEDULER: Actor = { userId: null, role: 'admin', label: 'report schedule', via: 'system' };

/** The cron pattern of a schedule: weekly on a weekday (1 = Monday … 7 = Sunday), monthly on a day, at the hour. */
export function cronOf(s: { frequency: 'weekly' | 'monthly'; day: number; hour: number }): string {
  return s.frequency === 'weekly' ? `0 ${s.hour} * * ${s.day % 7}` : `0 ${s.hour} ${s.day} * *`;
}

/** The next time a report is due strictly after `after` (null: disabled). */
export function nextDue(
  r: Pick<repo.ReportFields, 'frequency' | 'day' | 'hour' | 'time_zone' | 'enabled'>,
  after: Date,
): Date | null {
  return r.enabled ? nextRunAfter(cronOf(r), r.time_zone, after) : null;
}

/** `kpis.report_send`: sends one run (queued by the due job or by "send now"). */
export const SEND_REPORT = jobType('kpis.report_send', {
  schema: z.object({ runId: z.uuid() }),
  maxAttempts: 5,
  handler: async (ctx, { runId }, job) => sendRun(ctx, runId, job),
});

/** Fires the reports due at `now`: one run each (whatever was missed while no process ran); returns how many. */
export async function fireDue(ctx: Ctx, now = new Date()): Promise<number> {
  return ctx.tx(async (db) => {
    let fired = 0;
    for (const r of await repo.lockDue(db, now)) {
      let next: Date | null = null;
      try {
        next = nextDue(r, now);
      } catch {
        // a time zone gone from the system: the report stops until it is saved again
      }
      await repo.moveNextRun(db, r.id, next);
      // The period as of the due time; after a long downtime (one sending for all it missed), as of now.
      const due = r.next_run_at!;
      const days = reportDays(r.period, now.getTime() - due.getTime() > 86_400_000 ? now : due);
      const runId = await repo.insertRun(db, {
        report_id: r.id,
        trigger: 'schedule',
        due_at: r.next_run_at,
        requested_by: null,
        period_from: days.from,
        period_to: days.to,
      });
      if (runId) {
        await enqueue(db, SEND_REPORT.name, { runId }, { definition: SEND_REPORT });
        fired++;
      }
    }
    return fired;
  });
}

/** The owner as an actor (their role now); a permanent failure when they may no longer see KPIs. */
async function ownerOf(ctx: Ctx, r: repo.ReportRow): Promise<Actor> {
  const [u, role] = [
    (await userNames(ctx.db, [r.owner_id])).get(r.owner_id),
    (await rolesOf(ctx.db, [r.owner_id])).get(r.owner_id),
  ];
  const owner: Actor = {
    userId: r.owner_id,
    role: role ?? 'requester',
    label: u?.email ?? 'report owner',
    via: 'system',
  };
  if (!u?.active || !allows(owner, 'kpi:read'))
    throw new PermanentJobError('the report’s owner may no longer see KPIs');
  return owner;
}

/** The KPIs and filters a report holds now (a dashboard's cards as its owner sees them). */
async function linesOf(ctx: Ctx, owner: Actor, r: repo.ReportRow): Promise<ReportLine[]> {
  if (!r.dashboard_id) {
    return r.kpis.map((k) => ({ kpi: k as KpiKey, teamId: r.team_id, serviceId: r.service_id }));
  }
  const d = await getDashboard(ctx, owner, r.dashboard_id).catch(() => {
    throw new PermanentJobError('the report’s dashboard is gone or no longer shared with its owner');
  });
  const seen = new Map<string, ReportLine>();
  for (const c of d.cards) {
    const l = { kpi: c.kpi, teamId: c.resolvedTeamId, serviceId: c.serviceId ?? null };
    seen.set(`${l.kpi}|${l.teamId}|${l.serviceId}`, l);
  }
  return [...seen.values()];
}

/** The recipients now: the people and the teams' members who are active and may see KPIs. */
async function recipientsOf(ctx: Ctx, r: repo.ReportRow) {
  const ids = [...new Set([...r.user_ids, ...(await teamMembers(ctx.db, r.team_ids))])];
  const [users, roles] = await Promise.all([userNames(ctx.db, ids), rolesOf(ctx.db, ids)]);
  return ids
    .filter((id) => {
      const role = roles.get(id);
      return users.get(id)?.active && role && allows({ ...SCHEDULER, role }, 'kpi:read');
    })
    .map((id) => ({ id, name: users.get(id)!.name, sent: false }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'report';

function bodyOf(title: string, figures: readonly ReportFigure[]): string {
  const lines = figures.map((f) => {
    const r = f.result;
    const met = r.met === null ? 'no data' : r.met ? 'met' : 'not met';
    return `- ${KPI_NAMES[f.kpi]}: ${shown(r.unit, r.value)} (target ${shown(r.unit, r.target)}, ${met})`;
  });
  return `${title}\n\n${lines.join('\n')}\n\nThe full report is attached.\n`;
}

/** Renders the run's report and mails it to those not yet sent; throws on a failure (recorded). */
async function deliver(ctx: Ctx, run: repo.RunRow, r: repo.ReportRow): Promise<repo.RunRow['recipients']> {
  const owner = await ownerOf(ctx, r);
  const lines = await linesOf(ctx, owner, r);
  const recipients = run.recipients ?? (await recipientsOf(ctx, r));
  if (!run.recipients) await repo.setRecipients(ctx.db, run.id, recipients);
  if (recipients.length === 0) throw new PermanentJobError('nobody who may see KPIs receives this report');
  const days = { from: run.period_from, to: run.period_to };
  const figures = await computeReport(ctx, owner, r.period, days, lines);
  const teams = lines.flatMap((l) => (l.teamId ? [l.teamId] : []));
  const services = lines.flatMap((l) => (l.serviceId ? [l.serviceId] : []));
  const names = new Map([...(await teamNames(ctx.db, teams)), ...(await itemNames(ctx, services))]);
  const title = `${r.name}: ${days.from} to ${days.to}`;
  const file = `${slug(r.name)}-${days.from}`;
  const attachments = [
    ...(r.pdf
      ? [
          {
            filename: `${file}.pdf`,
            content: reportPdf(r.name, days, figures, names),
            contentType: 'application/pdf',
          },
        ]
      : []),
    ...(r.csv
      ? [
          {
            filename: `${file}.csv`,
            content: reportCsv(r.name, figures, names),
            contentType: 'text/csv; charset=utf-8',
          },
        ]
      : []),
  ];
  const emails = await userNames(
    ctx.db,
    recipients.map((p) => p.id),
  );
  for (const p of recipients) {
    if (p.sent) continue;
    const to = emails.get(p.id);
    if (!to?.active) continue; // left since the first attempt: not sent, and not retried
    await sendMailNow(ctx.db, { to: to.email, subject: title, body: bodyOf(title, figures), attachments });
    p.sent = true;
    await repo.setRecipients(ctx.db, run.id, recipients);
  }
  return recipients;
}

const target = (run: repo.RunRow) => ({ type: 'kpi_report', id: run.report_id });

/** Sends a run once: the claim makes any other sender (a second process, a duplicate job) back off. */
export async function sendRun(ctx: Ctx, runId: string, job?: Pick<JobInfo, 'attempt' | 'maxAttempts'>) {
  const run = await repo.claimRun(ctx.db, runId);
  if (!run) return;
  const r = await repo.findReport(ctx.db, run.report_id, null);
  if (!r) return;
  const period = { from: run.period_from, to: run.period_to };
  try {
    const recipients = await deliver(ctx, run, r);
    await ctx.tx(async (db) => {
      await repo.finishRun(db, run, null);
      await record(db, SCHEDULER, 'kpi_report.sent', target(run), null, {
        name: r.name,
        run: run.id,
        period,
        to: (recipients ?? []).filter((p) => p.sent).map((p) => p.name),
      });
    });
  } catch (e) {
    const error = e instanceof Error ? e.message.slice(0, 1000) : String(e);
    const final =
      e instanceof PermanentJobError ||
      (e instanceof AppError && e.status < 500) ||
      (job ? job.attempt >= job.maxAttempts : true);
    await ctx.tx(async (db) => {
      await repo.finishRun(db, run, error);
      await record(db, SCHEDULER, 'kpi_report.send_failed', target(run), null, {
        name: r.name,
        run: run.id,
        period,
        error,
        retried: !final,
      });
    });
    if (e instanceof AppError && e.status < 500) throw new PermanentJobError(error);
    throw e;
  }
}

/** `kpis.reports_due`: every minute. */
const REPORTS_DUE = jobType('kpis.reports_due', {
  schema: z.object({}).loose(),
  handler: async (ctx) => void (await fireDue(ctx)),
  maxAttempts: 3,
});

/** The reports' jobs, for the module's job set. */
export function reportJobs(): JobSet {
  return {
    types: [REPORTS_DUE, SEND_REPORT],
    schedules: [cronSchedule(REPORTS_DUE.name, '* * * * *', { timezone: 'UTC' })],
  };
}
