import type { Command } from 'commander';
import type { Recurrence, Ticket, TicketField, TicketTemplate } from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };

/** `key=value` pairs as field values: numbers and true/false as JSON, the rest as text. */
function parseFields(pairs: readonly string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new CliError(`--field wants key=value, not “${p}”`, 2);
    const [k, v] = [p.slice(0, i), p.slice(i + 1)];
    out[k] = v === 'true' ? true : v === 'false' ? false : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}
const collect = (v: string, prev: string[]) => [...prev, v];

/** A template by name (case-insensitive) or id. */
async function findTemplate(api: ApiClient, ref: string): Promise<TicketTemplate> {
  const { items } = await api.request<{ items: TicketTemplate[] }>('GET', '/api/v1/ticket-templates');
  const t = items.find((x) => x.id === ref || x.name.toLowerCase() === ref.toLowerCase());
  if (!t) throw new CliError(`there is no template “${ref}”`);
  return t;
}

/** `steward ticket-field list`, `steward template list|open`, `steward recurring list`. */
export function registerTicketTemplateCommands(program: Command): void {
  const field = program.command('ticket-field').description('custom ticket fields (through the API)');
  withServerOptions(field.command('list').description('the custom fields you may see'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const { items } = await clientFrom(opts).request<{ items: TicketField[] }>(
        'GET',
        '/api/v1/ticket-fields',
      );
      if (opts.json) return outJson(items);
      for (const f of items) {
        const extra = f.kind === 'choice' ? ` (${f.options.join(' / ')})` : '';
        out(`${f.key}\t${f.label}\t${f.kind}${extra}\t${f.types.join(',')}${f.required ? '\trequired' : ''}`);
      }
    });

  const template = program.command('template').description('ticket templates (through the API)');
  withServerOptions(template.command('list').description('the ticket templates'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const { items } = await clientFrom(opts).request<{ items: TicketTemplate[] }>(
        'GET',
        '/api/v1/ticket-templates',
      );
      if (opts.json) return outJson(items);
      for (const t of items) out(`${t.name}\t${t.type}\t${t.title}`);
    });
  withServerOptions(
    template
      .command('open')
      .description('open a ticket from a template')
      .argument('<template>', 'the template’s name or id'),
  )
    .option('--title <text>', 'instead of the template’s title')
    .option('--requester <id>', 'open on behalf of this user (id)')
    .option('--field <key=value>', 'a custom field value (repeatable)', collect, [])
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts & { title?: string; requester?: string; field: string[] }) => {
      const api = clientFrom(opts);
      const t = await findTemplate(api, ref);
      const ticket = await api.request<Ticket>('POST', `/api/v1/ticket-templates/${t.id}/tickets`, {
        ...(opts.title ? { title: opts.title } : {}),
        ...(opts.requester ? { requesterId: opts.requester } : {}),
        ...(opts.field.length > 0 ? { fields: parseFields(opts.field) } : {}),
      });
      if (opts.json) outJson(ticket);
      else out(`${ticket.key} opened from “${t.name}”: ${ticket.title}`);
    });

  const recurring = program.command('recurring').description('recurring tickets (through the API)');
  withServerOptions(recurring.command('list').description('the schedules, with their next run'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const { items } = await clientFrom(opts).request<{ items: Recurrence[] }>(
        'GET',
        '/api/v1/ticket-recurrences',
      );
      if (opts.json) return outJson(items);
      for (const r of items) {
        out(
          `${r.name}\t${r.templateName}\t${r.cron} ${r.timezone}\tnext ${r.nextRunAt}\tlast ${r.lastTicketKey ?? '-'}`,
        );
      }
    });
}
