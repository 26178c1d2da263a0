import type { Command } from 'commander';
import { loadConfig } from '../server/config.js';
import { runMigrations } from '../server/admin.js';
import { startServer } from '../server/main.js';
import { out } from './io.js';

/** `steward start` and `steward migrate`. */
export function registerServerCommands(program: Command): void {
  program
    .command('start')
    .description('start the Steward server (PORT, STEWARD_DATA_DIR, DATABASE_URL: see the README)')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .action(async (opts: { port?: string }) => {
      const env = { ...process.env, ...(opts.port ? { PORT: opts.port } : {}) };
      await startServer(loadConfig(env));
    });
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const applied = await runMigrations(loadConfig());
      out(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    });
}
