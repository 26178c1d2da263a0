import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { EvidenceEntry, EvidenceLog, GlobalSearchResult, Ticket } from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson, saveOrPrint } from './io.js';

type Opts = ServerOptions & { json?: boolean };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[A-Z]{2,5}-[1-9]\d{0,9}$/i;

/** A ticket by id or key (INC-42), if the caller may see it: a security incident only for its handlers. */
async function findTicket(api: ApiClient, ref: string): Promise<{ id: string; key: string }> {
  if (UUID.test(ref)) return api.request<Ticket>('GET', `/api/v1/tickets/${ref}`);
  if (!KEY.test(ref)) throw new CliError(`“${ref}” is neither a ticket key (INC-42) nor an id`, 2);
  const found = await api.request<GlobalSearchResult>('GET', `/api/v1/search?q=${encodeURIComponent(ref)}`);
  if (!found.goTo) throw new CliError(`there is no ticket ${ref.toUpperCase()} that you may see`);
  return found.goTo;
}

/** One evidence entry as a terminal line. */
function line(e: EvidenceEntry): string {
  const what = e.fileName ? ` [${e.fileName}]` : '';
  return `#${e.seq}  ${e.at}  ${e.by}: ${e.note}${what}${e.sha256 ? `  sha256 ${e.sha256}` : ''}`;
}

/** `steward incident evidence add|list|export`: a security incident's evidence log through the API. */
export function registerIncidentCommands(program: Command): void {
  const incident = program
    .command('incident')
    .description('security incidents (through the API: --server, --token)');
  const evidence = incident.command('evidence').description('a security incident’s append-only evidence log');
  withServerOptions(
    evidence
      .command('add')
      .description('append a note, with the SHA-256 of a piece of evidence')
      .argument('<ticket>', 'INC-42 or id'),
  )
    .requiredOption('--note <text>', 'what was found, kept or done')
    .option('--sha256 <hex>', 'the SHA-256 of evidence kept elsewhere')
    .option('--file <path>', 'hash this file here (it is not uploaded) and name it in the note')
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts & { note: string; sha256?: string; file?: string }) => {
      if (opts.sha256 && opts.file) throw new CliError('give --sha256 or --file, not both', 2);
      let sha256 = opts.sha256;
      let note = opts.note;
      if (opts.file) {
        let data: Buffer;
        try {
          data = readFileSync(opts.file);
        } catch (e) {
          throw new CliError(`cannot read ${opts.file}: ${(e as Error).message}`, 2);
        }
        sha256 = createHash('sha256').update(data).digest('hex');
        note = `${note} (file ${basename(opts.file)}, ${data.length} bytes)`;
      }
      const api = clientFrom(opts);
      const t = await findTicket(api, ref);
      const e = await api.request<EvidenceEntry>('POST', `/api/v1/tickets/${t.id}/evidence`, {
        note,
        ...(sha256 ? { sha256 } : {}),
      });
      if (opts.json) outJson(e);
      else out(`${t.key}: evidence #${e.seq} added${e.sha256 ? ` (sha256 ${e.sha256})` : ''}`);
    });
  withServerOptions(
    evidence
      .command('list')
      .description('the evidence log, oldest first, and whether its hash chain is intact')
      .argument('<ticket>', 'INC-42 or id'),
  )
    .option('--json', 'JSON output')
    .action(async (ref: string, opts: Opts) => {
      const api = clientFrom(opts);
      const t = await findTicket(api, ref);
      const log = await api.request<EvidenceLog>('GET', `/api/v1/tickets/${t.id}/evidence`);
      if (opts.json) return outJson(log);
      if (log.items.length === 0) out(`${t.key}: no evidence yet`);
      for (const e of log.items) out(line(e));
      out(log.intact ? 'hash chain intact' : 'HASH CHAIN BROKEN: the log was altered');
      if (!log.intact) process.exitCode = 1;
    });
  withServerOptions(
    evidence
      .command('export')
      .description('the incident’s timeline with its evidence')
      .argument('<ticket>', 'INC-42 or id'),
  )
    .option('--format <format>', 'csv or json', 'csv')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (ref: string, opts: Opts & { format: string; output?: string }) => {
      if (opts.format !== 'csv' && opts.format !== 'json') throw new CliError('--format: csv or json', 2);
      const api = clientFrom(opts);
      const t = await findTicket(api, ref);
      const body = await api.download(`/api/v1/tickets/${t.id}/security-timeline?format=${opts.format}`);
      saveOrPrint(body, opts.output);
    });
}
