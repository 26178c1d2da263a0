import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { registerDrillCommands } from './dr-drills.js';
import { registerScheduleCommands } from './dr-schedule.js';
import type { DrPlan } from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A plan by id, or by its name (case-insensitive) as people know it. */
async function findPlan(api: ApiClient, ref: string): Promise<DrPlan> {
  if (UUID.test(ref)) return api.request<DrPlan>('GET', `/api/v1/dr/plans/${ref}`);
  const { items } = await api.request<{ items: DrPlan[] }>(
    'GET',
    `/api/v1/dr/plans?name=${encodeURIComponent(ref)}&limit=1`,
  );
  const p = items[0];
  if (!p) throw new CliError(`no disaster-recovery plan is named “${ref}”`);
  return p;
}

const state = (p: DrPlan) =>
  [
    p.readiness.ready ? 'ready' : `not ready (${p.readiness.reasons.length})`,
    p.verification.needed ? 'needs verification' : 'verified',
    `review ${p.reviewDue}${p.reviewOverdue ? ' (overdue)' : ''}`,
  ].join(', ');

/** The plan as text for a terminal: targets, state, recovery order, runbook, contacts. */
function show(p: DrPlan): void {
  out(`${p.name}: ${p.service.name}`);
  out(`  RTO ${p.rtoMinutes} min, RPO ${p.rpoMinutes} min, owner ${p.owner?.name ?? 'nobody'}; ${state(p)}`);
  for (const r of p.readiness.reasons) out(`  not ready: ${r}`);
  for (const r of p.verification.reasons) out(`  needs verification: ${r}`);
  out('Recovery order:');
  for (const o of p.order) {
    const snap = o.device
      ? `  last snapshot ${o.lastSnapshotAt ?? 'never'}${o.withinRpo ? '' : ' (beyond RPO)'}`
      : '';
    out(
      `  ${o.position}. [wave ${o.wave}] ${o.name} (${o.className})${o.cycle ? ` cycle ${o.cycle}` : ''}${snap}`,
    );
  }
  out('Runbook:');
  for (const s of p.steps)
    out(
      `  ${s.position}. ${s.title} (owner ${s.owner?.name ?? 'nobody'}${s.expectedMinutes ? `, ${s.expectedMinutes} min` : ''})`,
    );
  out('Contacts:');
  for (const c of p.contacts)
    out(`  ${[c.user?.name ?? c.name, c.role, c.phone, c.email].filter(Boolean).join(', ')}`);
}

/** `steward dr plans list|show|export`: disaster-recovery plans through the API. */
export function registerDrCommands(program: Command): void {
  const dr = program.command('dr').description('disaster recovery (through the API: --server, --token)');
  const plans = dr.command('plans').description('recovery plans per business service');
  registerDrillCommands(dr);
  registerScheduleCommands(dr);
  withServerOptions(plans.command('list').description('list plans with their readiness'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      // Every page, following the cursor.
      const api = clientFrom(opts);
      const items: DrPlan[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `?limit=200&cursor=${encodeURIComponent(cursor)}` : '?limit=200';
        const page = await api.request<{ items: DrPlan[]; nextCursor: string | null }>(
          'GET',
          `/api/v1/dr/plans${q}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      if (opts.json) outJson(items);
      else if (items.length === 0) out('no disaster-recovery plans yet');
      else for (const p of items) out(`${p.id}  ${p.name}  (${p.service.name})  ${state(p)}`);
    });
  withServerOptions(plans.command('show').description('show a plan').argument('<plan>', 'plan id or name'))
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const p = await findPlan(clientFrom(opts), ref);
      if (opts.json) outJson(p);
      else show(p);
    });
  withServerOptions(
    plans
      .command('export')
      .description('export a plan as Markdown or PDF')
      .argument('<plan>', 'plan id or name'),
  )
    .option('--format <format>', 'md or pdf', 'md')
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .action(async (ref: string, opts: ServerOptions & { format: string; output?: string }) => {
      if (opts.format !== 'md' && opts.format !== 'pdf') throw new CliError('--format: md or pdf', 2);
      if (opts.format === 'pdf' && !opts.output && process.stdout.isTTY)
        throw new CliError('a PDF is not for the terminal: pass -o <file>', 2);
      const api = clientFrom(opts);
      const p = await findPlan(api, ref);
      const file = await api.download(`/api/v1/dr/plans/${p.id}/export.${opts.format}`);
      if (opts.output) {
        writeFileSync(opts.output, file);
        out(`wrote ${opts.output}`);
      } else process.stdout.write(file);
    });
}
