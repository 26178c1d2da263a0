/**
 * `steward repo dump <snapshot> <path>`: a file's bytes, or a folder (`/`: the whole snapshot) as a tar archive,
 * on standard output, as restic's dump (`--archive zip`: a zip archive instead, as restic 0.14 writes it).
 */
import { once } from 'node:events';
import type { Command } from 'commander';
import { dumpTar, fileContents, findDumpTarget } from '../backup/dump.js';
import { dumpZip } from '../backup/dump-zip.js';
import { BlobNotFoundError, SnapshotNotFoundError } from '../backup/errors.js';
import { CliError } from './io.js';
import { EXIT, filterOf, openRepo, readLocked, withFilterOptions } from './repo.js';

type DumpFlags = { host: string[]; tag: string[]; path: string[]; archive: string };

/** Writes to standard output, waiting while it is full (a slow reader, a pipe). */
async function write(chunk: Buffer): Promise<void> {
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}

/** Registers `dump`. */
export function registerDumpCommand(repo: Command): void {
  withFilterOptions(
    repo
      .command('dump')
      .description(
        'print a file of a snapshot, or a folder as a tar or zip archive ("/" for the whole snapshot)',
      )
      .argument('<snapshot>', 'snapshot id or "latest"')
      .argument('<file>', 'path in the snapshot'),
  )
    .option('-a, --archive <format>', 'archive format for folders: tar or zip', 'tar')
    .action(async (ref: string, path: string, f: DumpFlags, cmd: Command) => {
      if (f.archive !== 'tar' && f.archive !== 'zip')
        throw new CliError(
          `unknown archive format ${JSON.stringify(f.archive)} (use tar or zip)`,
          EXIT.error,
        );
      const r = await openRepo(cmd);
      await readLocked(cmd, r, false, async () => {
        try {
          const s = await r.findSnapshot(ref, ref === 'latest' ? filterOf(f) : {});
          const target = await findDumpTarget(r, s.tree, path);
          const node = target.node;
          if (node !== null && node.type !== 'dir' && node.type !== 'file')
            throw new CliError(
              `cannot dump file: ${JSON.stringify(path)} should be a file, but is a ${JSON.stringify(node.type)}`,
              EXIT.error,
            );
          const archive = f.archive === 'zip' ? dumpZip : dumpTar;
          const chunks = node === null || node.type === 'dir' ? archive(r, target) : fileContents(r, node);
          for await (const c of chunks) await write(c);
        } catch (e) {
          if (e instanceof SnapshotNotFoundError || e instanceof BlobNotFoundError)
            throw new CliError(`cannot dump file: ${e.message}`, EXIT.error);
          throw e;
        }
      });
    });
}
