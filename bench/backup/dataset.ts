/**
 * The benchmark's source data: a deterministic, seeded tree of many small files (text and random), a few
 * large ones (random, log-like text, repeated regions, zero runs, a shifted near-copy) and duplicates.
 *
 * Every file's bytes are a pure function of (seed, file spec) (see content.ts), so the tree can be checked,
 * repaired and the 5 % mutation (mutate.ts) undone by regenerating only the files it touched. A manifest
 * records seed and size so the tree (1 GiB takes ~40 s to write) is reused across runs.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileKind } from './content.js';
import { fileBytes, Rng } from './content.js';
import { undoMutation } from './mutate.js';

export type { FileKind } from './content.js';

const GENERATOR = 4;
const KiB = 1024;
const MiB = 1024 * 1024;
/** Every generated file gets this mtime, so the tree looks the same after a rebuild. */
const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

/** One file of the tree. `content` names the byte stream, so duplicates share it with their original. */
export interface FileSpec {
  rel: string;
  size: number;
  kind: FileKind;
  content: string;
}

/** The planned tree. */
export interface DatasetPlan {
  seed: number;
  targetBytes: number;
  files: FileSpec[];
  totalBytes: number;
  smallFiles: number;
  duplicateFiles: number;
  largeFiles: number;
  largeFileSize: number;
}

/** What is on disk. */
export interface Manifest {
  generator: number;
  seed: number;
  targetBytes: number;
  totalBytes: number;
  fileCount: number;
  dirCount: number;
  smallFiles: number;
  duplicateFiles: number;
  largeFiles: number;
  largeFileSize: number;
  createdAt: string;
}

/** Plans the tree for a target size: ~20,000 small files per GiB, 5 % duplicates, five large files fill the rest. */
export function planDataset(seed: number, targetBytes: number): DatasetPlan {
  const r = new Rng(`plan:${seed}`);
  const gib = targetBytes / (1024 * MiB);
  const smallCount = Math.max(200, Math.round(20_000 * gib));
  const files: FileSpec[] = [];
  let smallBytes = 0;
  for (let i = 0; i < smallCount; i++) {
    // Log-uniform 1..64 KiB (mean ~15 KiB): many tiny files, fewer larger ones.
    const size = Math.round(KiB * 64 ** r.next());
    const text = r.next() < 0.6;
    let dir = `small/a${String(r.int(0, 20)).padStart(2, '0')}/b${String(r.int(0, 20)).padStart(2, '0')}`;
    if (r.next() < 0.3) dir += `/c${r.int(0, 4)}`;
    const rel = `${dir}/f${String(i).padStart(6, '0')}.${text ? 'txt' : 'bin'}`;
    files.push({ rel, size, kind: text ? 'text' : 'random', content: rel });
    smallBytes += size;
  }
  const dupCount = Math.round(smallCount / 20);
  let dupBytes = 0;
  for (let i = 0; i < dupCount; i++) {
    const src = files[r.int(0, smallCount)]!;
    const rel = `copies/set${i % 10}/${String(i).padStart(5, '0')}-${src.rel.split('/').pop()!}`;
    files.push({ rel, size: src.size, kind: src.kind, content: src.content });
    dupBytes += src.size;
  }
  const largeSize = Math.max(8 * MiB, Math.ceil((targetBytes - smallBytes - dupBytes) / 5 / MiB) * MiB);
  files.push(
    { rel: 'large/random.bin', size: largeSize, kind: 'large-random', content: 'large/random.bin' },
    { rel: 'large/app.log', size: largeSize, kind: 'large-text', content: 'large/app.log' },
    { rel: 'large/repeated.bin', size: largeSize, kind: 'large-repeat', content: 'large/repeated.bin' },
    { rel: 'large/sparse.img', size: largeSize, kind: 'large-zeros', content: 'large/sparse.img' },
    {
      rel: 'large/nested/random-shifted.bin',
      size: largeSize,
      kind: 'large-shifted',
      content: 'large/random.bin#shifted',
    },
  );
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  return {
    seed,
    targetBytes,
    files,
    totalBytes,
    smallFiles: smallCount,
    duplicateFiles: dupCount,
    largeFiles: 5,
    largeFileSize: largeSize,
  };
}

/** Writes one file of the plan (replacing it) with the fixed mtime. */
export function writeSpec(treeDir: string, seed: number, f: FileSpec): void {
  const p = join(treeDir, f.rel);
  mkdirSync(dirname(p), { recursive: true });
  rmSync(p, { force: true });
  const fd = openSync(p, 'w', 0o644);
  try {
    for (const piece of fileBytes(seed, f)) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  utimesSync(p, FIXED_MTIME, FIXED_MTIME);
}

/** Paths of a dataset folder. */
export function datasetPaths(dataDir: string): {
  root: string;
  tree: string;
  manifest: string;
  journal: string;
} {
  const root = join(dataDir, 'dataset');
  return {
    root,
    tree: join(root, 'tree'),
    manifest: join(root, 'manifest.json'),
    journal: join(root, 'mutation.json'),
  };
}

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the tree of `plan` is on disk: undoes an unfinished mutation, reuses a tree whose manifest
 * matches (and whose files have the planned sizes), and otherwise regenerates it from scratch.
 */
export function ensureDataset(
  dataDir: string,
  plan: DatasetPlan,
  log: (s: string) => void,
): { manifest: Manifest; reused: boolean } {
  const p = datasetPaths(dataDir);
  const m = readJson<Manifest>(p.manifest);
  if (m && m.generator === GENERATOR && m.seed === plan.seed && m.targetBytes === plan.targetBytes) {
    undoMutation(dataDir, plan, log);
    const bad = plan.files.filter((f) => {
      try {
        return statSync(join(p.tree, f.rel)).size !== f.size;
      } catch {
        return true;
      }
    });
    if (bad.length === 0) return { manifest: m, reused: true };
    if (bad.length < plan.files.length / 10) {
      log(`dataset: repairing ${bad.length} files\n`);
      for (const f of bad) writeSpec(p.tree, plan.seed, f);
      return { manifest: m, reused: true };
    }
  }
  log(
    `dataset: generating ${(plan.totalBytes / MiB).toFixed(0)} MiB, ${plan.files.length} files under ${p.tree}\n`,
  );
  rmSync(p.root, { recursive: true, force: true });
  mkdirSync(p.tree, { recursive: true });
  const dirs = new Set<string>();
  let done = 0;
  let next = 0.1;
  for (const f of plan.files) {
    writeSpec(p.tree, plan.seed, f);
    for (let d = dirname(f.rel); d !== '.'; d = dirname(d)) dirs.add(d);
    done += f.size;
    if (done / plan.totalBytes >= next) {
      log(`  ${Math.round((done / plan.totalBytes) * 100)} %\n`);
      next += 0.1;
    }
  }
  const manifest: Manifest = {
    generator: GENERATOR,
    seed: plan.seed,
    targetBytes: plan.targetBytes,
    totalBytes: plan.totalBytes,
    fileCount: plan.files.length,
    dirCount: dirs.size,
    smallFiles: plan.smallFiles,
    duplicateFiles: plan.duplicateFiles,
    largeFiles: plan.largeFiles,
    largeFileSize: plan.largeFileSize,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(p.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, reused: false };
}
