/**
 * Where the agent's restores write: never straight into the destination. The engine restores into a staging
 * folder inside the destination (same file system, so moving is a rename), the files are verified there, and only
 * complete, verified files are moved into place, following the request's overwrite choice. A restore that is
 * cancelled or fails before that leaves nothing in the destination: the staging folder is removed (and the
 * destination too when the restore created it and it is empty). A file that failed or did not verify stays out.
 */
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';

/** What moving a staged restore into place did. */
export interface Placed {
  /** Destination paths left as they were (overwrite never / if-newer). */
  skipped: string[];
  /** Items that could not be moved into place, with why. */
  problems: string[];
}

/** The staging folder of restore `id` inside `dest`. */
export const stagingOf = (dest: string, id: string) => join(dest, `.steward-restore-${id}`);

/**
 * Creates the destination (and the folders above it that are missing) and an empty staging folder in it;
 * returns the staging folder and the first folder created (undefined when the destination existed).
 */
export async function prepare(
  dest: string,
  id: string,
): Promise<{ staging: string; made: string | undefined }> {
  const made = await fs.mkdir(dest, { recursive: true });
  const staging = stagingOf(dest, id);
  await fs.rm(staging, { recursive: true, force: true }); // left by an earlier attempt of this restore
  await fs.mkdir(staging, { mode: 0o700 });
  return { staging, made };
}

/**
 * Removes the staging folder, and the folders `prepare` created when they are empty (so a cancelled restore
 * into a new folder leaves no trace). Never throws.
 */
export async function discard(dest: string, staging: string, made: string | undefined): Promise<void> {
  await removeAll(staging).catch(() => undefined);
  if (!made) return;
  for (let dir = dest; dir.startsWith(made); dir = dirname(dir)) {
    if (
      !(await fs.rmdir(dir).then(
        () => true,
        () => false,
      ))
    )
      return;
    if (dir === made) return;
  }
}

/** Removes a folder and all it holds, read-only folders too (restored folders keep the backup's modes). */
async function removeAll(path: string): Promise<void> {
  try {
    await fs.rm(path, { recursive: true, force: true });
  } catch {
    await writable(path);
    await fs.rm(path, { recursive: true, force: true });
  }
}

/** Makes `dir` and every folder below it writable by us (not following links). */
async function writable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o700);
  for (const e of await fs.readdir(dir, { withFileTypes: true }))
    if (e.isDirectory()) await writable(join(dir, e.name));
}

type Overwrite = 'always' | 'never' | 'if-newer';

const lstat = (p: string) =>
  fs.lstat(p, { bigint: true }).catch((e: unknown) => {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  });

/** True when something at `path`, or below it, is in `left` (failed or unverified: not to be moved). */
const touches = (left: ReadonlySet<string>, path: string) =>
  left.has(path) || [...left].some((l) => l.startsWith(`${path}/`));

/**
 * Moves what is in `staging` into `dest`: an item not there yet is renamed into place whole (a folder with all it
 * holds); a folder already there is merged into, and takes the staged folder's mode and times after; anything
 * else already there is replaced or kept as `overwrite` says (if-newer: replaced when the restored copy's
 * modification time is later). Staged paths in `left` (failed or unverified files) are not moved.
 */
export async function moveIntoPlace(
  staging: string,
  dest: string,
  overwrite: Overwrite,
  left: ReadonlySet<string>,
): Promise<Placed> {
  const out: Placed = { skipped: [], problems: [] };
  await merge(staging, dest, overwrite, left, out);
  return out;
}

async function merge(from: string, to: string, overwrite: Overwrite, left: ReadonlySet<string>, out: Placed) {
  for (const name of await fs.readdir(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    if (left.has(src)) continue;
    try {
      const staged = (await lstat(src))!;
      const there = await lstat(dst);
      if (staged.isDirectory() && (!there || there.isDirectory())) {
        if (!there && !touches(left, src)) {
          await fs.rename(src, dst);
          continue;
        }
        if (!there) await fs.mkdir(dst, { mode: 0o700 });
        await fs.chmod(src, 0o700); // its items are moved out of it; the destination takes its mode after
        await merge(src, dst, overwrite, left, out);
        await fs.chmod(dst, Number(staged.mode & 0o7777n));
        await fs.utimes(dst, Number(staged.atimeNs) / 1e9, Number(staged.mtimeNs) / 1e9);
        continue;
      }
      if (there?.isDirectory()) {
        out.problems.push(`${dst}: a folder is in the way; left as it is`);
        continue;
      }
      if (staged.isDirectory()) {
        // A file (or link) where the backup has a folder: replaced only when asked to overwrite.
        if (overwrite !== 'always') {
          out.skipped.push(dst);
          continue;
        }
        await fs.rm(dst, { force: true });
        await fs.rename(src, dst);
        continue;
      }
      const keep =
        there !== undefined &&
        (overwrite === 'never' ||
          (overwrite === 'if-newer' && staged.mtimeNs / 1000n <= there.mtimeNs / 1000n));
      if (keep) out.skipped.push(dst);
      else await fs.rename(src, dst); // replaces a file or link there in one step, never writing through a link
    } catch (e) {
      out.problems.push(`${dst}: could not be moved into place (${(e as Error).message})`);
    }
  }
}
