/**
 * `steward repo check`: the repository's structure, and with `--read-data` every pack's bytes, or with
 * `--read-data-subset` (n/t, x% or a size, as restic) a part of them: company backups read one group a night.
 */
import type { Command } from 'commander';
import { checkRepository } from '../backup/check.js';
import { DataSubsetError, describeSubset, parseDataSubset, selectPacks } from '../backup/check-subset.js';
import type { DataSubset } from '../backup/check-subset.js';
import { CliError } from './io.js';
import { EXIT, globals, info, openRepo, readLocked, say, sayJson } from './repo.js';

type CheckFlags = { readData?: boolean; readDataSubset?: string; checkUnused?: boolean };

function subsetOf(f: CheckFlags): DataSubset | undefined {
  if (f.readDataSubset === undefined) return undefined;
  if (f.readData)
    throw new CliError('check flags --read-data and --read-data-subset cannot be used together', EXIT.error);
  try {
    return parseDataSubset(f.readDataSubset);
  } catch (e) {
    if (e instanceof DataSubsetError) throw new CliError(e.message, EXIT.error);
    throw e;
  }
}

/** Registers `check`. */
export function registerCheckCommand(repo: Command): void {
  repo
    .command('check')
    .description('check the repository for errors')
    .option('--read-data', 'read and verify all data')
    .option(
      '--read-data-subset <subset>',
      'read a subset of the data packs: n/t, x% or a size (e.g. 1/5, 10%, 500M)',
    )
    .option('--check-unused', 'report blobs no snapshot uses')
    .action(async (f: CheckFlags, cmd: Command) => {
      const json = globals(cmd).json;
      const subset = subsetOf(f);
      // Never the local cache: check reads the repository itself (restic's check uses a fresh cache).
      const r = await openRepo(cmd, { noCache: true });
      const res = await readLocked(cmd, r, true, () =>
        checkRepository(r, {
          readData: f.readData,
          checkUnused: f.checkUnused,
          readDataSubset: subset
            ? (packs) => {
                const chosen = selectPacks(packs, subset);
                if (!json) say(describeSubset(subset, chosen.length, packs.size));
                return chosen;
              }
            : undefined,
        }),
      );
      if (json)
        sayJson({
          message_type: 'summary',
          num_errors: res.errors.length,
          errors: res.errors,
          warnings: res.warnings,
          snapshots: res.snapshots,
          trees: res.trees,
          packs: res.packs,
          packs_read: res.packsRead,
        });
      else {
        for (const w of res.warnings) say(`warning: ${w.message}`);
        for (const e of res.errors) process.stderr.write(`error: ${e.message}\n`);
        if (res.errors.length) say(`Fatal: repository contains ${res.errors.length} errors`);
        else info('no errors were found');
      }
      if (res.errors.length) process.exitCode = EXIT.error;
    });
}
