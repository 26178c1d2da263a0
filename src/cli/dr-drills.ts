import type { Command } from 'commander';
import type { Drill, DrillHistory, DrillSummary } from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A duration as people read it: "42 s", "12 min", "3.5 h". */
export function duration(s: number | null): string {
  if (s === null) return '—';
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** A plan's id and name from its id or its name (case-insensitive). */
export async function planRef(api: ApiClient, plan: string): Promise<{ id: string; name: string }> {
  if (UUID.test(plan)) return api.request<{ id: string; name: string }>('GET', `/api/v1/dr/plans/${plan}`);
  const page = await api.request<{ items: { id: string; name: string }[] }>(
    'GET',
    `/api/v1/dr/plans?name=${encodeURIComponent(plan)}&limit=1`,
  );
  const hit = page.items[0];
  if (!hit) throw new CliError(`no disaster-recovery plan is called “${plan}”`);
  return hit;
}

const planId = async (api: ApiClient, plan: string) => (await planRef(api, plan)).id;

function summaryLine(d: DrillSummary): string {
  const rto = `RTO ${duration(d.measuredRtoSeconds)} (target ${duration(d.rtoTargetSeconds)})`;
  const rpo = `RPO ${duration(d.achievedRpoSeconds)} (target ${duration(d.rpoTargetSeconds)})`;
  const problem = d.problemKey ? `  ${d.problemKey}` : '';
  return `${d.startedAt}  ${d.status.padEnd(9)} ${d.trigger.padEnd(8)} ${rto}  ${rpo}  by ${d.startedBy}${problem}`;
}

function printDrill(d: Drill): void {
  out(`Drill of the ${d.planName} plan: ${d.status}${d.failure ? ` (${d.failure})` : ''}`);
  for (const s of d.steps) {
    const detail =
      s.kind === 'manual'
        ? s.tickedAt
          ? `ticked by ${s.tickedBy} at ${s.tickedAt}`
          : 'waiting to be ticked off'
        : s.error
          ? s.error
          : `${s.verifiedFiles}/${s.files} files verified, snapshot ${s.snapshotId?.slice(0, 8) ?? '—'}`;
    out(
      `  ${String(s.position).padStart(2)}. ${s.status.padEnd(7)} ${s.title}: ${detail}  ${duration(s.seconds === null ? null : Math.round(s.seconds))}`,
    );
    for (const p of s.problems.slice(0, 5)) out(`        ${p.path}: ${p.message}`);
  }
  out(`  measured RTO ${duration(d.measuredRtoSeconds)}, achieved RPO ${duration(d.achievedRpoSeconds)}`);
  if (d.problemKey) out(`  problem ${d.problemKey} opened`);
  if (d.evidenceSha256) out(`  evidence SHA-256 ${d.evidenceSha256}`);
}

/** Still to wait for: a running drill that is not waiting for people (its restores passed, a manual step left). */
const waiting = (d: Drill) =>
  d.status === 'running' &&
  (d.steps.some((s) => s.kind === 'restore' && s.status !== 'passed') ||
    !d.steps.some((s) => s.kind === 'manual' && s.status === 'pending'));

/** `steward dr drill <plan>` and `steward dr drills <plan>`: drills of disaster-recovery plans, through the API. */
export function registerDrillCommands(dr: Command): void {
  withServerOptions(
    dr
      .command('drill')
      .description('drill a plan now: test-restore its devices in recovery order and verify every file')
      .argument('<plan>', 'the plan’s name or id'),
  )
    .option('--no-wait', 'return once the drill has started')
    .option('--json', 'JSON output')
    .action(async (plan: string, opts: Opts & { wait: boolean }) => {
      const api = clientFrom(opts);
      let d = await api.request<Drill>('POST', `/api/v1/dr/plans/${await planId(api, plan)}/drills`);
      while (opts.wait && waiting(d)) {
        await new Promise((r) => setTimeout(r, 1000));
        d = await api.request<Drill>('GET', `/api/v1/dr/drills/${d.id}`);
      }
      if (opts.json) outJson(d);
      else {
        printDrill(d);
        if (d.status === 'running')
          out(`  manual steps wait: tick them off on the drill’s page (drill ${d.id})`);
      }
      if (d.status === 'failed') throw new CliError(`the drill failed: ${d.failure ?? 'see its steps'}`);
    });
  withServerOptions(
    dr
      .command('drills')
      .description('a plan’s drills, newest first, with the trend')
      .argument('<plan>', 'the plan’s name or id'),
  )
    .option('--json', 'JSON output')
    .action(async (plan: string, opts: Opts) => {
      const api = clientFrom(opts);
      const h = await api.request<DrillHistory>('GET', `/api/v1/dr/plans/${await planId(api, plan)}/drills`);
      if (opts.json) return outJson(h);
      const t = h.trend;
      out(
        `${t.drills} ${t.drills === 1 ? 'drill' : 'drills'}: ${t.passed} passed, ${t.failed} failed; within RTO ${t.withinRto}, within RPO ${t.withinRpo}; last passed ${t.lastPassedAt ?? 'never'}`,
      );
      h.items.forEach((d) => out(summaryLine(d)));
    });
}
