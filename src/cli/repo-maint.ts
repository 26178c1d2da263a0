/**
 * Maintenance `repo` subcommands: init, forget, prune, key add/list/remove/passwd, unlock.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { forget } from '../backup/forget.js';
import type { KeepPolicy } from '../backup/forget-policy.js';
import { isEmptyPolicy, parseDuration, parseGroupBy } from '../backup/forget-policy.js';
import { formatRFC3339Nano } from '../backup/gojson.js';
import { initRepository, RepositoryExistsError } from '../backup/init.js';
import { addKey, calibrateKdf, changePassword, listKeys, removeKey } from '../backup/keys.js';
import { unlockRepository } from '../backup/lock.js';
import { formatBytes } from '../backup/progress.js';
import { prune, PruneRefusedError } from '../backup/prune.js';
import type { PruneOptions, PruneStats } from '../backup/prune.js';
import { lockTarget } from '../backup/repo-adapters.js';
import type { Repository } from '../backup/repository.js';
import { CliError, readSecret } from './io.js';
import { parsePackSize } from './repo-backup.js';
import { snapshotJson } from './repo-read.js';
import {
  backendOf,
  collect,
  EXIT,
  filterOf,
  globals,
  locked,
  openRepo,
  passwordOf,
  say,
  sayJson,
  withFilterOptions,
} from './repo.js';

async function newPassword(file: string | undefined): Promise<string> {
  if (file)
    return (
      readFileSync(file, 'utf8')
        .replace(/\r?\n$/, '')
        .split(/\r?\n/)[0] ?? ''
    );
  const pw = await readSecret('enter new password', true);
  if (!pw) throw new CliError('an empty password is not a password', EXIT.error);
  return pw;
}

/** Parses a size as restic does: bytes, or a number with K, M, G or T (powers of 1024). */
export function parseSize(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/i.exec(v.trim());
  if (!m) throw new CliError(`--${flag} must be a size, e.g. 500M or 2G`, EXIT.error);
  const pow = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return Math.floor(Number(m[1]) * 1024 ** pow);
}

/** Parses `--max-unused` as restic does: a percentage ("5%"), an absolute size ("10M") or "unlimited". */
export function parseMaxUnused(v: string): number | { bytes: number } | 'unlimited' {
  const t = v.trim();
  if (t === 'unlimited') return 'unlimited';
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) {
    const n = Number(pct[1]);
    if (n >= 100) throw new CliError('--max-unused percentage must be below 100%', EXIT.error);
    return n / 100;
  }
  if (!/^\d+(?:\.\d+)?\s*[kmgt]?b?$/i.test(t))
    throw new CliError('--max-unused must be a percentage (5%), a size (10M) or "unlimited"', EXIT.error);
  return { bytes: parseSize(t, 'max-unused') };
}

function intFlag(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < -1)
    throw new CliError(`--${name} must be a whole number (-1 = unlimited)`, EXIT.error);
  return n;
}

function printPrune(st: PruneStats, json: boolean | undefined, dry: boolean | undefined): void {
  if (json) return sayJson({ message_type: 'prune', dry_run: dry ?? false, ...st });
  say(`used:   ${st.usedBlobs} blobs / ${formatBytes(st.usedBytes)}`);
  say(`unused: ${formatBytes(st.unusedBytes)} (${st.duplicateBlobs} duplicate blobs)`);
  say(
    `${dry ? 'would remove' : 'removed'} ${st.packsRemoved} packs (${st.packsUnindexed} not in any index), ${dry ? 'would repack' : 'repacked'} ${st.packsRepacked} (${formatBytes(st.bytesRepacked)}), freed ${formatBytes(Math.max(0, st.bytesFreed))}`,
  );
}

type PruneFlags = {
  maxUnused: string;
  dryRun?: boolean;
  packSize?: string;
  maxRepackSize?: string;
  repackSmall?: boolean;
  repackUncompressed?: boolean;
  repackCacheableOnly?: boolean;
};

/** Prune's options from its flags, checked before anything is written (`forget --prune` forgets nothing on a bad one). */
function pruneOptionsOf(f: PruneFlags, json: boolean | undefined): PruneOptions {
  return {
    maxUnused: parseMaxUnused(f.maxUnused),
    maxRepackSize: f.maxRepackSize === undefined ? undefined : parseSize(f.maxRepackSize, 'max-repack-size'),
    repackSmall: f.repackSmall,
    repackUncompressed: f.repackUncompressed,
    repackCacheableOnly: f.repackCacheableOnly,
    dryRun: f.dryRun,
    packSize: parsePackSize(f.packSize),
    log: json ? undefined : say,
  };
}

async function runPrune(r: Repository, o: PruneOptions, json: boolean | undefined): Promise<void> {
  try {
    printPrune(await prune(r, o), json, o.dryRun);
  } catch (e) {
    if (e instanceof PruneRefusedError) throw new CliError(e.message, EXIT.error);
    throw e;
  }
}

/** The options that choose what prune repacks: shared by `prune` and `forget --prune` (as in restic). */
function withPruneOptions(c: Command, prefix: string): Command {
  return c
    .option(
      '--max-unused <limit>',
      `${prefix}tolerated unused space: a percentage of used, a size or "unlimited"`,
      '5%',
    )
    .option(
      '--max-repack-size <size>',
      `${prefix}stop choosing packs to repack once their total reaches this size`,
    )
    .option('--repack-small', `${prefix}repack packs below 80% of the target pack size`)
    .option('--repack-uncompressed', `${prefix}repack packs holding uncompressed data (compressing it)`)
    .option('--repack-cacheable-only', `${prefix}only repack packs holding trees`)
    .option('--pack-size <MiB>', `${prefix}pack size for repacked data`);
}

type ForgetFlags = PruneFlags & {
  host: string[];
  tag: string[];
  path: string[];
  keepLast?: string;
  keepHourly?: string;
  keepDaily?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  keepYearly?: string;
  keepWithin?: string;
  keepWithinHourly?: string;
  keepWithinDaily?: string;
  keepWithinWeekly?: string;
  keepWithinMonthly?: string;
  keepWithinYearly?: string;
  keepTag: string[];
  groupBy: string;
  prune?: boolean;
};

/** Registers init, forget, prune, key and unlock. */
export function registerMaintenanceCommands(repo: Command): void {
  repo
    .command('init')
    .description('create a new repository')
    .option('--repository-version <v>', 'repository format: 1, 2, latest or stable', 'stable')
    .action(async (f: { repositoryVersion: string }, cmd: Command) => {
      const g = globals(cmd);
      const v =
        f.repositoryVersion === '1' ? 1 : ['2', 'latest', 'stable'].includes(f.repositoryVersion) ? 2 : null;
      if (v === null) throw new CliError('--repository-version must be 1, 2, latest or stable', EXIT.error);
      const backend = await backendOf(cmd);
      const password = await passwordOf(g, true);
      try {
        const r = await initRepository(backend, password, { version: v, kdf: await calibrateKdf() });
        if (g.json) sayJson({ message_type: 'initialized', id: r.config.id, repository: backend.location });
        else
          say(
            `created restic repository ${r.config.id.slice(0, 10)} at ${backend.location}\n\nPlease note that knowledge of your password is required to access\nthe repository. Losing your password means that your data is\nirrecoverably lost.`,
          );
      } catch (e) {
        if (e instanceof RepositoryExistsError) throw new CliError(e.message, EXIT.error);
        throw e;
      }
    });

  const forgetCmd = withFilterOptions(
    repo
      .command('forget')
      .description('remove snapshots by policy or id')
      .argument('[ids...]', 'snapshot ids to remove'),
  )
    .option('-l, --keep-last <n>', 'keep the last n snapshots')
    .option('-H, --keep-hourly <n>', 'keep the last n hourly snapshots')
    .option('-d, --keep-daily <n>', 'keep the last n daily snapshots')
    .option('-w, --keep-weekly <n>', 'keep the last n weekly snapshots')
    .option('-m, --keep-monthly <n>', 'keep the last n monthly snapshots')
    .option('-y, --keep-yearly <n>', 'keep the last n yearly snapshots')
    .option(
      '--keep-within <duration>',
      'keep snapshots newer than duration (e.g. 1y5m7d2h) before the latest',
    )
    .option('--keep-within-hourly <duration>', 'keep hourly snapshots within duration')
    .option('--keep-within-daily <duration>', 'keep daily snapshots within duration')
    .option('--keep-within-weekly <duration>', 'keep weekly snapshots within duration')
    .option('--keep-within-monthly <duration>', 'keep monthly snapshots within duration')
    .option('--keep-within-yearly <duration>', 'keep yearly snapshots within duration')
    .option('--keep-tag <tags>', 'keep snapshots with these tags (repeatable)', collect, [])
    .option('-g, --group-by <fields>', 'group by host, paths, tags', 'host,paths')
    .option('-n, --dry-run', 'only show what would be removed')
    .option('--prune', 'run prune afterwards');
  withPruneOptions(forgetCmd, 'prune: ').action(async (ids: string[], f: ForgetFlags, cmd: Command) => {
    const g = globals(cmd);
    const d = (v: string | undefined): ReturnType<typeof parseDuration> | undefined => {
      if (v === undefined) return undefined;
      try {
        return parseDuration(v);
      } catch (e) {
        throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
      }
    };
    const policy: KeepPolicy = {
      last: intFlag(f.keepLast, 'keep-last'),
      hourly: intFlag(f.keepHourly, 'keep-hourly'),
      daily: intFlag(f.keepDaily, 'keep-daily'),
      weekly: intFlag(f.keepWeekly, 'keep-weekly'),
      monthly: intFlag(f.keepMonthly, 'keep-monthly'),
      yearly: intFlag(f.keepYearly, 'keep-yearly'),
      within: d(f.keepWithin),
      withinHourly: d(f.keepWithinHourly),
      withinDaily: d(f.keepWithinDaily),
      withinWeekly: d(f.keepWithinWeekly),
      withinMonthly: d(f.keepWithinMonthly),
      withinYearly: d(f.keepWithinYearly),
      tags: f.keepTag,
    };
    if (ids.length === 0 && isEmptyPolicy(policy))
      throw new CliError('no policy was specified, no snapshots will be removed', EXIT.error);
    let groupBy;
    try {
      groupBy = parseGroupBy(f.groupBy);
    } catch (e) {
      throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
    }
    const pruneOptions = f.prune && !f.dryRun ? pruneOptionsOf(f, g.json) : undefined;
    const r = await openRepo(cmd);
    const res = await forget(r, { policy, groupBy, filter: filterOf(f), ids, dryRun: f.dryRun }).catch(
      (e: unknown) => {
        throw e instanceof Error && e.name === 'LockConflictError'
          ? new CliError(`unable to create lock in backend: ${e.message}`, EXIT.locked)
          : e;
      },
    );
    if (g.json) {
      sayJson(
        res.groups.map((x) => ({
          tags: x.key.tags,
          host: x.key.hostname,
          paths: x.key.paths,
          keep: x.keep.map(snapshotJson),
          remove: x.remove.length ? x.remove.map(snapshotJson) : null,
          reasons: x.reasons.map((y) => ({ snapshot: snapshotJson(y.snapshot), matches: y.matches })),
        })),
      );
    } else {
      for (const x of res.groups) {
        say(
          `snapshots for (host [${x.key.hostname}], paths [${(x.key.paths ?? []).join(', ')}]${x.key.tags ? `, tags [${x.key.tags.join(', ')}]` : ''}):`,
        );
        say(`keep ${x.keep.length} snapshots: ${x.keep.map((s) => s.id.slice(0, 8)).join(' ')}`);
        say(
          `${f.dryRun ? 'would remove' : 'remove'} ${x.remove.length} snapshots: ${x.remove.map((s) => s.id.slice(0, 8)).join(' ')}`,
        );
      }
    }
    if (pruneOptions) await runPrune(r, pruneOptions, g.json);
  });

  withPruneOptions(
    repo
      .command('prune')
      .description('remove data not referenced by any snapshot')
      .option('-n, --dry-run', 'only show what would be done'),
    '',
  ).action(async (f: PruneFlags, cmd: Command) => {
    const json = globals(cmd).json;
    const o = pruneOptionsOf(f, json);
    const r = await openRepo(cmd);
    await runPrune(r, o, json).catch((e: unknown) => {
      throw e instanceof Error && e.name === 'LockConflictError'
        ? new CliError(`unable to create lock in backend: ${e.message}`, EXIT.locked)
        : e;
    });
  });

  const key = repo.command('key').description('manage keys (passwords)');
  key
    .command('list')
    .description('list keys')
    .action(async (_f: unknown, cmd: Command) => {
      const r = await openRepo(cmd, { noIndex: true });
      const keys = await listKeys(r.backend);
      if (globals(cmd).json) {
        return sayJson(
          keys.map((k) => ({
            current: k.id === r.keyId,
            id: k.id.slice(0, 8),
            userName: k.username,
            hostName: k.hostname,
            created: formatRFC3339Nano(k.created).slice(0, 19).replace('T', ' '),
          })),
        );
      }
      for (const k of keys)
        say(
          `${k.id === r.keyId ? '*' : ' '}${k.id.slice(0, 8)}  ${k.username.padEnd(10)} ${k.hostname.padEnd(12)} ${formatRFC3339Nano(k.created).slice(0, 19).replace('T', ' ')}`,
        );
    });
  key
    .command('add')
    .description('add a key (another password for the same repository)')
    .option('--new-password-file <file>', 'read the new password from a file')
    .action(async (f: { newPasswordFile?: string }, cmd: Command) => {
      const r = await openRepo(cmd, { noIndex: true });
      const id = await addKey(r.backend, r.key, await newPassword(f.newPasswordFile), {
        kdf: await calibrateKdf(),
      });
      if (globals(cmd).json) sayJson({ message_type: 'key_added', id });
      else say(`saved new key with ID ${id}`);
    });
  key
    .command('remove')
    .description('remove a key')
    .argument('<id>', 'key id (prefix)')
    .action(async (ref: string, _f: unknown, cmd: Command) => {
      const r = await openRepo(cmd, { noIndex: true });
      const ids = (await listKeys(r.backend)).map((k) => k.id).filter((id) => id.startsWith(ref));
      if (ids.length !== 1)
        throw new CliError(ids.length ? `key id ${ref} is ambiguous` : `no key with id ${ref}`, EXIT.error);
      try {
        await locked(r, true, () => removeKey(r.backend, ids[0]!, r.keyId));
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
      }
      if (globals(cmd).json) sayJson({ message_type: 'key_removed', id: ids[0] });
      else say(`removed key ${ids[0]}`);
    });
  key
    .command('passwd')
    .description('change the password of the key in use')
    .option('--new-password-file <file>', 'read the new password from a file')
    .action(async (f: { newPasswordFile?: string }, cmd: Command) => {
      const r = await openRepo(cmd, { noIndex: true });
      const pw = await newPassword(f.newPasswordFile);
      const id = await locked(r, true, async () =>
        changePassword(r.backend, { masterKey: r.key, keyId: r.keyId }, pw, { kdf: await calibrateKdf() }),
      );
      if (globals(cmd).json) sayJson({ message_type: 'password_changed', id });
      else say('saved new password');
    });

  repo
    .command('unlock')
    .description('remove stale locks')
    .option('--remove-all', 'remove all locks, even active ones')
    .action(async (f: { removeAll?: boolean }, cmd: Command) => {
      const r = await openRepo(cmd, { noIndex: true });
      const removed = await unlockRepository(lockTarget(r), f.removeAll ?? false);
      if (globals(cmd).json) sayJson({ message_type: 'unlock', removed });
      else say(`successfully removed ${removed.length} locks`);
    });
}
