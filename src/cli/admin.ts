import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { CreateUser, Password, type User } from '../contracts/index.js';
import { createAdmin, passwordWeakness } from '../server/admin.js';
import { type Config, loadConfig } from '../server/config.js';
import { SETUP_TOKEN_FILE } from '../server/main.js';
import { ApiClient, ServerUnreachable } from './http.js';
import { CliError, out, outJson, readSecret } from './io.js';

interface Opts {
  email: string;
  name: string;
  json?: boolean;
  setupToken?: string;
  server: string;
}

/** The set-up token: given, or read from the file the running server wrote into the data folder. */
function setupToken(opts: Opts, config: Config): { token: string; from: 'option' | 'file' } | undefined {
  if (opts.setupToken) return { token: opts.setupToken.trim(), from: 'option' };
  const file = join(config.dataDir, SETUP_TOKEN_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return { token: readFileSync(file, 'utf8').trim(), from: 'file' };
  } catch (e) {
    throw new CliError(`cannot read the set-up token in ${file}: ${(e as Error).message}`);
  }
}

const lockedHint =
  'the server is running on this data folder. For the first admin, pass --setup-token (the server printed it ' +
  'at start); once an admin exists, add admins in the web UI or with `steward user create --role admin`';

/** Creates the admin directly in the database (no server running, or PostgreSQL). */
async function createDirectly(config: Config, input: { email: string; name: string; password: string }) {
  try {
    return await createAdmin(config, input, userInfo().username);
  } catch (e) {
    if (e instanceof Error && e.name === 'DataDirLockedError')
      throw new CliError(`${e.message}: ${lockedHint}`);
    throw e;
  }
}

/** `steward admin create`: the first-run bootstrap (through the running server, or on the database directly). */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('bootstrap administration');
  admin
    .command('create')
    .description(
      'create an admin account; the password is read from standard input, or prompted on a terminal. While ' +
        'the server runs without an admin, this goes through it with its set-up token (read from the data ' +
        'folder, or --setup-token); otherwise it works on the database directly',
    )
    .requiredOption('--email <email>', 'e-mail address, used to sign in')
    .requiredOption('--name <name>', 'display name')
    .option('--setup-token <token>', 'the one-time set-up token the running server printed at start')
    .option(
      '--server <url>',
      'Steward server URL, for --setup-token (env STEWARD_URL)',
      process.env.STEWARD_URL ?? 'http://localhost:8080',
    )
    .option('--json', 'print the created user as JSON')
    .action(async (opts: Opts) => {
      const fields = CreateUser.pick({ email: true, name: true }).safeParse({
        email: opts.email,
        name: opts.name,
      });
      if (!fields.success)
        throw new CliError(
          fields.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'),
          2,
        );
      const api = opts.setupToken ? new ApiClient(opts.server) : undefined;
      const password = await readSecret('password', true);
      const pw = Password.safeParse(password);
      if (!pw.success) throw new CliError(`password ${pw.error.issues[0]?.message ?? 'is invalid'}`, 2);
      const weakness = passwordWeakness(password, fields.data);
      if (weakness) throw new CliError(`password ${weakness}: choose one that is harder to guess`, 2);
      const config = loadConfig();
      const input = { ...fields.data, password };
      const setup = setupToken(opts, config);
      let user: User | undefined;
      if (setup) {
        try {
          user = await (api ?? new ApiClient(opts.server)).request<User>('POST', '/api/v1/setup/admin', {
            token: setup.token,
            ...input,
          });
        } catch (e) {
          // A token file left by a server that is gone: the database is free, so work on it directly.
          if (!(e instanceof ServerUnreachable && setup.from === 'file')) throw e;
        }
      }
      user ??= await createDirectly(config, input);
      if (opts.json) outJson(user);
      else out(`created admin ${user.email} (${user.id})`);
    });
}
