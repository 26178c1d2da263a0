/**
 * File contents for restore, read pack by pack (as restic's restorer does): each pack is fetched with as few range
 * requests as possible and every blob goes to every file (and offset) that needs it. Per-blob requests would cost
 * one round trip per blob on remote backends (REST, S3, SFTP).
 */
import { constants, promises as fs } from 'node:fs';
import type { BlobLocation } from './index.js';
import type { Repository } from './repository.js';
import type { Node } from './tree.js';

/** A file to fill: where it goes and what the snapshot says it holds. */
export interface FileJob {
  path: Buffer;
  node: Node;
}

interface Target {
  file: number;
  offset: number;
}

interface PlannedBlob {
  id: string;
  loc: BlobLocation;
  targets: Target[];
}

// Blobs of one pack closer than this are fetched in one request (the gap is read and dropped).
const MAX_GAP = 1024 * 1024;
const ZERO = Buffer.alloc(8 * 1024 * 1024);
const isZero = (b: Buffer): boolean =>
  b.length <= ZERO.length ? b.equals(ZERO.subarray(0, b.length)) : b.every((x) => x === 0);

/** Options of {@link writeFileContents}. */
export interface WriteOptions {
  /** Leave holes for all-zero blobs. */
  sparse: boolean;
  /** Packs processed at once. */
  concurrency: number;
  /** Called once per failed file (the file may be incomplete). */
  fail: (path: Buffer, e: unknown) => void;
}

/**
 * Creates every file (exclusive, never through a symlink), sized with holes, then fills in the blobs pack by pack.
 * Returns the indexes of the files that were written completely; the caller sets their metadata afterwards.
 */
export async function writeFileContents(
  repo: Repository,
  files: FileJob[],
  opts: WriteOptions,
): Promise<Set<number>> {
  const failed = new Set<number>();
  const fail = (i: number, e: unknown): void => {
    if (failed.has(i)) return;
    failed.add(i);
    opts.fail(files[i]!.path, e);
  };
  const byPack = new Map<string, Map<string, PlannedBlob>>();
  for (const [i, f] of files.entries()) {
    let pos = 0;
    try {
      for (const id of f.node.content ?? []) {
        const loc = repo.index.lookup('data', id)[0];
        if (!loc) throw new Error(`data blob ${id} not found in index`);
        let blobs = byPack.get(loc.packId);
        if (!blobs) byPack.set(loc.packId, (blobs = new Map<string, PlannedBlob>()));
        let b = blobs.get(id);
        if (!b) blobs.set(id, (b = { id, loc, targets: [] }));
        b.targets.push({ file: i, offset: pos });
        pos += loc.uncompressedLength ?? loc.length - 32;
      }
      if (f.node.size !== undefined && f.node.size !== pos) {
        throw new Error(`blobs hold ${pos} bytes, snapshot says ${f.node.size}`);
      }
      await fs.rm(f.path, { force: true });
      // O_EXCL|O_NOFOLLOW: never write through something that appeared under this name.
      const fh = await fs.open(
        f.path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        await fh.truncate(pos); // holes everywhere until data arrives
      } finally {
        await fh.close();
      }
    } catch (e) {
      fail(i, e);
    }
  }

  const write = async (t: Target, data: Buffer): Promise<void> => {
    if (failed.has(t.file)) return;
    if (opts.sparse && isZero(data)) return;
    const fh = await fs.open(files[t.file]!.path, constants.O_WRONLY | constants.O_NOFOLLOW);
    try {
      let off = 0;
      while (off < data.length)
        off += (await fh.write(data, off, data.length - off, t.offset + off)).bytesWritten;
    } finally {
      await fh.close();
    }
  };

  const deliver = async (b: PlannedBlob, data: Buffer): Promise<void> => {
    for (const t of b.targets) {
      try {
        await write(t, data);
      } catch (e) {
        fail(t.file, e);
      }
    }
  };

  const doPack = async (packId: string, blobs: PlannedBlob[]): Promise<void> => {
    blobs.sort((a, b) => a.loc.offset - b.loc.offset);
    // Group neighbouring blobs into ranges.
    const ranges: PlannedBlob[][] = [];
    for (const b of blobs) {
      const cur = ranges[ranges.length - 1];
      const last = cur?.[cur.length - 1];
      if (cur && last && b.loc.offset - (last.loc.offset + last.loc.length) <= MAX_GAP) cur.push(b);
      else ranges.push([b]);
    }
    for (const r of ranges) {
      const start = r[0]!.loc.offset;
      const end = Math.max(...r.map((b) => b.loc.offset + b.loc.length));
      let buf: Buffer | undefined;
      try {
        buf = await repo.backend.load({ type: 'pack', name: packId }, start, end - start);
      } catch {
        buf = undefined; // fall back to per-blob loads, which try every stored copy
      }
      // Decode the range's blobs concurrently (the worker pool spreads them over the cores).
      await Promise.all(
        r.map(async (b) => {
          let data: Buffer;
          try {
            if (!buf) throw new Error('pack range unreadable');
            const raw = buf.subarray(b.loc.offset - start, b.loc.offset - start + b.loc.length);
            data = await repo.decodeBlobAsync(b.id, b.loc, raw);
          } catch {
            try {
              data = await repo.loadBlob('data', b.id);
            } catch (e) {
              for (const t of b.targets) fail(t.file, e);
              return;
            }
          }
          await deliver(b, data);
        }),
      );
    }
  };

  const packs = [...byPack.entries()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < packs.length) {
      const [packId, blobs] = packs[next++]!;
      await doPack(packId, [...blobs.values()]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, packs.length)) }, worker));
  const ok = new Set<number>();
  for (let i = 0; i < files.length; i++) if (!failed.has(i)) ok.add(i);
  return ok;
}
