/**
 * `steward repo copy [ids...]`: copies snapshots from the repository named by `--from-repo` (and its password
 * flags, or RESTIC_FROM_*) into the one named by -r, with restic 0.14's flags. Without ids: every snapshot that
 * matches --host/--tag/--path.
 */
import type { Command } from 'commander';
import { copySnapshots } from '../backup/copy.js';
import { goTimeString } from '../backup/gojson.js';
import { SnapshotNotFoundError } from '../backup/errors.js';
import type { StoredSnapshot } from '../backup/snapshot.js';
import { CliError } from './io.js';
import { parseCompression, parsePackSize } from './repo-backup.js';
import { EXIT, filterOf, info, locked, openRepo, readLocked, withFilterOptions } from './repo.js';
import type { Repository } from '../backup/repository.js';

type CopyFlags = {
  host: string[];
  tag: string[];
  path: string[];
  fromRepo?: string;
  fromRepositoryFile?: string;
  fromPasswordFile?: string;
  fromPasswordCommand?: string;
  fromKeyHint?: string;
  compression: string;
  packSize?: string;
};

async function selected(src: Repository, ids: string[], f: CopyFlags): Promise<StoredSnapshot[]> {
  if (ids.length === 0) return src.listSnapshots(filterOf(f));
  const out: StoredSnapshot[] = [];
  for (const ref of ids) {
    try {
      const s = await src.findSnapshot(ref, ref === 'latest' ? filterOf(f) : {});
      if (!out.some((o) => o.id === s.id)) out.push(s);
    } catch (e) {
      if (!(e instanceof SnapshotNotFoundError)) throw e;
      process.stderr.write(`Ignoring ${JSON.stringify(ref)}: ${e.message}\n`);
    }
  }
  return out;
}

/** Registers `copy`. */
export function registerCopyCommand(repo: Command): void {
  withFilterOptions(
    repo
      .command('copy')
      .description('copy snapshots from another repository (--from-repo) into this one')
      .argument('[ids...]', 'snapshots to copy (default: all that match the filters)'),
  )
    .option('--from-repo <location>', 'source repository (default: $RESTIC_FROM_REPOSITORY)')
    .option(
      '--from-repository-file <file>',
      'file holding the source location ($RESTIC_FROM_REPOSITORY_FILE)',
    )
    .option('--from-password-file <file>', "source repository's password file ($RESTIC_FROM_PASSWORD_FILE)")
    .option(
      '--from-password-command <command>',
      'command printing the source password ($RESTIC_FROM_PASSWORD_COMMAND)',
    )
    .option('--from-key-hint <id>', 'source key id to try first ($RESTIC_FROM_KEY_HINT)')
    .option('--compression <mode>', 'auto | off | max', 'auto')
    .option('--pack-size <MiB>', 'target pack size in MiB (4..128, default 16)')
    .action(async (ids: string[], f: CopyFlags, cmd: Command) => {
      if (f.fromPasswordFile && f.fromPasswordCommand)
        throw new CliError(
          '--from-password-file and --from-password-command are mutually exclusive',
          EXIT.error,
        );
      const compression = parseCompression(f.compression);
      const packSize = parsePackSize(f.packSize);
      const source = {
        env: 'RESTIC_FROM_',
        options: {
          repo: f.fromRepo,
          repositoryFile: f.fromRepositoryFile,
          passwordFile: f.fromPasswordFile,
          passwordCommand: f.fromPasswordCommand,
          keyHint: f.fromKeyHint ?? process.env.RESTIC_FROM_KEY_HINT,
        },
      };
      const src = await openRepo(cmd, { source });
      const dst = await openRepo(cmd);
      if (src.config.id === dst.config.id)
        throw new CliError('source and destination are the same repository', EXIT.error);
      // As restic 0.14, whose copy has no JSON output: the same lines with --json (the pack progress line left out).
      await locked(dst, false, () =>
        readLocked(cmd, src, false, async () =>
          copySnapshots(src, dst, await selected(src, ids, f), {
            compression,
            packSize,
            onStart: (s) => {
              info('');
              info(`snapshot ${s.id.slice(0, 8)} of [${s.paths.join(' ')}] at ${goTimeString(s.time)})`);
            },
            onSnapshot: (e) => {
              if (e.kind === 'skipped')
                info(
                  `skipping source snapshot ${e.source.id.slice(0, 8)}, was already copied to snapshot ${e.existing.slice(0, 8)}`,
                );
              else info(`snapshot ${e.id.slice(0, 8)} saved`);
            },
            onCopying: () => info('  copy started, this may take a while...'),
          }),
        ),
      );
    });
}
