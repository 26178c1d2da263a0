import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import type { ComplianceFrameworkList, ImportResult } from '../contracts/index.js';
import { clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `steward compliance ...`: the compliance register through the API. */
export function registerComplianceCommands(program: Command): void {
  const c = program
    .command('compliance')
    .description('compliance register (through the API: --server, --token)');
  withServerOptions(
    c.command('frameworks').description('list the frameworks and the control sets Steward ships'),
  )
    .option('--json', 'print JSON')
    .action(async (opts: Opts) => {
      const r = await clientFrom(opts).request<ComplianceFrameworkList>(
        'GET',
        '/api/v1/compliance/frameworks',
      );
      if (opts.json) return outJson(r);
      for (const f of r.items)
        out(
          `${f.key}  ${f.name}: ${f.controls} controls, ${f.applicable} applicable, ${f.excluded} excluded, ${f.undecided} undecided, ${f.red} red`,
        );
      const missing = r.catalogue.filter((s) => !r.items.some((f) => f.key === s.key));
      for (const s of missing)
        out(`${s.key}  ${s.name}: shipped, not loaded (steward compliance load ${s.key})`);
    });
  withServerOptions(
    c.command('load').description('load a control set Steward ships (short titles in our own words)'),
  )
    .argument('<key>', 'e.g. iso27001-2022')
    .action(async (key: string, opts: Opts) => {
      const r = await clientFrom(opts).request<ImportResult>('POST', '/api/v1/compliance/frameworks', {
        key,
      });
      out(`${r.framework.name}: ${r.added} controls added, ${r.updated} updated`);
    });
  withServerOptions(
    c
      .command('import')
      .description(
        'import a control set with the full texts you are licensed for: JSON, or CSV (ref,title,section,text)',
      ),
  )
    .argument('<file>', 'the file (.json or .csv)')
    .option('--format <format>', 'json or csv (default: from the file name)')
    .option('--key <key>', 'the framework’s key (CSV)')
    .option('--name <name>', 'the framework’s name (CSV)')
    .action(async (file: string, opts: Opts & { format?: string; key?: string; name?: string }) => {
      const format = opts.format ?? extname(file).slice(1).toLowerCase();
      if (format !== 'json' && format !== 'csv') throw new CliError('--format: json or csv', 2);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`, 1);
      }
      const q = new URLSearchParams({
        format,
        ...(opts.key ? { key: opts.key } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      });
      const r = await clientFrom(opts).request<ImportResult>(
        'POST',
        `/api/v1/compliance/import?${q.toString()}`,
        new Uint8Array(bytes),
        {
          'content-type': 'application/octet-stream',
        },
      );
      out(`${r.framework.name}: ${r.added} controls added, ${r.updated} updated`);
    });
  withServerOptions(
    c.command('export').description('write the audit export of a framework for a period (a zip)'),
  )
    .argument('<key>', 'the framework’s key, e.g. iso27001-2022')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .requiredOption('-o, --output <file>', 'the zip to write')
    .action(async (key: string, opts: Opts & { from: string; to: string; output: string }) => {
      if (!DATE.test(opts.from) || !DATE.test(opts.to)) throw new CliError('--from and --to: YYYY-MM-DD', 2);
      const api = clientFrom(opts);
      const list = await api.request<ComplianceFrameworkList>('GET', '/api/v1/compliance/frameworks');
      const f = list.items.find((x) => x.key === key);
      if (!f) throw new CliError(`there is no framework ${key} (steward compliance frameworks lists them)`);
      const zip = await api.download(
        `/api/v1/compliance/frameworks/${f.id}/export?from=${opts.from}&to=${opts.to}`,
      );
      writeFileSync(opts.output, zip);
      out(
        `${opts.output} written (${zip.length} bytes): check it with steward audit verify-export ${opts.output}`,
      );
    });
}
