import type { Command } from 'commander';
import type { DrillSchedule, UpdateDrillSchedule } from '../contracts/index.js';
import { planRef } from './dr-drills.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };

/** A moment as people in the schedule's time zone read it: "Mon 4 Jan 2027, 09:00 (Europe/Berlin)". */
export function localTime(iso: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${f.format(new Date(iso))} (${timeZone})`;
}

function printSchedule(name: string, s: DrillSchedule): void {
  if (s.cron === null) {
    out(
      `The ${name} plan is not drilled on a schedule. Set one with: steward dr schedule set "${name}" --cron …`,
    );
    return;
  }
  if (!s.enabled) {
    out(`The ${name} plan’s drill schedule is off (it was: ${s.description ?? s.cron}).`);
    return;
  }
  out(`The ${name} plan is drilled: ${s.description ?? s.cron}`);
  out(s.nextRunAt ? `  next drill due ${localTime(s.nextRunAt, s.timeZone)}` : '  it does not fire again');
}

async function scheduleOf(api: ApiClient, plan: string) {
  const { id, name } = await planRef(api, plan);
  const r = await api.requestWithEtag<DrillSchedule>('GET', `/api/v1/dr/plans/${id}/drill-schedule`);
  return { id, name, ...r };
}

/** `steward dr schedule show|set <plan>`: when a plan is drilled by itself, through the API. */
export function registerScheduleCommands(dr: Command): void {
  const schedule = dr.command('schedule').description('when a plan is drilled by itself');
  withServerOptions(
    schedule
      .command('show')
      .description('show a plan’s drill schedule and when the next drill is due')
      .argument('<plan>', 'the plan’s name or id'),
  )
    .option('--json', 'JSON output')
    .action(async (plan: string, opts: Opts) => {
      const { name, body } = await scheduleOf(clientFrom(opts), plan);
      if (opts.json) outJson(body);
      else printSchedule(name, body);
    });
  withServerOptions(
    schedule
      .command('set')
      .description('set a plan’s drill schedule (a cron pattern in a time zone), or turn it on or off')
      .argument('<plan>', 'the plan’s name or id'),
  )
    .option('--cron <pattern>', 'cron pattern, e.g. "0 9 * * 1#1" (the first Monday of a month at 09:00)')
    .option(
      '--time-zone <zone>',
      'IANA time zone the pattern is read in, e.g. Europe/Berlin (default: as set, or UTC)',
    )
    .option('--off', 'stop drilling on the schedule (the pattern is kept)')
    .option('--on', 'drill on the schedule again')
    .option('--json', 'JSON output')
    .action(
      async (
        plan: string,
        opts: Opts & { cron?: string; timeZone?: string; off?: boolean; on?: boolean },
      ) => {
        if (opts.off && opts.on) throw new CliError('give --on or --off, not both');
        const api = clientFrom(opts);
        const cur = await scheduleOf(api, plan);
        const cron = opts.cron ?? cur.body.cron;
        if (cron === null)
          throw new CliError(`the ${cur.name} plan has no drill schedule yet: give its pattern with --cron`);
        const body: UpdateDrillSchedule = {
          cron,
          timeZone: opts.timeZone ?? cur.body.timeZone,
          enabled: opts.off
            ? false
            : opts.on || opts.cron !== undefined
              ? true
              : cur.body.version === 0 || cur.body.enabled,
        };
        const saved = await api.request<DrillSchedule>(
          'PUT',
          `/api/v1/dr/plans/${cur.id}/drill-schedule`,
          body,
          { 'if-match': cur.etag },
        );
        if (opts.json) outJson(saved);
        else printSchedule(cur.name, saved);
      },
    );
}
