import type { Command } from 'commander';
import type { CreatedToken } from '../contracts/index.js';
import { clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { CliError, err, out, outJson, readSecret } from './io.js';

type Opts = ServerOptions & { json?: boolean };

/** `steward token create|revoke`: personal API tokens. */
export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('personal API tokens');
  withServerOptions(
    token
      .command('create')
      .description('create a token; without --token, signs in with --email and a password (stdin or prompt)'),
  )
    .requiredOption('--name <name>', 'what the token is for')
    .option('--email <email>', 'sign in as this user (password from stdin or prompt)')
    .option('--expires-in-days <days>', 'expiry in days')
    .option('--json', 'JSON output')
    .action(async (opts: Opts & { name: string; email?: string; expiresInDays?: string }) => {
      const api = clientFrom(opts);
      if (!opts.token) {
        if (!opts.email) throw new CliError('pass --email to sign in, or --token', 2);
        await api.login(opts.email, await readSecret('password', false));
      }
      const days = opts.expiresInDays === undefined ? undefined : Number(opts.expiresInDays);
      if (days !== undefined && !Number.isInteger(days))
        throw new CliError('--expires-in-days must be a whole number', 2);
      const t = await api.request<CreatedToken>('POST', '/api/v1/tokens', {
        name: opts.name,
        ...(days !== undefined ? { expiresInDays: days } : {}),
      });
      if (opts.json) outJson(t);
      else {
        out(t.token);
        err(`token ${t.id} created; this is the only time it is shown`);
      }
    });
  withServerOptions(
    token.command('revoke').description('revoke a token').argument('<id>', 'token id'),
  ).action(async (id: string, opts: Opts) => {
    await clientFrom(opts).request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
    out(`revoked ${id}`);
  });
}
