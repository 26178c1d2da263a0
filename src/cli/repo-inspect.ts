/**
 * `steward repo list|cat|version`: look inside a repository as restic's commands do (JSON documents printed
 * indented, packs and blobs as raw bytes).
 */
import type { Command } from 'commander';
import { PROGRAM_VERSION } from '../backup/archiver.js';
import { BlobNotFoundError, SnapshotNotFoundError } from '../backup/errors.js';
import { CAT_KINDS, catObject, InspectError, listObjects } from '../backup/inspect.js';
import type { CatKind } from '../backup/inspect.js';
import { CliError } from './io.js';
import { EXIT, globals, openRepo, say, sayJson } from './repo.js';

const RAW = new Set<CatKind>(['pack', 'blob']);

function usageError(e: unknown): never {
  if (e instanceof InspectError || e instanceof BlobNotFoundError || e instanceof SnapshotNotFoundError)
    throw new CliError(e.message, EXIT.error);
  throw e;
}

/** Registers `list`, `cat` and `version`. */
export function registerInspectCommands(repo: Command): void {
  repo
    .command('list')
    .description('list objects in the repository: blobs, packs, index, snapshots, keys, locks')
    .argument('<type>', 'blobs | packs | index | snapshots | keys | locks')
    .action(async (type: string, _f: unknown, cmd: Command) => {
      const r = await openRepo(cmd, { noIndex: type !== 'blobs' });
      try {
        for await (const line of listObjects(r, type)) say(line);
      } catch (e) {
        usageError(e);
      }
    });

  repo
    .command('cat')
    .description('print an object: config, index, snapshot, key, masterkey, lock, pack, blob, tree')
    .argument('<type>', CAT_KINDS.join(' | '))
    .argument('[id]', 'object id (prefix); for tree: snapshot[:path]')
    .action(async (type: string, id: string | undefined, _f: unknown, cmd: Command) => {
      if (!(CAT_KINDS as readonly string[]).includes(type))
        throw new CliError(`invalid type "${type}"`, EXIT.error);
      const kind = type as CatKind;
      const r = await openRepo(cmd, { noIndex: !['blob', 'tree'].includes(kind) });
      let bytes: Buffer;
      try {
        bytes = await catObject(r, kind, id);
      } catch (e) {
        usageError(e);
      }
      if (RAW.has(kind) || kind === 'tree') process.stdout.write(bytes);
      else say(JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 2));
    });

  repo
    .command('version')
    .description('print version information')
    .action((_f: unknown, cmd: Command) => {
      const [name, version] = PROGRAM_VERSION.split(' ');
      if (globals(cmd).json)
        return sayJson({
          message_type: 'version',
          version,
          node_version: process.version,
          go_os: process.platform,
          go_arch: process.arch,
        });
      say(`${name} ${version} compiled with node ${process.version} on ${process.platform}/${process.arch}`);
    });
}
