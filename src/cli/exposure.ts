import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import type { AdvisoryImport, Exposure } from '../contracts/index.js';
import { clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, out, outJson } from './io.js';
import { zipOf } from './zip.js';

type Opts = ServerOptions & { json?: boolean; severity?: string; computer?: string; closed?: boolean };

/** The upload for `path`: a zip archive as it is, or a folder's `.json` files zipped. */
async function archiveOf(path: string): Promise<Buffer> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CliError(`${path}: no such file or folder`, 2);
  if (!info.isDirectory()) return readFile(path);
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.json'));
  if (files.length === 0) throw new CliError(`${path}: no .json files in this folder`, 2);
  return zipOf(
    await Promise.all(
      files.map(async (e) => {
        const full = join(e.parentPath, e.name);
        return { name: relative(path, full), data: await readFile(full) };
      }),
    ),
  );
}

/** `steward exposure import|list`: vulnerability exposure through the API. */
export function registerExposureCommands(program: Command): void {
  const exposure = program
    .command('exposure')
    .description('vulnerability exposure from OSV advisories (through the API: --server, --token)');
  withServerOptions(
    exposure
      .command('import <path>')
      .description('import OSV advisories: a folder of .json records or an OSV all.zip (admins)'),
  )
    .option('--json', 'JSON output')
    .action(async (path: string, opts: Opts) => {
      const body = await archiveOf(path);
      const r = await clientFrom(opts).request<AdvisoryImport>('POST', '/api/v1/exposure/imports', body, {
        'content-type': 'application/zip',
      });
      if (opts.json) return outJson(r);
      out(
        `${r.files} advisories read, ${r.stored} stored (${r.unchanged} unchanged); ` +
          `${r.opened} exposures opened, ${r.closed} closed`,
      );
    });
  withServerOptions(exposure.command('list').description('exposures, worst severity and soonest due first'))
    .option('--severity <severity>', 'critical, high, medium, low or unknown')
    .option('--computer <id>', 'one computer’s exposures')
    .option('--closed', 'closed exposures instead of open ones')
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const q = new URLSearchParams({ limit: '200', status: opts.closed ? 'closed' : 'open' });
      if (opts.severity) q.set('severity', opts.severity);
      if (opts.computer) q.set('computerId', opts.computer);
      const page = await clientFrom(opts).request<{ items: Exposure[] }>(
        'GET',
        `/api/v1/exposures?${q.toString()}`,
      );
      if (opts.json) return outJson(page.items);
      if (page.items.length === 0) return out('No exposures.');
      for (const e of page.items) {
        const fix = e.fixedVersion ? `fixed in ${e.fixedVersion}` : 'no fix yet';
        const due = e.closedAt
          ? `closed ${e.closedAt.slice(0, 10)}`
          : `due ${e.dueAt.slice(0, 10)}${e.overdue ? ' (overdue)' : ''}`;
        out(
          `${e.severity.padEnd(8)} ${e.advisory.id}  ${e.computer.name}: ${e.package} ${e.installedVersion} (${fix}), ${due}`,
        );
      }
    });
}
