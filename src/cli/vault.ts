import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { GeneratedPassword, RevealedSecret, VaultEntry, VaultImportResult } from '../contracts/index.js';
import { clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, err, out, outJson, readSecret } from './io.js';

type Opts = ServerOptions & { json?: boolean };
type PolicyOpts = {
  length: string;
  lowercase: boolean;
  uppercase: boolean;
  digits: boolean;
  symbols: boolean;
  avoidAmbiguous?: boolean;
};

function policyOf(o: PolicyOpts) {
  const length = Number(o.length);
  if (!Number.isInteger(length)) throw new CliError('--length must be a whole number', 2);
  return {
    length,
    lowercase: o.lowercase,
    uppercase: o.uppercase,
    digits: o.digits,
    symbols: o.symbols,
    avoidAmbiguous: o.avoidAmbiguous ?? false,
  };
}

function withPolicy(cmd: Command): Command {
  return cmd
    .option('--length <n>', 'length of a generated password', '24')
    .option('--no-lowercase', 'no lower-case letters')
    .option('--no-uppercase', 'no upper-case letters')
    .option('--no-digits', 'no digits')
    .option('--no-symbols', 'no symbols')
    .option('--avoid-ambiguous', 'leave out 0 O o 1 l I |');
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read the ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

const FIELDS = ['password', 'username', 'privateKey', 'notes'] as const;

/** `steward vault reveal|set|generate|import`: the credential vault through the API (--server, --token). */
export function registerVaultCommands(program: Command): void {
  const vault = program
    .command('vault')
    .description('the credential vault (through the API: --server, --token)');
  withServerOptions(
    vault
      .command('reveal')
      .description('print a credential’s secret (audited, with your reason)')
      .argument('<itemId>', 'the credential item'),
  )
    .requiredOption('--reason <text>', 'why you need it (shown on the item)')
    .option('--version <n>', 'an earlier version')
    .option('--field <name>', `what to print: ${FIELDS.join(', ')}`, 'password')
    .option('--json', 'everything, as JSON')
    .action(async (id: string, opts: Opts & { reason: string; version?: string; field: string }) => {
      if (!(FIELDS as readonly string[]).includes(opts.field))
        throw new CliError(`--field must be one of ${FIELDS.join(', ')}`, 2);
      const s = await clientFrom(opts).request<RevealedSecret>(
        'POST',
        `/api/v1/vault/${encodeURIComponent(id)}/reveal`,
        { reason: opts.reason, ...(opts.version ? { version: Number(opts.version) } : {}) },
      );
      if (opts.json) return outJson(s);
      const value = s[opts.field as (typeof FIELDS)[number]];
      if (value === null) throw new CliError(`version ${s.version} has no ${opts.field}`);
      out(value);
    });
  withPolicy(
    withServerOptions(
      vault
        .command('set')
        .description('give a credential a new secret (the password from standard input or a hidden prompt)')
        .argument('<itemId>', 'the credential item'),
    ),
  )
    .option('--generate', 'let the server generate the password (see the policy options)')
    .option('--username <name>', 'the login name')
    .option('--key-file <path>', 'a private key to keep with it')
    .option('--notes-file <path>', 'notes to keep with it')
    .option('--reason <text>', 'why (kept with the version)')
    .option('--json', 'JSON output')
    .action(
      async (
        id: string,
        opts: Opts &
          PolicyOpts & {
            generate?: boolean;
            username?: string;
            keyFile?: string;
            notesFile?: string;
            reason?: string;
          },
      ) => {
        const body = {
          ...(opts.generate
            ? { generate: policyOf(opts) }
            : { password: await readSecret('password', true) }),
          ...(opts.username !== undefined ? { username: opts.username } : {}),
          ...(opts.keyFile ? { privateKey: readText(opts.keyFile, 'key') } : {}),
          ...(opts.notesFile ? { notes: readText(opts.notesFile, 'notes') } : {}),
          ...(opts.reason ? { reason: opts.reason } : {}),
        };
        const e = await clientFrom(opts).request<VaultEntry>(
          'PUT',
          `/api/v1/vault/${encodeURIComponent(id)}/secret`,
          body,
        );
        if (opts.json) outJson(e);
        else
          out(
            `${e.name}: version ${e.currentVersion} saved${e.rotationDue ? `, rotation due ${e.rotationDue}` : ''}`,
          );
      },
    );
  withPolicy(
    withServerOptions(vault.command('generate').description('print a strong password made by the server')),
  ).action(async (opts: Opts & PolicyOpts) => {
    const g = await clientFrom(opts).request<GeneratedPassword>(
      'POST',
      '/api/v1/vault/generate',
      policyOf(opts),
    );
    out(g.password);
  });
  withServerOptions(
    vault
      .command('import')
      .description('import a Bitwarden, KeePass or 1Password CSV export (a dry run unless --apply)')
      .argument('<file>', 'the CSV export'),
  )
    .option('--apply', 'create the items (default: only show what would happen)')
    .option('--class <key>', 'the class of the new items', 'credential')
    .option('--json', 'JSON output')
    .action(async (file: string, opts: Opts & { apply?: boolean; class: string }) => {
      const r = await clientFrom(opts).request<VaultImportResult>('POST', '/api/v1/vault/import', {
        csv: readText(file, 'CSV'),
        dryRun: !opts.apply,
        classKey: opts.class,
      });
      if (opts.json) return outJson(r);
      for (const row of r.rows)
        out(
          `line ${row.line}: ${row.action === 'create' ? (r.dryRun ? 'would create' : 'created') : 'skipped'} ` +
            `“${row.name}” (${row.system}${row.username ? `, ${row.username}` : ''})${row.why ? `: ${row.why}` : ''}`,
        );
      out(
        `${r.dryRun ? 'dry run: ' : ''}${r.format} export, ${r.dryRun ? r.rows.length - r.skipped : r.created} ` +
          `to create, ${r.skipped} skipped`,
      );
      if (r.dryRun) err('nothing was written: run again with --apply to import');
    });
}
