/**
 * `steward repo backup --stdin [--stdin-filename NAME]`: stores what is piped in (a database dump) as one file,
 * with restic's rules: no paths or --files-from alongside, and the password must not come from standard input.
 */
import type { Command } from 'commander';
import { findParent } from '../backup/archiver.js';
import type { CompressionMode } from '../backup/packer.js';
import { formatBytes, summaryMessage } from '../backup/progress.js';
import { backupStdin, stdinPath } from '../backup/stdin-source.js';
import { CliError } from './io.js';
import { EXIT, globals, info, locked, openRepo, sayJson } from './repo.js';
import type { GlobalRepoOptions } from './repo.js';

/** What the stdin backup takes from the backup command's flags (already checked). */
export interface StdinBackupFlags {
  stdinFilename: string;
  tags: string[];
  host: string;
  parent?: string;
  force?: boolean;
  time?: Date;
  compression: CompressionMode;
  packSize?: number;
  dryRun?: boolean;
}

/** restic's refusals: `--stdin` with paths or `--files-from`, or with the password to be read from stdin. */
export function checkStdinUse(paths: string[], filesFrom: number, g: GlobalRepoOptions): void {
  if (filesFrom > 0) throw new CliError('--stdin and --files-from cannot be used together', EXIT.error);
  if (paths.length > 0)
    throw new CliError('--stdin was specified and files/dirs were listed as arguments', EXIT.error);
  const e = process.env;
  if (
    !g.passwordFile &&
    !g.passwordCommand &&
    !e.RESTIC_PASSWORD_FILE &&
    !e.RESTIC_PASSWORD_COMMAND &&
    !e.RESTIC_PASSWORD
  )
    throw new CliError(
      'unable to read password from stdin when data is to be read from stdin, use --password-file or $RESTIC_PASSWORD',
      EXIT.error,
    );
}

/** Runs the stdin backup and prints restic's summary. */
export async function runStdinBackup(cmd: Command, f: StdinBackupFlags): Promise<void> {
  const json = globals(cmd).json ?? false;
  const repo = await openRepo(cmd);
  const result = await locked(repo, false, async (lock) => {
    let parent = null;
    if (f.parent) parent = await repo.findSnapshot(f.parent);
    else if (!f.force) parent = await findParent(repo, f.host, [stdinPath(f.stdinFilename)]);
    return backupStdin(repo, {
      source: process.stdin as AsyncIterable<Buffer>,
      filename: f.stdinFilename,
      tags: f.tags,
      hostname: f.host,
      time: f.time,
      parent,
      compression: f.compression,
      packSize: f.packSize,
      dryRun: f.dryRun,
      lock,
    });
  });
  if (json)
    return sayJson(
      summaryMessage(result.summary, {
        durationMs: result.durationMs,
        snapshotId: result.snapshotId,
        dryRun: f.dryRun,
      }),
    );
  const s = result.summary;
  info(
    `${f.dryRun ? 'Would add' : 'Added'} to the repository: ${formatBytes(s.data_added)} (${formatBytes(s.data_added_packed)} stored)`,
  );
  info(`processed 1 file, ${formatBytes(s.total_bytes_processed)}`);
  if (!f.dryRun) info(`snapshot ${result.snapshotId.slice(0, 8)} saved`);
}
