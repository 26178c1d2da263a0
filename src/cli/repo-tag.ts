/**
 * `steward repo tag`: `--set`, `--add`, `--remove` on the snapshots named or matching --host/--tag/--path,
 * with restic's rules and messages.
 */
import type { Command } from 'commander';
import { tagSnapshots } from '../backup/tag.js';
import type { StoredSnapshot } from '../backup/snapshot.js';
import { CliError } from './io.js';
import {
  collect,
  EXIT,
  filterOf,
  globals,
  locked,
  openRepo,
  say,
  sayJson,
  withFilterOptions,
} from './repo.js';

type TagFlags = {
  host: string[];
  tag: string[];
  path: string[];
  set: string[];
  add: string[];
  remove: string[];
};

const split = (l: string[]): string[] => l.flatMap((t) => t.split(',')).filter((t) => t !== '');

/** Registers `tag`. */
export function registerTagCommand(repo: Command): void {
  withFilterOptions(
    repo
      .command('tag')
      .description('modify tags on snapshots')
      .argument('[ids...]', 'snapshot ids (default: every snapshot matching the filters)'),
  )
    .option('--set <tags>', 'replace the tags (comma-separated; repeatable; "" clears)', collect, [])
    .option('--add <tags>', 'add tags (comma-separated; repeatable)', collect, [])
    .option('--remove <tags>', 'remove tags (comma-separated; repeatable)', collect, [])
    .action(async (ids: string[], f: TagFlags, cmd: Command) => {
      const set = f.set.length ? (f.set.every((t) => t === '') ? [''] : split(f.set)) : [];
      const add = split(f.add);
      const remove = split(f.remove);
      if (set.length === 0 && add.length === 0 && remove.length === 0)
        throw new CliError('nothing to do', EXIT.error);
      if (set.length > 0 && (add.length > 0 || remove.length > 0))
        throw new CliError('--set and --add/--remove cannot be given at the same time', EXIT.error);
      const r = await openRepo(cmd, { noIndex: true });
      const done = await locked(r, true, async () => {
        let snaps: StoredSnapshot[];
        try {
          snaps = ids.length
            ? await Promise.all(ids.map((id) => r.findSnapshot(id, filterOf(f))))
            : await r.listSnapshots(filterOf(f));
        } catch (e) {
          throw new CliError(e instanceof Error ? e.message : String(e), EXIT.error);
        }
        return tagSnapshots(r, snaps, { set, add, remove });
      });
      if (globals(cmd).json) {
        for (const d of done)
          sayJson({ message_type: 'changed', old_snapshot_id: d.oldId, new_snapshot_id: d.newId });
        return sayJson({ message_type: 'summary', changed_snapshots: done.length });
      }
      say(done.length ? `modified tags on ${done.length} snapshots` : 'no snapshots were modified');
    });
}
