/**
 * `steward repo repair index|snapshots` and restic's older name `rebuild-index`: mend a repository that lost
 * index files or data, with restic's flags and messages.
 */
import type { Command } from 'commander';
import { repairIndex } from '../backup/repair-index.js';
import { repairSnapshots } from '../backup/repair-snapshots.js';
import type { StoredSnapshot } from '../backup/snapshot.js';
import { CliError } from './io.js';
import { EXIT, filterOf, globals, locked, openRepo, say, sayJson, withFilterOptions } from './repo.js';

type RepairSnapshotFlags = {
  host: string[];
  tag: string[];
  path: string[];
  dryRun?: boolean;
  forget?: boolean;
};

async function runRepairIndex(f: { readAllPacks?: boolean }, cmd: Command): Promise<void> {
  const json = globals(cmd).json;
  const r = await openRepo(cmd, { noIndex: true, noCache: true });
  const res = await locked(r, true, () =>
    repairIndex(r, { readAllPacks: f.readAllPacks, log: json ? undefined : say }),
  );
  if (json)
    sayJson({
      message_type: 'summary',
      packs_added: res.packsAdded.length,
      packs_removed: res.packsRemoved.length,
      packs_skipped: res.packsSkipped,
      index_files_written: res.indexFilesWritten.length,
      index_files_removed: res.indexFilesRemoved.length,
    });
  else say('done');
}

function withRepairIndexOptions(c: Command): Command {
  return c
    .option('--read-all-packs', 'read all pack files to generate a new index from scratch')
    .action(runRepairIndex);
}

/** Registers `repair` (index, snapshots) and `rebuild-index`. */
export function registerRepairCommands(repo: Command): void {
  const repair = repo.command('repair').description('repair the repository');
  withRepairIndexOptions(
    repair.command('index').description('build a new index from the pack files the repository holds'),
  );
  withRepairIndexOptions(
    repo.command('rebuild-index').description('build a new index (older name of "repair index")'),
  );

  withFilterOptions(
    repair
      .command('snapshots')
      .description('rewrite snapshots whose trees reference missing data (run "repair index" first)')
      .argument('[ids...]', 'snapshot ids (default: all)'),
  )
    .option('-n, --dry-run', 'do not do anything, just print what would be done')
    .option('--forget', 'remove original snapshots after creating new ones')
    .action(async (ids: string[], f: RepairSnapshotFlags, cmd: Command) => {
      const json = globals(cmd).json;
      const r = await openRepo(cmd, { noCache: true });
      const done = await locked(r, true, async () => {
        let snapshots: StoredSnapshot[] | undefined;
        if (ids.length) {
          try {
            snapshots = await Promise.all(ids.map((id) => r.findSnapshot(id, filterOf(f))));
          } catch (e) {
            throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
          }
        }
        return repairSnapshots(r, {
          snapshots,
          filter: filterOf(f),
          dryRun: f.dryRun,
          forget: f.forget,
          log: json ? undefined : say,
        });
      });
      if (json) return sayJson({ message_type: 'summary', dry_run: f.dryRun ?? false, snapshots: done });
      say('');
      const verb = f.dryRun ? 'would be modified' : 'were modified';
      if (done.length === 0) say(`no snapshots ${verb}`);
      else say(f.dryRun ? `would modify ${done.length} snapshots` : `modified ${done.length} snapshots`);
    });
}
