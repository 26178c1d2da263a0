/**
 * Correctness of a restore: the restored tree must hold exactly the source's files, dirs and symlinks,
 * with the same bytes (SHA-256), sizes, permission bits and file mtimes.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';

/** One entry of a tree listing. */
export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number;
  mtimeMs: number;
  sha256?: string;
  target?: string;
}

/** The differences found between two trees (empty lists = identical). */
export interface TreeDiff {
  entries: number;
  bytes: number;
  missing: string[];
  extra: string[];
  content: string[];
  meta: string[];
}

async function hashFile(path: string, size: number): Promise<string> {
  if (size <= 4 * 1024 * 1024)
    return createHash('sha256')
      .update(await fs.readFile(path))
      .digest('hex');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Lists a tree (relative paths) with content hashes; reads files with a little parallelism. */
export async function listTree(root: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const files: { rel: string; e: Entry }[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = (await fs.readdir(join(root, rel))).sort();
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const st = await fs.lstat(join(root, r));
      const e: Entry = {
        type: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other',
        size: st.isFile() ? st.size : 0,
        mode: st.mode & 0o7777,
        mtimeMs: Math.floor(st.mtimeMs),
      };
      out.set(r, e);
      if (e.type === 'dir') await walk(r);
      else if (e.type === 'file') files.push({ rel: r, e });
      else if (e.type === 'symlink') e.target = await fs.readlink(join(root, r));
    }
  };
  await walk('');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++]!;
      f.e.sha256 = await hashFile(join(root, f.rel), f.e.size);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out;
}

/** Compares a restored tree with the source listing. Dir mtimes are not compared (the source's change as files are added). */
export function compareTrees(source: Map<string, Entry>, restored: Map<string, Entry>): TreeDiff {
  const d: TreeDiff = { entries: source.size, bytes: 0, missing: [], extra: [], content: [], meta: [] };
  for (const [rel, s] of source) {
    d.bytes += s.size;
    const r = restored.get(rel);
    if (!r) {
      d.missing.push(rel);
      continue;
    }
    if (r.type !== s.type || r.size !== s.size || r.sha256 !== s.sha256 || r.target !== s.target)
      d.content.push(rel);
    else if (r.mode !== s.mode || (s.type === 'file' && r.mtimeMs !== s.mtimeMs)) d.meta.push(rel);
  }
  for (const rel of restored.keys()) if (!source.has(rel)) d.extra.push(rel);
  return d;
}

/** True when nothing differs. */
export function identical(d: TreeDiff): boolean {
  return d.missing.length + d.extra.length + d.content.length + d.meta.length === 0;
}

/** A one-line description of a diff. */
export function describeDiff(d: TreeDiff): string {
  if (identical(d))
    return `identical (${d.entries} entries, ${(d.bytes / 2 ** 20).toFixed(1)} MiB, SHA-256 of every file)`;
  const few = (l: string[]): string => (l.length ? ` e.g. ${l.slice(0, 3).join(', ')}` : '');
  return `DIFFERENT: ${d.missing.length} missing${few(d.missing)}; ${d.extra.length} extra${few(d.extra)}; ${d.content.length} with other content${few(d.content)}; ${d.meta.length} with other mode/mtime${few(d.meta)}`;
}
