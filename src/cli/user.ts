import type { Command } from 'commander';
import type { User } from '../contracts/index.js';
import { clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { out, outJson, readSecret } from './io.js';

type Opts = ServerOptions & { json?: boolean };

function line(u: User): string {
  return `${u.id}  ${u.role.padEnd(9)} ${u.active ? 'active  ' : 'inactive'}  ${u.email}  ${u.name}`;
}

/** `steward user list|create|update`: user administration through the API. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage users (through the API: --server, --token)');
  withServerOptions(user.command('list').description('list users'))
    .option('--q <text>', 'filter by name or e-mail')
    .option('--role <role>', 'filter by role')
    .option('--json', 'JSON output')
    .action(async (opts: Opts & { q?: string; role?: string }) => {
      const api = clientFrom(opts);
      const items: User[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: '200' });
        if (opts.q) qs.set('q', opts.q);
        if (opts.role) qs.set('role', opts.role);
        if (cursor) qs.set('cursor', cursor);
        const page: { items: User[]; nextCursor: string | null } = await api.request(
          'GET',
          `/api/v1/users?${qs.toString()}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      if (opts.json) outJson(items);
      else items.forEach((u) => out(line(u)));
    });
  withServerOptions(user.command('create').description('create a user'))
    .requiredOption('--email <email>', 'e-mail')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role>', 'requester | agent | manager | admin', 'requester')
    .option('--password-stdin', 'read an initial password from standard input')
    .option('--json', 'JSON output')
    .action(async (opts: Opts & { email: string; name: string; role: string; passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await readSecret('password', false) : undefined;
      const u = await clientFrom(opts).request<User>('POST', '/api/v1/users', {
        email: opts.email,
        name: opts.name,
        role: opts.role,
        ...(password ? { password } : {}),
      });
      if (opts.json) outJson(u);
      else out(`created ${line(u)}`);
    });
  withServerOptions(user.command('update').description('change a user').argument('<id>', 'user id'))
    .option('--name <name>', 'display name')
    .option('--email <email>', 'e-mail')
    .option('--role <role>', 'requester | agent | manager | admin')
    .option('--activate', 'reactivate')
    .option('--deactivate', 'deactivate (ends their sessions)')
    .option('--json', 'JSON output')
    .action(
      async (
        id: string,
        opts: Opts & {
          name?: string;
          email?: string;
          role?: string;
          activate?: boolean;
          deactivate?: boolean;
        },
      ) => {
        const api = clientFrom(opts);
        const { etag } = await api.requestWithEtag<User>('GET', `/api/v1/users/${encodeURIComponent(id)}`);
        const patch = {
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.email ? { email: opts.email } : {}),
          ...(opts.role ? { role: opts.role } : {}),
          ...(opts.activate ? { active: true } : opts.deactivate ? { active: false } : {}),
        };
        const u = await api.request<User>('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, patch, {
          'if-match': etag,
        });
        if (opts.json) outJson(u);
        else out(`updated ${line(u)}`);
      },
    );
}
