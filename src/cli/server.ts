import type { Command } from 'commander';
import { loadConfig } from '../server/config.js';
import { runMigrations } from '../server/admin.js';
import { startServer } from '../server/main.js';
import { listServerSnapshots, restoreServer } from '../server/self-restore.js';
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

interface RestoreFlags {
  repo: string;
  masterKey: string;
  snapshot: string;
}

/** `steward server restore` and `steward server snapshots`: Steward's own backup, read without a server. */
export function registerServerBackupCommands(program: Command): void {
  const server = program
    .command('server')
    .description('Steward’s own backup: list its snapshots, rebuild Steward from one on a new machine');
  const common = (c: Command) =>
    c
      .requiredOption(
        '-r, --repo <location>',
        'the repository of Steward’s backups (as restic writes locations)',
      )
      .requiredOption(
        '--master-key <file>',
        'the kept copy of the master key of the Steward that made the backup',
      );
  common(server.command('snapshots'))
    .description('list Steward’s snapshots in the repository, oldest first')
    .action(async (f: RestoreFlags) => {
      const list = await listServerSnapshots({ repo: f.repo, env: process.env, masterKeyFile: f.masterKey });
      for (const s of list)
        out(`${s.id.slice(0, 8)}  ${s.time}${s.bytes === null ? '' : `  ${s.bytes} bytes`}`);
      if (list.length === 0) out('no snapshots of Steward in this repository');
    });
  common(server.command('restore'))
    .description(
      'rebuild Steward from its backup into the database the environment names (DATABASE_URL: a new, empty ' +
        'database; otherwise an empty STEWARD_DATA_DIR), with the master key and audit checkpoints',
    )
    .option('--snapshot <id>', 'snapshot id, or latest', 'latest')
    .action(async (f: RestoreFlags) => {
      const r = await restoreServer(
        { repo: f.repo, env: process.env, masterKeyFile: f.masterKey, snapshot: f.snapshot },
        loadConfig(),
      );
      out(
        `restored snapshot ${r.snapshotId.slice(0, 8)} of ${r.time} (${r.manifest.database} database, ` +
          `${r.manifest.migrations.length} migrations): start Steward with \`steward start\``,
      );
    });
}
