import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AgentError, type AgentConfig, enrol, readConfig, reportOnce } from '../agent/agent.js';
import { backupIfDue } from '../agent/backup.js';
import {
  defaultUnitDir,
  enableUnit,
  systemdRunning,
  systemdUnit,
  UNIT_NAME,
  writeUnit,
} from '../agent/service.js';
import { restoreIfQueued } from '../agent/restore.js';
import type { BackupRun, RestoreOutcome } from '../contracts/index.js';
import { CliError, out, outJson } from './io.js';

const DEFAULT_CONFIG = join(homedir(), '.config', 'steward', 'agent.json');

/** The agent's config, or a CLI error saying why not. */
function configAt(path: string): AgentConfig {
  try {
    return readConfig(path);
  } catch (e) {
    throw e instanceof AgentError ? new CliError(e.message, 1) : e;
  }
}

/** A backup run in one line. */
function runLine(r: BackupRun): string {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (r.status === 'failed') return `backup failed: ${r.error ?? 'unknown error'}`;
  return `backup ${r.status}: snapshot ${r.snapshotId?.slice(0, 8)}; files new ${r.filesNew}, changed ${r.filesChanged}, unmodified ${r.filesUnmodified}; ${mib(r.bytesAdded)} added${r.warnings.length ? `; ${r.warnings.length} warnings` : ''}`;
}

/** `steward agent enrol|run`: the discovery agent. */
export function registerAgentCommands(program: Command): void {
  const agent = program
    .command('agent')
    .description('the discovery agent: report this machine to a Steward server');
  agent
    .command('enrol')
    .description('enrol this machine with an enrolment token from an admin')
    .requiredOption('--server <url>', 'the Steward server, e.g. https://steward.example.com')
    .requiredOption('--token <token>', 'the enrolment token')
    .option('--config <path>', 'where to keep the agent config', DEFAULT_CONFIG)
    .action(async (opts: { server: string; token: string; config: string }) => {
      try {
        const c = await enrol(opts.server, opts.token, opts.config);
        out(`enrolled as agent ${c.agentId}; config in ${opts.config}`);
      } catch (e) {
        throw e instanceof AgentError ? new CliError(e.message, 1) : e;
      }
    });
  agent
    .command('backup')
    .description('back up this machine now, by its policy, through Steward')
    .option('--config <path>', 'the agent config', DEFAULT_CONFIG)
    .option('--json', 'JSON output')
    .action(async (opts: { config: string; json?: boolean }) => {
      const config = configAt(opts.config);
      let run: BackupRun | null;
      try {
        run = await backupIfDue(config, opts.config, true);
      } catch (e) {
        throw e instanceof AgentError ? new CliError(e.message, 1) : e;
      }
      if (!run) return;
      if (opts.json) outJson(run);
      else out(runLine(run));
      if (run.status === 'failed') throw new CliError(run.error ?? 'backup failed', 1);
    });
  registerInstallService(agent);
  agent
    .command('run')
    .description(
      'collect this machine and report it (once, or every --interval seconds); as a service, also run its backups on their schedule',
    )
    .option('--config <path>', 'the agent config', DEFAULT_CONFIG)
    .option('--once', 'report once and exit')
    .option('--interval <seconds>', 'seconds between reports when running as a service', '3600')
    .option('--backup-check <seconds>', 'seconds between checks whether a backup is due', '30')
    .option('--restore-check <seconds>', 'seconds between asks for restore work onto this machine', '10')
    .option('--json', 'JSON output')
    .action(
      async (opts: {
        config: string;
        once?: boolean;
        interval: string;
        backupCheck: string;
        restoreCheck: string;
        json?: boolean;
      }) => {
        const interval = Number(opts.interval);
        if (!Number.isInteger(interval) || interval < 60)
          throw new CliError('--interval must be at least 60 seconds', 2);
        const check = Number(opts.backupCheck);
        if (!Number.isInteger(check) || check < 1)
          throw new CliError('--backup-check must be at least 1 second', 2);
        const restoreCheck = Number(opts.restoreCheck);
        if (!Number.isInteger(restoreCheck) || restoreCheck < 1)
          throw new CliError('--restore-check must be at least 1 second', 2);
        const config = configAt(opts.config);
        if (!opts.once) {
          void backupLoop(config, opts.config, check * 1000, opts.json === true);
          void restoreLoop(config, restoreCheck * 1000, opts.json === true);
        }
        for (;;) {
          try {
            const r = await reportOnce(config);
            if (opts.json) outJson(r);
            else
              out(
                r.unchanged
                  ? `reported: nothing changed (item ${r.ciId})`
                  : `reported: item ${r.ciId}${r.created ? ' (new)' : ''}; software +${r.software.added} -${r.software.removed} =${r.software.kept}`,
              );
          } catch (e) {
            if (opts.once || !(e instanceof AgentError))
              throw e instanceof AgentError ? new CliError(e.message, 1) : e;
            out(`report failed, will try again: ${e.message}`);
          }
          if (opts.once) return;
          await new Promise((r) => setTimeout(r, interval * 1000));
        }
      },
    );
}

/** Checks every few seconds whether the device's backup policy has a run due, and runs it; forever. */
async function backupLoop(
  config: AgentConfig,
  configPath: string,
  pollMs: number,
  json: boolean,
): Promise<never> {
  for (;;) {
    try {
      const run = await backupIfDue(config, configPath);
      if (run) {
        if (json) outJson(run);
        else out(runLine(run));
      }
    } catch (e) {
      out(`backup check failed, will try again: ${e instanceof Error ? e.message : String(e)}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** `steward agent install-service`: a systemd unit running `steward agent run` with this config. */
function registerInstallService(agent: Command): void {
  agent
    .command('install-service')
    .description(
      `install the agent as a systemd service (${UNIT_NAME}): started at boot, restarted on failure, at low priority`,
    )
    .option('--config <path>', 'the agent config the service uses', DEFAULT_CONFIG)
    .option('--user', 'a user service (systemctl --user) instead of a system one')
    .option('--print', 'print the unit instead of writing it')
    .option('--dir <folder>', 'write the unit into this folder instead of systemd’s')
    .option('--no-enable', 'write the unit only: no systemctl daemon-reload / enable --now')
    .action((opts: { config: string; user?: boolean; print?: boolean; dir?: string; enable: boolean }) => {
      const configPath = resolve(opts.config);
      const text = systemdUnit({
        node: process.execPath,
        entry: resolve(process.argv[1] ?? 'steward'),
        configPath,
        user: opts.user === true,
      });
      if (opts.print) return out(text.trimEnd());
      configAt(configPath);
      let path: string;
      try {
        path = writeUnit(opts.dir ?? defaultUnitDir(opts.user === true), text);
      } catch (e) {
        const denied = (e as NodeJS.ErrnoException).code === 'EACCES';
        throw new CliError(
          `cannot write the unit: ${e instanceof Error ? e.message : String(e)}${denied ? ' (run it as root, or add --user)' : ''}`,
          1,
        );
      }
      out(`wrote ${path}`);
      if (!opts.enable) return;
      if (!systemdRunning()) {
        out('systemd is not running here: start the agent with `steward agent run` another way');
        return;
      }
      try {
        enableUnit(opts.user === true);
      } catch (e) {
        throw new CliError(e instanceof Error ? e.message : String(e), 1);
      }
      out(`enabled and started ${UNIT_NAME}${opts.user ? ' (user service)' : ''}`);
    });
}

/** A restore's outcome in one line. */
function restoreLine(o: RestoreOutcome, folder: string): string {
  if (o.state === 'failed') return `restore failed: ${o.error ?? 'unknown error'}`;
  return `restore succeeded: ${o.filesDone} files into ${folder}${o.skipped.length ? `; ${o.skipped.length} existing kept` : ''}; verified`;
}

/** Asks every few seconds for restore work onto this machine, and carries it out; forever. */
async function restoreLoop(config: AgentConfig, pollMs: number, json: boolean): Promise<never> {
  for (;;) {
    try {
      const done = await restoreIfQueued(config);
      if (done) {
        if (json) outJson({ restore: done.claim.restore.id, ...done.outcome });
        else out(restoreLine(done.outcome, done.claim.restore.destinationFolder));
        continue; // more may be queued
      }
    } catch (e) {
      out(`restore check failed, will try again: ${e instanceof Error ? e.message : String(e)}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
