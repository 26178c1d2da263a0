import type { Command } from 'commander';
import { KPI_KEYS, type Report, type ReportRun } from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** A report of mine by id or by its name. */
async function findReport(api: ApiClient, ref: string): Promise<Report> {
  if (UUID.test(ref)) return api.request<Report>('GET', `/api/v1/reports/${ref}`);
  const { items } = await api.request<{ items: Report[] }>('GET', '/api/v1/reports');
  const named = items.filter((r) => r.name.toLowerCase() === ref.trim().toLowerCase());
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw new CliError(`${named.length} reports are called “${ref}”: give the id`, 2);
  throw new CliError(`you have no report “${ref}” (steward report list)`);
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** People by e-mail (or id), teams by name (or id), a business service by name (or id). */
async function resolve(api: ApiClient, o: CreateOpts) {
  const userIds: string[] = [];
  for (const who of list(o.to)) {
    if (UUID.test(who)) userIds.push(who);
    else {
      const { items } = await api.request<{ items: { id: string; email: string }[] }>(
        'GET',
        `/api/v1/people?q=${encodeURIComponent(who)}`,
      );
      const p = items.find((i) => i.email.toLowerCase() === who.toLowerCase());
      if (!p) throw new CliError(`--to: nobody has the e-mail address ${who}`, 2);
      userIds.push(p.id);
    }
  }
  const teams = async (names: string[]) => {
    if (names.every((n) => UUID.test(n))) return names;
    const { items } = await api.request<{ items: { id: string; name: string }[] }>(
      'GET',
      '/api/v1/teams?limit=200',
    );
    return names.map((n) => {
      if (UUID.test(n)) return n;
      const t = items.find((i) => i.name.toLowerCase() === n.toLowerCase());
      if (!t) throw new CliError(`there is no team “${n}”`, 2);
      return t.id;
    });
  };
  let serviceId: string | null = null;
  if (o.service) {
    if (UUID.test(o.service)) serviceId = o.service;
    else {
      const q = `/api/v1/cis?classKey=service&limit=200&q=${encodeURIComponent(o.service)}`;
      const { items } = await api.request<{ items: { id: string; name: string }[] }>('GET', q);
      const s = items.find((i) => i.name.toLowerCase() === o.service!.toLowerCase());
      if (!s) throw new CliError(`there is no business service “${o.service}”`, 2);
      serviceId = s.id;
    }
  }
  return {
    userIds,
    teamIds: await teams(list(o.toTeam)),
    teamId: o.team ? (await teams([o.team]))[0]! : null,
    serviceId,
  };
}

function schedule(o: CreateOpts) {
  const hour = Number(o.hour ?? '6');
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new CliError('--hour: 0 to 23', 2);
  if (o.weekly) {
    const day = WEEKDAYS.indexOf(o.weekly.toLowerCase()) + 1;
    if (day === 0) throw new CliError('--weekly: a weekday (monday … sunday)', 2);
    return { frequency: 'weekly', day, hour, timeZone: o.timeZone ?? 'UTC' };
  }
  const day = Number(o.monthly ?? '1');
  if (!Number.isInteger(day) || day < 1 || day > 28) throw new CliError('--monthly: a day from 1 to 28', 2);
  return { frequency: 'monthly', day, hour, timeZone: o.timeZone ?? 'UTC' };
}

interface CreateOpts extends Opts {
  name: string;
  kpis?: string;
  dashboard?: string;
  team?: string;
  service?: string;
  period?: string;
  format?: string;
  to?: string;
  toTeam?: string;
  weekly?: string;
  monthly?: string;
  hour?: string;
  timeZone?: string;
}

const when = (r: Report) =>
  r.schedule.frequency === 'weekly'
    ? `every ${WEEKDAYS[r.schedule.day - 1]} at ${r.schedule.hour}:00 ${r.schedule.timeZone}`
    : `monthly on day ${r.schedule.day} at ${r.schedule.hour}:00 ${r.schedule.timeZone}`;
const summary = (r: Report) =>
  `${r.name}  (${when(r)}; last sent ${r.lastSentAt ?? 'never'}` +
  `${r.lastFailedAt ? `; last failed ${r.lastFailedAt}: ${r.lastError}` : ''})`;
const runLine = (x: ReportRun) =>
  `${x.createdAt}  ${x.trigger}  ${x.periodFrom} to ${x.periodTo}  ${x.status}` +
  `${x.recipients.length ? `  to ${x.recipients.map((p) => p.name).join(', ')}` : ''}${x.error ? `  (${x.error})` : ''}`;

/** `steward report list|show|create|send|delete`: scheduled KPI reports through the API. */
export function registerReportCommands(program: Command): void {
  const report = program
    .command('report')
    .description('scheduled KPI reports (through the API: --server, --token)');
  withServerOptions(report.command('list').description('your scheduled reports'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const { items } = await clientFrom(opts).request<{ items: Report[] }>('GET', '/api/v1/reports');
      if (opts.json) outJson(items);
      else if (items.length === 0) out('no reports');
      else for (const r of items) out(summary(r));
    });
  withServerOptions(
    report
      .command('show')
      .description('a report and when it was sent')
      .argument('<report>', 'its name or id'),
  )
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const api = clientFrom(opts);
      const r = await findReport(api, ref);
      const runs = (await api.request<{ items: ReportRun[] }>('GET', `/api/v1/reports/${r.id}/runs`)).items;
      if (opts.json) return outJson({ ...r, runs });
      out(summary(r));
      out(
        `  ${r.dashboard ? `dashboard ${r.dashboard.name}` : r.kpis.join(', ')}; ${r.period}; ${r.formats.join(' and ')}`,
      );
      out(`  to ${[...r.users.map((u) => u.name), ...r.teams.map((t) => `team ${t.name}`)].join(', ')}`);
      for (const x of runs) out(`  ${runLine(x)}`);
    });
  withServerOptions(report.command('create').description('schedule a report'))
    .requiredOption('--name <name>', 'its name')
    .option('--kpis <keys>', `KPIs, comma-separated (${KPI_KEYS.join(', ')})`)
    .option('--dashboard <id>', 'a dashboard instead of KPIs (its id or preset-…)')
    .option('--team <team>', 'only this team (name or id)')
    .option('--service <service>', 'only this business service (name or id)')
    .option('--period <period>', 'last_week or last_month', 'last_month')
    .option('--format <formats>', 'pdf, csv or pdf,csv', 'pdf,csv')
    .option('--to <emails>', 'people, comma-separated e-mail addresses')
    .option('--to-team <teams>', 'teams (their members when it is sent), comma-separated')
    .option('--weekly <weekday>', 'weekly on this weekday (monday … sunday)')
    .option('--monthly <day>', 'monthly on this day (1–28; the default: 1)')
    .option('--hour <hour>', 'at this hour (0–23, default 6)')
    .option('--time-zone <zone>', 'the schedule’s time zone (default UTC)')
    .option('--json', 'JSON output')
    .action(async (opts: CreateOpts) => {
      const api = clientFrom(opts);
      const body = {
        name: opts.name,
        ...(opts.dashboard ? { dashboardId: opts.dashboard } : { kpis: list(opts.kpis) }),
        ...(await resolve(api, opts)),
        period: opts.period,
        formats: list(opts.format),
        schedule: schedule(opts),
      };
      const r = await api.request<Report>('POST', '/api/v1/reports', body);
      if (opts.json) outJson(r);
      else out(`scheduled ${summary(r)}; next ${r.nextRunAt}`);
    });
  withServerOptions(
    report.command('send').description('send a report now').argument('<report>', 'its name or id'),
  )
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const api = clientFrom(opts);
      const r = await findReport(api, ref);
      const run = await api.request<ReportRun>('POST', `/api/v1/reports/${r.id}/send`);
      if (opts.json) outJson(run);
      else
        out(`queued “${r.name}” for ${run.periodFrom} to ${run.periodTo} (steward report show to follow it)`);
    });
  withServerOptions(
    report.command('delete').description('delete a report').argument('<report>', 'its name or id'),
  ).action(async (ref: string, opts: Opts) => {
    const api = clientFrom(opts);
    const r = await findReport(api, ref);
    await api.request('DELETE', `/api/v1/reports/${r.id}`);
    out(`deleted “${r.name}”`);
  });
}
