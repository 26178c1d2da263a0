import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CatalogueItem, CatalogueRequest, FormField } from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An item the caller may request, by id or by name (any case). */
async function findItem(api: ApiClient, ref: string): Promise<CatalogueItem> {
  if (UUID.test(ref)) return api.request<CatalogueItem>('GET', `/api/v1/catalogue/items/${ref}`);
  const { items } = await api.request<{ items: CatalogueItem[] }>('GET', '/api/v1/catalogue/items');
  const found = items.find((i) => i.name.toLowerCase() === ref.trim().toLowerCase());
  if (!found) throw new CliError(`there is no item “${ref}” that you may request (steward catalogue list)`);
  return found;
}

/** A form field as one line: key, type, required, rules and condition. */
function fieldLine(f: FormField): string {
  const rules: string[] = [];
  if (f.required) rules.push('required');
  if (f.type === 'choice')
    rules.push(`${f.multiple ? 'any of' : 'one of'} ${f.choices.map((c) => c.value).join(', ')}`);
  if ((f.type === 'number' || f.type === 'date') && f.min !== undefined) rules.push(`min ${f.min}`);
  if ((f.type === 'number' || f.type === 'date') && f.max !== undefined) rules.push(`max ${f.max}`);
  if (f.type === 'text' && f.pattern) rules.push(`pattern ${f.pattern}`);
  if (f.showWhen)
    rules.push(
      `shown when ${f.showWhen.field}${f.showWhen.equals ? ` is ${f.showWhen.equals.join(' or ')}` : ' has a value'}`,
    );
  if (f.requiredWhen)
    rules.push(
      `required when ${f.requiredWhen.field}${f.requiredWhen.equals ? ` is ${f.requiredWhen.equals.join(' or ')}` : ' has a value'}`,
    );
  return `  ${f.key} (${f.type}) ${f.label}${rules.length ? `: ${rules.join('; ')}` : ''}`;
}

/**
 * The `--field key=value` answers typed by the item's form: numbers as numbers, a choice of several split at
 * commas, an attachment read from the file named. Everything else is checked by the server.
 */
export function answersFrom(fields: readonly FormField[], pairs: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new CliError(`--field takes key=value, not “${pair}”`, 2);
    const key = pair.slice(0, at);
    const raw = pair.slice(at + 1);
    const f = fields.find((x) => x.key === key);
    if (f?.type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) values[key] = Number(raw);
    else if (f?.type === 'choice' && f.multiple)
      values[key] = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (f?.type === 'attachment')
      values[key] = { fileName: basename(raw), contentBase64: readFileSync(raw).toString('base64') };
    else values[key] = raw;
  }
  return values;
}

/** A request as text: status, answers, approvals and tasks. */
function showRequest(r: CatalogueRequest): void {
  out(`${r.key} ${r.itemName}: ${r.status}${r.ticketKey ? ` (ticket ${r.ticketKey})` : ''}`);
  out(`  requested by ${r.requesterName}`);
  for (const a of r.answers) out(`  ${a.label}: ${a.display}`);
  for (const a of r.approvals)
    out(`  approval ${a.level}: ${a.group}, ${a.rule.replace('_', ' ')} (${a.required} needed), ${a.status}`);
  for (const t of r.tasks)
    out(`  task ${t.position}: ${t.title} (${t.teamName}), ${t.status}${t.doneBy ? ` by ${t.doneBy}` : ''}`);
  if (r.cancelled) out(`  cancelled by ${r.cancelled.by}: ${r.cancelled.reason}`);
}

/** A request the caller may see, by its key (CAT-12) or id. */
async function findRequest(api: ApiClient, ref: string, admin: boolean): Promise<CatalogueRequest> {
  if (UUID.test(ref)) return api.request<CatalogueRequest>('GET', `/api/v1/catalogue/requests/${ref}`);
  const key = ref.trim().toUpperCase();
  if (!/^CAT-\d+$/.test(key))
    throw new CliError(`a request is named by its key, e.g. CAT-12, not “${ref}”`, 2);
  const { items } = await api.request<{ items: CatalogueRequest[] }>(
    'GET',
    `/api/v1/catalogue/requests?scope=${admin ? 'all' : 'mine'}&limit=200`,
  );
  const found = items.find((r) => r.key === key);
  if (!found) throw new CliError(`there is no request ${key} of yours (steward catalogue requests)`);
  return found;
}

/** `steward catalogue ...`: the service catalogue through the API. */
export function registerCatalogueCommands(program: Command): void {
  const cat = program
    .command('catalogue')
    .description('service catalogue (through the API: --server, --token)');
  withServerOptions(cat.command('list').description('the items you may request'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const { items } = await clientFrom(opts).request<{ items: CatalogueItem[] }>(
        'GET',
        '/api/v1/catalogue/items',
      );
      if (opts.json) outJson(items);
      else if (items.length === 0) out('nothing to request');
      else for (const i of items) out(`${i.name}${i.category ? `  [${i.category}]` : ''}`);
    });
  withServerOptions(cat.command('show').description('an item and its form').argument('<item>', 'name or id'))
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const i = await findItem(clientFrom(opts), ref);
      if (opts.json) return outJson(i);
      out(`${i.name}${i.category ? `  [${i.category}]` : ''}`);
      if (i.description) out(`  ${i.description}`);
      if (i.slaPolicyName) out(`  SLA: ${i.slaPolicyName}`);
      const levels = i.approvals.map((a) =>
        a.kind === 'manager' ? 'your manager' : `${a.teamName} (${a.rule})`,
      );
      if (levels.length) out(`  approved by: ${levels.join(', then ')}`);
      if (i.tasks.length)
        out(`  fulfilled by: ${i.tasks.map((t) => `${t.title} (${t.teamName})`).join(', then ')}`);
      out(i.fields.length ? 'fields:' : 'no fields');
      for (const f of i.fields) out(fieldLine(f));
    });
  withServerOptions(cat.command('request').description('request an item').argument('<item>', 'name or id'))
    .option('--field <key=value...>', 'an answer (repeat); an attachment field takes a file path', [])
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts & { field: string[] }) => {
      const api = clientFrom(opts);
      const item = await findItem(api, ref);
      const r = await api.request<CatalogueRequest>('POST', `/api/v1/catalogue/items/${item.id}/requests`, {
        values: answersFrom(item.fields, opts.field),
      });
      if (opts.json) outJson(r);
      else showRequest(r);
    });
  withServerOptions(cat.command('requests').description('your requests (or those waiting for your vote)'))
    .option('--approvals', 'those waiting for your vote')
    .option('--tasks', 'those with an open task of your teams')
    .option('--json', 'JSON output')
    .action(async (opts: Opts & { approvals?: boolean; tasks?: boolean }) => {
      const scope = opts.approvals ? 'approvals' : opts.tasks ? 'tasks' : 'mine';
      const { items } = await clientFrom(opts).request<{ items: CatalogueRequest[] }>(
        'GET',
        `/api/v1/catalogue/requests?scope=${scope}`,
      );
      if (opts.json) outJson(items);
      else if (items.length === 0) out('no requests');
      else for (const r of items) out(`${r.key}  ${r.status}  ${r.itemName}  ${r.requesterName}`);
    });
  withServerOptions(
    cat
      .command('cancel')
      .description('cancel a request no longer needed (yours, or any as a catalogue admin)')
      .argument('<request>', 'its key (CAT-12) or id'),
  )
    .requiredOption('--reason <text>', 'why it is no longer needed')
    .option('--all', "find the request among everyone's (catalogue admins)")
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts & { reason: string; all?: boolean }) => {
      const api = clientFrom(opts);
      const r = await findRequest(api, ref, opts.all === true);
      const done = await api.request<CatalogueRequest>('POST', `/api/v1/catalogue/requests/${r.id}/cancel`, {
        reason: opts.reason,
      });
      if (opts.json) outJson(done);
      else showRequest(done);
    });
}
