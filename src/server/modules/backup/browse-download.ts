/**
 * Downloads from a device's backups: one file, streamed blob by blob (each blob checked against its id), or a
 * folder as a ZIP archive written as it streams (zip.ts). Memory stays flat whatever the size: one blob at a
 * time, the folder walked lazily. Each download is recorded in the audit trail before its first byte.
 */
import { Readable } from 'node:stream';
import type { StoredSnapshot } from '../../../backup/snapshot.js';
import type { Node } from '../../../backup/tree.js';
import { AppError, Invalid } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import {
  audit,
  type BrowseDeps,
  type Browsing,
  isoOf,
  openBrowse,
  reading,
  resolvePath,
  snapshotOf,
} from './browse.service.js';
import { type ZipEntry, zipStream } from './zip.js';

/** A download ready to stream: its name, type, length when known, and bytes. */
export interface Download {
  filename: string;
  contentType: string;
  size?: number;
  body: Readable;
}

const Missing = (what: string) =>
  new AppError(
    502,
    'backup_damaged',
    'Backup incomplete',
    `parts of ${what} are missing from the backup: it cannot be downloaded (a repository check will say more)`,
  );

/** The bytes of a file node, blob by blob; the repository stays open while they stream. */
async function* fileBytes(b: Browsing, n: Node): AsyncGenerator<Buffer> {
  for (const id of n.content ?? []) yield await b.repo.loadBlob('data', id);
}

/** Wraps a stream's source so the repository is not closed under it. */
async function* holding<T>(b: Browsing, src: AsyncIterable<T>): AsyncGenerator<T> {
  b.repo.active++;
  try {
    yield* src;
  } finally {
    b.repo.active--;
  }
}

async function opened(deps: BrowseDeps, actor: Actor, ciId: string, snapshotId: string) {
  const b = await openBrowse(deps, actor, ciId);
  return { b, s: await snapshotOf(b, snapshotId) };
}

/** Downloads one file of a snapshot. */
export async function downloadFile(
  deps: BrowseDeps,
  actor: Actor,
  ciId: string,
  snapshotId: string,
  path: string,
): Promise<Download> {
  const { b, s } = await opened(deps, actor, ciId, snapshotId);
  const at = await resolvePath(b, s, path);
  if (at.kind !== 'node' || at.node.type !== 'file')
    throw Invalid(
      at.kind === 'tree'
        ? `${at.path} is a folder: download it as a zip`
        : `${at.path} is not a file (a ${at.node.type}) and cannot be downloaded`,
      [{ path: 'path', message: 'not a file' }],
    );
  const node = at.node;
  const content = node.content ?? [];
  if (!(await reading(() => b.repo.hasBlobs(content)))) throw Missing(at.path);
  // The exact length of what will be sent: the plaintext sizes of its blobs.
  const size = content.reduce((sum, id) => sum + (b.repo.repo.index.plainSize('data', id) ?? 0), 0);
  await audit(deps, b, 'backup.downloaded', {
    snapshot: s.id.slice(0, 8),
    snapshotTime: isoOf(s.time),
    path: at.path,
    as: 'file',
    bytes: size,
  });
  return {
    filename: at.name,
    contentType: 'application/octet-stream',
    size,
    body: Readable.from(holding(b, fileBytes(b, node)), { objectMode: false }),
  };
}

/** A name safe as one part of a path in an archive (tree names never hold `/`, but a forged tree might). */
const safePart = (name: string) => name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);

/** The entries of a folder, walked lazily: folders and files (links and devices are left out). */
async function* folderEntries(b: Browsing, tree: string, prefix: string): AsyncGenerator<ZipEntry> {
  const t = await b.repo.loadTree(tree);
  for (const n of t.nodes) {
    const name = n.name.toString('utf8');
    if (!safePart(name)) continue;
    const path = `${prefix}/${name}`;
    const mtime = new Date(Number(n.mtime.ns / 1_000_000n));
    if (n.type === 'dir') {
      yield { name: `${path}/`, type: 'dir', mtime, mode: (n.mode ?? 0o755) & 0o777 };
      if (n.subtree) yield* folderEntries(b, n.subtree, path);
    } else if (n.type === 'file') {
      yield {
        name: path,
        type: 'file',
        mtime,
        mode: (n.mode ?? 0o644) & 0o777,
        size: n.size ?? 0,
        data: () => fileBytes(b, n),
      };
    }
  }
}

/** The archive's top folder: the folder's name, or the device and the snapshot's date for a snapshot's root. */
function topName(b: Browsing, s: StoredSnapshot, name: string): string {
  if (name !== '') return name;
  const day = isoOf(s.time).slice(0, 16).replace('T', ' ').replace(':', '-');
  return `${b.device.name} ${day}`.replace(/[/\\\0]/g, '_');
}

/** Downloads a folder of a snapshot (its root included) as a ZIP archive, streamed. */
export async function downloadZip(
  deps: BrowseDeps,
  actor: Actor,
  ciId: string,
  snapshotId: string,
  path: string,
): Promise<Download> {
  const { b, s } = await opened(deps, actor, ciId, snapshotId);
  const at = await resolvePath(b, s, path);
  if (at.kind !== 'tree')
    throw Invalid(`${at.path} is not a folder: download it as a file`, [
      { path: 'path', message: 'not a folder' },
    ]);
  const top = topName(b, s, at.name);
  const mtime = at.node
    ? new Date(Number(at.node.mtime.ns / 1_000_000n))
    : new Date(Number(s.time.ns / 1_000_000n));
  async function* entries(): AsyncGenerator<ZipEntry> {
    yield { name: `${top}/`, type: 'dir', mtime };
    yield* folderEntries(b, at.kind === 'tree' ? at.tree : '', top);
  }
  await audit(deps, b, 'backup.downloaded', {
    snapshot: s.id.slice(0, 8),
    snapshotTime: isoOf(s.time),
    path: at.path,
    as: 'zip',
  });
  return {
    filename: `${top}.zip`,
    contentType: 'application/zip',
    body: Readable.from(holding(b, zipStream(entries())), { objectMode: false }),
  };
}
