/**
 * A drill's test restore of one device: the newest snapshot of its repository restored whole into a scratch
 * folder on the server, every file re-read and compared blob by blob with the snapshot's hashes (the engine's
 * `verify`), then hashed (SHA-256) into a manifest that the evidence keeps. The scratch folder is removed
 * afterwards, whatever happened. The repository is read under a shared lock, so the server's prune waits.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../../backup/errors.js';
import { withLock } from '../../../backup/lock.js';
import { lockTarget } from '../../../backup/repo-adapters.js';
import type { Repository } from '../../../backup/repository.js';
import { restoreSnapshot, type RestoreIssue } from '../../../backup/restore.js';
import type { StoredSnapshot } from '../../../backup/snapshot.js';
import { walkTree } from '../../../backup/walk.js';

/** The first problems kept per step (their count is kept too). */
const MAX_PROBLEMS = 20;
/** Files listed by name and hash in the evidence, per step (the manifest's hash covers all of them). */
const MAX_LISTED = 100;

/** What a test restore found. */
export interface RestoreOutcome {
  snapshot: { id: string; time: Date; tree: string; hostname: string | null; paths: string[] } | null;
  files: number;
  bytes: number;
  verifiedFiles: number;
  /** Files that could not be restored or did not match the snapshot. */
  mismatches: number;
  problems: RestoreIssue[];
  /** SHA-256 over "<sha256>  <path>\n" of every restored file, in snapshot order. */
  manifestSha256: string | null;
  /** The first files with their SHA-256. */
  listed: { path: string; sha256: string }[];
  /** Why the step failed as a whole (no snapshot, storage gone), or null. */
  error: string | null;
}

/** The outcome of a step that restored nothing, and why. */
export function failedOutcome(error: string): RestoreOutcome {
  return {
    snapshot: null,
    files: 0,
    bytes: 0,
    verifiedFiles: 0,
    mismatches: 0,
    problems: [],
    manifestSha256: null,
    listed: [],
    error,
  };
}

/** The snapshot a drill restores: the newest one. */
async function latestSnapshot(repo: Repository): Promise<StoredSnapshot | undefined> {
  return (await repo.listSnapshots()).at(-1);
}

/** The time of a snapshot (GoTime, nanoseconds) as a Date. */
export function snapshotDate(s: StoredSnapshot): Date {
  return new Date(Number(s.time.ns / 1_000_000n));
}

function sha256File(path: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** Removes a scratch folder, making read-only folders the snapshot restored writable first. */
export async function removeScratch(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch {
    const { execFile } = await import('node:child_process');
    await new Promise((resolve) => execFile('chmod', ['-R', 'u+w', dir], resolve));
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Hashes every restored file of the snapshot; files already known to be bad are left out of `verified`. */
async function manifestOf(repo: Repository, tree: string, scratch: string, bad: Set<string>) {
  const h = createHash('sha256');
  const listed: { path: string; sha256: string }[] = [];
  const unreadable: RestoreIssue[] = [];
  let files = 0;
  let bytes = 0;
  let verified = 0;
  const root = Buffer.from(scratch);
  for await (const e of walkTree(repo, tree)) {
    if (e.node.type !== 'file') continue;
    files++;
    bytes += e.node.size ?? 0;
    const at = Buffer.concat([root, ...e.parts.flatMap((p) => [Buffer.from('/'), p])]);
    if (bad.has(e.path)) continue;
    try {
      const sum = await sha256File(at);
      h.update(`${sum}  ${e.path}\n`);
      if (listed.length < MAX_LISTED) listed.push({ path: e.path, sha256: sum });
      verified++;
    } catch (err) {
      unreadable.push({ path: e.path, message: errorMessage(err) });
    }
  }
  return { files, bytes, verified, unreadable, listed, sha256: h.digest('hex') };
}

/**
 * Restores the newest snapshot of `repo` into `scratch` (created, and removed afterwards) and verifies it.
 * Never throws for what the repository holds: a missing snapshot, damaged data or a file that differs is the
 * outcome's `error` or `problems`.
 */
export async function testRestore(repo: Repository, scratch: string): Promise<RestoreOutcome> {
  try {
    return await withLock(lockTarget(repo), false, async () => {
      const snap = await latestSnapshot(repo);
      if (!snap) return failedOutcome('the repository holds no snapshot');
      const snapshot = {
        id: snap.id,
        time: snapshotDate(snap),
        tree: snap.tree,
        hostname: snap.hostname ?? null,
        paths: snap.paths,
      };
      await mkdir(scratch, { recursive: true, mode: 0o700 });
      const res = await restoreSnapshot(repo, snap.tree, {
        target: scratch,
        verify: true,
        owner: false,
        // Blobs are decrypted and checked on a worker thread, so the server keeps answering requests.
        workers: 1,
      });
      // The engine names files by where it wrote them; the evidence names them as the snapshot does.
      const issues = [...res.errors, ...res.verifyErrors].map((i) => ({
        path: i.path.startsWith(`${scratch}/`) ? i.path.slice(scratch.length) : i.path,
        message: i.message,
      }));
      const bad = new Set(issues.map((i) => i.path));
      const m = await manifestOf(repo, snap.tree, scratch, bad);
      const problems = [...issues, ...m.unreadable];
      return {
        snapshot,
        files: m.files,
        bytes: m.bytes,
        verifiedFiles: m.verified,
        mismatches: new Set(problems.map((p) => p.path)).size,
        problems: problems.slice(0, MAX_PROBLEMS),
        manifestSha256: m.sha256,
        listed: m.listed,
        error: null,
      };
    });
  } catch (e) {
    return failedOutcome(errorMessage(e));
  } finally {
    await removeScratch(scratch);
  }
}

/** The scratch folder of one step of a drill, below `base`. */
export const scratchOf = (base: string, drillId: string, position?: number): string =>
  position === undefined
    ? join(base, 'steward-drills', drillId)
    : join(base, 'steward-drills', drillId, String(position));
