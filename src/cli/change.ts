import type { Command } from 'commander';
import {
  type Change,
  ChangeOutcome,
  ChangeStatus,
  type ChangeSummary,
  ChangeType,
} from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };
type CreateOpts = Opts & {
  title: string;
  type?: string;
  template?: string;
  item?: string[];
  start?: string;
  end?: string;
};
type MoveOpts = Opts & { outcome?: string; lessons?: string; withoutRestorePoint?: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^CHG-[1-9]\d{0,8}$/i;

/** A change by id or by its key (CHG-42). */
async function findChange(api: ApiClient, ref: string): Promise<Change> {
  if (UUID.test(ref)) return api.request<Change>('GET', `/api/v1/changes/${ref}`);
  if (!KEY.test(ref)) throw new CliError(`“${ref}” is neither a change key (CHG-42) nor an id`, 2);
  const { items } = await api.request<{ items: ChangeSummary[] }>(
    'GET',
    `/api/v1/changes?key=${encodeURIComponent(ref.toUpperCase())}`,
  );
  if (!items[0]) throw new CliError(`there is no change ${ref.toUpperCase()}`);
  return api.request<Change>('GET', `/api/v1/changes/${items[0].id}`);
}

/** A value of an enum option, or a usage error naming the allowed ones. */
function oneOf<T extends string>(what: string, values: readonly T[], v: string): T {
  if ((values as readonly string[]).includes(v)) return v as T;
  throw new CliError(`${what}: one of ${values.join(', ')}`, 2);
}

const when = (c: { plannedStart: string | null; plannedEnd: string | null }) =>
  c.plannedStart ? `${c.plannedStart} to ${c.plannedEnd}` : 'not planned';

/** "db-2: taken (snapshot 1a2b3c4d)", "db-2: failed (the disk is unreadable)". */
function pointText(p: Change['restorePoints'][number]): string {
  const detail = p.state === 'taken' ? `snapshot ${p.snapshotId?.slice(0, 8)}` : p.error;
  return `${p.ciName}: ${p.state}${detail ? ` (${detail})` : ''}`;
}

/**
 * A move to implementing the server answered with the change still scheduled: it waits for the restore points
 * of its backed-up items. Says which, and the two ways on.
 */
function waitingError(c: Change): CliError {
  const waiting = c.restorePoints.filter((p) => p.state !== 'taken').map(pointText);
  return new CliError(
    `${c.key} is still ${c.status}: implementing waits for a restore point of each backed-up item` +
      (waiting.length ? ` (${waiting.join('; ')})` : '') +
      `. Run \`steward change move ${c.key} implementing\` again once the agents have taken them, ` +
      'or go without them: --without-restore-point <reason> (needs the change override permission).',
    3,
  );
}

/** The change as text for a terminal: state, risk with reasons, conflicts, approvals, tasks. */
function show(c: Change): void {
  out(`${c.key} ${c.title}`);
  out(`  ${c.type} change, ${c.status}${c.outcome ? ` (${c.outcome.replace(/_/g, ' ')})` : ''}; ${when(c)}`);
  out(`  risk ${c.risk ?? 'not assessed'}${c.riskScore !== null ? ` (${c.riskScore} points)` : ''}`);
  for (const r of c.riskReasons) out(`    +${r.points} ${r.text}`);
  if (c.items.length) out(`  items: ${c.items.map((i) => i.name).join(', ')}`);
  for (const x of c.conflicts) out(`  conflict: ${x.message}`);
  for (const l of c.approvals) {
    out(
      `  approval ${l.level}: ${l.teamName}, ${l.rule.replace('_', ' ')} (${l.required} needed), ${l.status}`,
    );
    for (const v of l.votes) out(`    ${v.by}: ${v.decision}${v.reason ? ` (${v.reason})` : ''}`);
  }
  if (c.rejectionReason) out(`  rejected: ${c.rejectionReason}`);
  for (const p of c.restorePoints) out(`  restore point of ${pointText(p)}`);
  if (c.restorePointWaiver)
    out(`  no restore point: ${c.restorePointWaiver.reason} (${c.restorePointWaiver.by})`);
  for (const t of c.tasks) out(`  task ${t.position}. ${t.title}${t.doneAt ? ` (done by ${t.doneBy})` : ''}`);
  if (c.allowedTransitions.length) out(`  next: ${c.allowedTransitions.join(', ')}`);
}

/** `steward change list|show|create|move|approve|reject`: change management through the API. */
export function registerChangeCommands(program: Command): void {
  const change = program
    .command('change')
    .description('change management (through the API: --server, --token)');
  withServerOptions(change.command('list').description('list changes, newest first'))
    .option('--status <status>', `only changes in this status (${ChangeStatus.options.join(', ')})`)
    .option('--json', 'JSON output')
    .action(async (opts: Opts & { status?: string }) => {
      const status = opts.status && oneOf('--status', ChangeStatus.options, opts.status);
      const { items } = await clientFrom(opts).request<{ items: ChangeSummary[] }>(
        'GET',
        `/api/v1/changes?limit=200${status ? `&status=${status}` : ''}`,
      );
      if (opts.json) outJson(items);
      else if (items.length === 0) out('no changes');
      else for (const c of items) out(`${c.key}  ${c.status}  ${c.risk ?? '-'}  ${c.title}  (${when(c)})`);
    });
  withServerOptions(change.command('show').description('show a change').argument('<change>', 'CHG-42 or id'))
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const c = await findChange(clientFrom(opts), ref);
      if (opts.json) outJson(c);
      else show(c);
    });
  withServerOptions(change.command('create').description('raise a change (a draft)'))
    .requiredOption('--title <title>', 'what the change does')
    .option('--type <type>', `${ChangeType.options.join(', ')} (normal unless a template says)`)
    .option('--template <id>', 'a standard-change template of the catalogue (its type, plans and questions)')
    .option('--item <id...>', 'configuration items it changes')
    .option('--start <time>', 'planned start (ISO 8601 with a time zone)')
    .option('--end <time>', 'planned end')
    .option('--json', 'JSON output')
    .action(async (opts: CreateOpts) => {
      const type = opts.type ?? (opts.template ? undefined : 'normal');
      const c = await clientFrom(opts).request<Change>('POST', '/api/v1/changes', {
        ...(type !== undefined ? { type: oneOf('--type', ChangeType.options, type) } : {}),
        ...(opts.template !== undefined ? { templateId: opts.template } : {}),
        title: opts.title,
        itemIds: opts.item ?? [],
        plannedStart: opts.start ?? null,
        plannedEnd: opts.end ?? null,
      });
      if (opts.json) outJson(c);
      else show(c);
    });
  withServerOptions(
    change
      .command('move')
      .description('move a change to another status')
      .argument('<change>', 'CHG-42 or id')
      .argument('<status>', ChangeStatus.options.join(', ')),
  )
    .option('--outcome <outcome>', `when closing: ${ChangeOutcome.options.join(', ')}`)
    .option('--lessons <text>', 'when closing: what was learnt')
    .option(
      '--without-restore-point <reason>',
      'when implementing: go without restore points of the backed-up items, and why (needs the override permission)',
    )
    .action(async (ref: string, to: string, opts: MoveOpts) => {
      const status = oneOf('<status>', ChangeStatus.options, to);
      const outcome = opts.outcome && oneOf('--outcome', ChangeOutcome.options, opts.outcome);
      const waiver = opts.withoutRestorePoint;
      if (waiver !== undefined && status !== 'implementing')
        throw new CliError('--without-restore-point goes only with a move to implementing', 2);
      if (waiver !== undefined && !waiver.trim())
        throw new CliError('--without-restore-point needs a reason', 2);
      const api = clientFrom(opts);
      const c = await findChange(api, ref);
      const moved = await api.request<Change>('POST', `/api/v1/changes/${c.id}/transitions`, {
        to: status,
        ...(outcome ? { outcome } : {}),
        ...(opts.lessons !== undefined ? { lessons: opts.lessons } : {}),
        ...(waiver !== undefined ? { withoutRestorePoint: { reason: waiver } } : {}),
      });
      show(moved);
      if (moved.status !== status) throw waitingError(moved);
    });
  for (const decision of ['approve', 'reject'] as const) {
    withServerOptions(
      change
        .command(decision)
        .description(`${decision} a change waiting for your team`)
        .argument('<change>', 'CHG-42 or id'),
    )
      .option('--reason <text>', decision === 'reject' ? 'why (required)' : 'a note')
      .action(async (ref: string, opts: Opts & { reason?: string }) => {
        if (decision === 'reject' && !opts.reason?.trim())
          throw new CliError('a rejection needs --reason', 2);
        const api = clientFrom(opts);
        const c = await findChange(api, ref);
        show(
          await api.request<Change>('POST', `/api/v1/changes/${c.id}/approvals`, {
            decision,
            reason: opts.reason ?? '',
          }),
        );
      });
  }
}
