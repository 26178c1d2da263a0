/**
 * Scheduled reports (issue 28): a person's own (nobody else learns they exist: 404), holding a dashboard's KPIs or
 * a list of KPIs cut by a team and/or a business service, mailed weekly or monthly to people and teams as PDF
 * and/or CSV. Sending is reports.send.ts; this is the definitions, "send now" and the history.
 */
import type { KpiKey, Report, ReportInput, ReportRun } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { type FieldError, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { enqueue, nextRunAfter } from '../../platform/jobs/index.js';
import { type Actor, allows, can } from '../../platform/permissions.js';
import { itemNames } from '../cmdb/index.js';
import { existingTeamIds, teamNames } from '../teams/index.js';
import { rolesOf, userNames } from '../users/index.js';
import { getDashboard } from './dashboards.service.js';
import { KPIS } from './definitions.js';
import { reportDays } from './reports.render.js';
import * as repo from './reports.repository.js';
import { cronOf, nextDue, SEND_REPORT } from './reports.send.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function checkInput(ctx: Ctx, owner: Actor, input: ReportInput): Promise<void> {
  const errors: FieldError[] = [];
  const err = (path: string, message: string) => errors.push({ path: `body.${path}`, message });
  if ((input.dashboardId === null) === (input.kpis.length === 0)) {
    err('kpis', 'choose a dashboard or at least one KPI, not both');
  }
  if (new Set(input.kpis).size !== input.kpis.length) err('kpis', 'each KPI once');
  if (new Set(input.formats).size !== input.formats.length) err('formats', 'each format once');
  if (input.dashboardId !== null && (input.teamId || input.serviceId)) {
    err('teamId', 'a dashboard’s cards keep their own team and service');
  }
  for (const k of input.kpis) {
    const dims = KPIS[k].dimensions;
    if (input.teamId && !dims.includes('team')) err('teamId', `${k} is not measured per team`);
    if (input.serviceId && !dims.includes('service')) err('serviceId', `${k} is not measured per service`);
  }
  const s = input.schedule;
  if (s.frequency === 'weekly' && s.day > 7) err('schedule.day', 'a weekday: 1 (Monday) to 7 (Sunday)');
  try {
    nextRunAfter(cronOf(s), s.timeZone, new Date());
  } catch {
    err('schedule.timeZone', 'not a time zone (e.g. Europe/Berlin or UTC)');
  }
  if (input.userIds.length + input.teamIds.length === 0)
    err('userIds', 'send it to at least one person or team');
  if (new Set(input.userIds).size !== input.userIds.length) err('userIds', 'each person once');
  if (new Set(input.teamIds).size !== input.teamIds.length) err('teamIds', 'each team once');
  await checkReferences(ctx, owner, input, err);
  if (errors.length > 0) throw Invalid('the report is not valid', errors);
}

/** Referenced things must exist (and the dashboard be the owner's to see); recipients must see KPIs. */
async function checkReferences(
  ctx: Ctx,
  owner: Actor,
  input: ReportInput,
  err: (p: string, m: string) => void,
) {
  const db = ctx.db;
  const teams = await existingTeamIds(db, [...input.teamIds, ...(input.teamId ? [input.teamId] : [])]);
  if (input.teamId && !teams.has(input.teamId)) err('teamId', 'no such team');
  input.teamIds.forEach((t, i) => teams.has(t) || err(`teamIds.${i}`, 'no such team'));
  if (input.serviceId && !(await itemNames(ctx, [input.serviceId])).has(input.serviceId)) {
    err('serviceId', 'no such business service');
  }
  const [users, roles] = await Promise.all([userNames(db, input.userIds), rolesOf(db, input.userIds)]);
  input.userIds.forEach((u, i) => {
    const role = roles.get(u);
    if (!users.get(u)?.active || !role) err(`userIds.${i}`, 'no such person');
    else if (!allows({ ...owner, role }, 'kpi:read'))
      err(`userIds.${i}`, `${users.get(u)!.name} may not see KPIs`);
  });
  if (input.dashboardId !== null) {
    try {
      await getDashboard(ctx, owner, input.dashboardId);
    } catch {
      err('dashboardId', 'no such dashboard');
    }
  }
}

function fieldsOf(input: ReportInput, now: Date): repo.ReportFields {
  const f = {
    name: input.name,
    dashboard_id: input.dashboardId,
    kpis: input.kpis,
    team_id: input.teamId,
    service_id: input.serviceId,
    period: input.period,
    pdf: input.formats.includes('pdf'),
    csv: input.formats.includes('csv'),
    user_ids: input.userIds,
    team_ids: input.teamIds,
    frequency: input.schedule.frequency,
    day: input.schedule.day,
    hour: input.schedule.hour,
    time_zone: input.schedule.timeZone,
    enabled: input.enabled,
    next_run_at: null,
  };
  return { ...f, next_run_at: nextDue(f, now) };
}

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

async function view(ctx: Ctx, actor: Actor, r: repo.ReportRow): Promise<Report> {
  const [users, teams, services] = await Promise.all([
    userNames(ctx.db, [r.owner_id, ...r.user_ids]),
    teamNames(ctx.db, [...r.team_ids, ...(r.team_id ? [r.team_id] : [])]),
    r.service_id ? itemNames(ctx, [r.service_id]) : new Map<string, string>(),
  ]);
  let dashboard: Report['dashboard'] = null;
  if (r.dashboard_id) {
    const name = await getDashboard(ctx, actor, r.dashboard_id).then(
      (d) => d.name,
      () => 'a deleted dashboard',
    );
    dashboard = { id: r.dashboard_id, name };
  }
  const named = (id: string, m: Map<string, string>, gone: string) => ({ id, name: m.get(id) ?? gone });
  const userMap = new Map([...users].map(([id, u]) => [id, u.name]));
  return {
    id: r.id,
    name: r.name,
    owner: named(r.owner_id, userMap, 'a former user'),
    dashboard,
    kpis: r.kpis as KpiKey[],
    team: r.team_id ? named(r.team_id, teams, 'a deleted team') : null,
    service: r.service_id ? named(r.service_id, services, 'a deleted service') : null,
    period: r.period,
    formats: [...(r.pdf ? ['pdf' as const] : []), ...(r.csv ? ['csv' as const] : [])],
    users: r.user_ids.map((id) => named(id, userMap, 'a former user')),
    teams: r.team_ids.map((id) => named(id, teams, 'a deleted team')),
    schedule: { frequency: r.frequency, day: r.day, hour: r.hour, timeZone: r.time_zone },
    enabled: r.enabled,
    nextRunAt: isoOrNull(r.next_run_at),
    lastSentAt: isoOrNull(r.last_sent_at),
    lastFailedAt: isoOrNull(r.last_failed_at),
    lastError: r.last_error,
    version: r.version,
  };
}

/** A report of the caller's (404 for anyone else's, and for ids that are not uuids). */
async function mine(db: Db, actor: Actor, id: string, lock = false): Promise<repo.ReportRow> {
  if (!UUID.test(id)) throw NotFound('report');
  const r = await repo.findReport(db, id, actor.userId ?? '', lock);
  if (!r) throw NotFound('report');
  return r;
}

export async function listReports(ctx: Ctx, actor: Actor): Promise<Report[]> {
  can(actor, 'kpi:read');
  const rows = await repo.listReports(ctx.db, actor.userId ?? '');
  return Promise.all(rows.map((r) => view(ctx, actor, r)));
}

export async function getReport(ctx: Ctx, actor: Actor, id: string): Promise<Report> {
  can(actor, 'kpi:read');
  return view(ctx, actor, await mine(ctx.db, actor, id));
}

/** What the audit trail keeps of a report. */
const audited = (f: repo.ReportFields) => {
  const { next_run_at: _next, ...rest } = f;
  return rest;
};

export async function createReport(ctx: Ctx, actor: Actor, input: ReportInput): Promise<Report> {
  can(actor, 'kpi:read');
  await checkInput(ctx, actor, input);
  const f = fieldsOf(input, new Date());
  const id = await ctx.tx(async (db) => {
    const id = await repo.insertReport(db, actor.userId ?? '', f);
    await record(db, actor, 'kpi_report.created', { type: 'kpi_report', id }, null, audited(f));
    return id;
  });
  return getReport(ctx, actor, id);
}

export async function updateReport(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number,
  input: ReportInput,
): Promise<Report> {
  can(actor, 'kpi:read');
  await mine(ctx.db, actor, id);
  await checkInput(ctx, actor, input);
  const f = fieldsOf(input, new Date());
  await ctx.tx(async (db) => {
    const before = await mine(db, actor, id, true);
    if (!(await repo.updateReport(db, id, version, f))) throw Stale();
    const { id: _i, version: _v, created_at: _c, updated_at: _u, ...was } = before;
    await record(db, actor, 'kpi_report.updated', { type: 'kpi_report', id }, was, audited(f));
  });
  return getReport(ctx, actor, id);
}

export async function deleteReport(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'kpi:read');
  await ctx.tx(async (db) => {
    const r = await mine(db, actor, id, true);
    await repo.deleteReport(db, id);
    await record(db, actor, 'kpi_report.deleted', { type: 'kpi_report', id }, { name: r.name }, null);
  });
}

async function runView(ctx: Ctx, runs: repo.RunRow[]): Promise<ReportRun[]> {
  const names = await userNames(
    ctx.db,
    runs.flatMap((r) => (r.requested_by ? [r.requested_by] : [])),
  );
  return runs.map((r) => ({
    id: r.id,
    trigger: r.trigger,
    requestedBy: r.requested_by
      ? { id: r.requested_by, name: names.get(r.requested_by)?.name ?? 'a former user' }
      : null,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    status: r.status,
    attempts: r.attempts,
    recipients: r.recipients ?? [],
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: isoOrNull(r.finished_at),
  }));
}

/** The report's sendings, newest first. */
export async function reportHistory(ctx: Ctx, actor: Actor, id: string): Promise<ReportRun[]> {
  can(actor, 'kpi:read');
  await mine(ctx.db, actor, id);
  return runView(ctx, await repo.runsOf(ctx.db, id));
}

/** "Send now": a run of the period as of now, queued for the send job in the same transaction; audited. */
export async function sendReportNow(ctx: Ctx, actor: Actor, id: string): Promise<ReportRun> {
  can(actor, 'kpi:read');
  const runId = await ctx.tx(async (db) => {
    const r = await mine(db, actor, id, true);
    const days = reportDays(r.period, new Date());
    const runId = (await repo.insertRun(db, {
      report_id: id,
      trigger: 'manual',
      due_at: null,
      requested_by: actor.userId,
      period_from: days.from,
      period_to: days.to,
    }))!;
    await enqueue(db, SEND_REPORT.name, { runId }, { definition: SEND_REPORT });
    await record(db, actor, 'kpi_report.send_requested', { type: 'kpi_report', id }, null, {
      name: r.name,
      period: days,
    });
    return runId;
  });
  return (await runView(ctx, [(await repo.findRun(ctx.db, runId))!]))[0]!;
}
