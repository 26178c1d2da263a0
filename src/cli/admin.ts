import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { CreateUser, Password } from '../contracts/index.js';
import { createAdmin, passwordWeakness } from '../server/admin.js';
import { loadConfig } from '../server/config.js';
import { CliError, out, outJson, readSecret } from './io.js';

/** `steward admin create`: the first-run bootstrap (works on the database directly). */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('bootstrap administration (direct database access)');
  admin
    .command('create')
    .description(
      'create an admin account; the password is read from standard input, or prompted on a terminal',
    )
    .requiredOption('--email <email>', 'e-mail address, used to sign in')
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'print the created user as JSON')
    .action(async (opts: { email: string; name: string; json?: boolean }) => {
      const fields = CreateUser.pick({ email: true, name: true }).safeParse({
        email: opts.email,
        name: opts.name,
      });
      if (!fields.success)
        throw new CliError(
          fields.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'),
          2,
        );
      const password = await readSecret('password', true);
      const pw = Password.safeParse(password);
      if (!pw.success) throw new CliError(`password ${pw.error.issues[0]?.message ?? 'is invalid'}`, 2);
      const weakness = passwordWeakness(password, fields.data);
      if (weakness) throw new CliError(`password ${weakness}: choose one that is harder to guess`, 2);
      const user = await createAdmin(loadConfig(), { ...fields.data, password }, userInfo().username);
      if (opts.json) outJson(user);
      else out(`created admin ${user.email} (${user.id})`);
    });
}
