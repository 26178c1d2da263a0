/**
 * The benchmark's source data: a deterministic, seeded tree of many small files (text and random), a few
 * large ones (random, log-like text, repeated regions, zero runs, a shifted near-copy) and duplicates.
 *
 * Every file's bytes are a pure function of (seed, file spec), so the tree can be checked, repaired and the
 * 5 % mutation undone by regenerating only the files it touched. A manifest records seed and size so the
 * tree (1 GiB takes ~20 s to write) is reused across runs; a journal written before a mutation lets the next
 * run undo an interrupted one.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const GENERATOR = 3;
const KiB = 1024;
const MiB = 1024 * 1024;
/** Every generated file gets this mtime, so the tree looks the same after a rebuild. */
const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

/** How a file's bytes are made. */
export type FileKind = 'text' | 'random' | 'large-random' | 'large-text' | 'large-repeat' | 'large-zeros' | 'large-shifted';

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

/** What a mutation did, written before it starts so it can be undone after a crash. */
export interface MutationJournal {
  seed: number;
  /** Files of the plan that were changed or deleted: regenerate them to undo. */
  touched: string[];
  /** Files that did not exist before: delete them to undo. */
  added: string[];
  /** Dirs created by the mutation (deleted recursively to undo). */
  addedDirs: string[];
}

/** Summary of a mutation, for the report. */
export interface MutationSummary {
  modifiedFiles: number;
  deletedFiles: number;
  addedFiles: number;
  largeFilesChanged: number;
  /** Bytes written: overwritten, appended and new files. */
  bytesWritten: number;
  /** Bytes of the files that changed, were added or deleted (what a backup has to re-read at most). */
  bytesTouched: number;
}

/** sfc32: small, fast, seedable PRNG (32-bit state words). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(label: string) {
    const h = createHash('sha256').update(label).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo));
  }
}

/** `len` bytes of the deterministic random stream `label`, starting at byte `offset` (AES-256-CTR keystream). */
export function randomBytesAt(label: string, offset: number, len: number): Buffer {
  const key = createHash('sha256').update(`bench-random:${label}`).digest();
  const block = Math.floor(offset / 16);
  const skip = offset % 16;
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
  iv.writeUInt32BE(block % 2 ** 32, 12);
  const c = createCipheriv('aes-256-ctr', key, iv);
  const out = c.update(Buffer.alloc(len + skip));
  c.final();
  return out.subarray(skip);
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'pe', 'da', 'fu', 'go', 'hi', 'ju', 'ba', 'ce', 'xo', 'qu', 'wy'];
const VOCAB: string[] = (() => {
  const r = new Rng('vocabulary');
  const words: string[] = [];
  for (let i = 0; i < 4096; i++) {
    const n = r.int(1, 5);
    let w = '';
    for (let j = 0; j < n; j++) w += SYLLABLES[r.int(0, SYLLABLES.length)]!;
    words.push(w);
  }
  return words;
})();
const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];

/** Prose-like text (Zipf-ish word choice): compresses about 3-4x with zstd. */
function proseText(r: Rng, len: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  while (n < len) {
    let line = '';
    const words = r.int(6, 18);
    for (let i = 0; i < words; i++) {
      const u = r.next();
      line += (i ? ' ' : '') + VOCAB[Math.floor(u * u * u * VOCAB.length)]!;
    }
    line += r.next() < 0.1 ? '.\n\n' : '.\n';
    parts.push(line);
    n += line.length;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, len);
}

/** Log lines with timestamps and ids: compresses about 4-6x with zstd. */
function logText(r: Rng, startLine: number, len: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  let line = startLine;
  while (n < len) {
    const ts = new Date(Date.UTC(2026, 0, 1) + line * 37).toISOString();
    const words = r.int(3, 9);
    let msg = '';
    for (let i = 0; i < words; i++) msg += ' ' + VOCAB[Math.floor(r.next() ** 2 * 512)]!;
    const s = `${ts} host-${r.int(0, 32)} svc-${VOCAB[r.int(0, 24)]!}[${r.int(1000, 1100)}]: ${LEVELS[r.int(0, LEVELS.length)]!} req=${r.u32().toString(16)} status=${r.next() < 0.9 ? 200 : 500} ms=${r.int(1, 900)}${msg}\n`;
    parts.push(s);
    n += s.length;
    line++;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, len);
}

const PIECE = 4 * MiB;

/** The bytes of a file, in pieces of at most 4 MiB (large files are never held whole). */
export function* fileBytes(seed: number, f: Pick<FileSpec, 'kind' | 'size' | 'content'>): Generator<Buffer> {
  const label = `${seed}:${f.content}`;
  switch (f.kind) {
    case 'random':
      yield randomBytesAt(label, 0, f.size);
      return;
    case 'text':
      yield proseText(new Rng(label), f.size);
      return;
    case 'large-random':
      for (let o = 0; o < f.size; o += PIECE) yield randomBytesAt(label, o, Math.min(PIECE, f.size - o));
      return;
    case 'large-text': {
      const r = new Rng(label);
      let line = 0;
      for (let o = 0; o < f.size; o += PIECE) {
        yield logText(r, line, Math.min(PIECE, f.size - o));
        line += 40_000;
      }
      return;
    }
    case 'large-repeat': {
      // A 16 MiB region that recurs three times, with fresh random data between the copies.
      const region = randomBytesAt(`${label}:region`, 0, 16 * MiB);
      for (let o = 0; o < f.size; o += PIECE) {
        const len = Math.min(PIECE, f.size - o);
        const slot = Math.floor(o / (16 * MiB));
        const inRegion = slot % 2 === 0 && slot <= 4;
        yield inRegion ? region.subarray(o % (16 * MiB), (o % (16 * MiB)) + len) : randomBytesAt(label, o, len);
      }
      return;
    }
    case 'large-zeros':
      // 8 MiB random, 8 MiB zeros, alternating (zero runs chunk into 512 KiB blobs and dedup to one).
      for (let o = 0; o < f.size; o += PIECE) {
        const len = Math.min(PIECE, f.size - o);
        yield Math.floor(o / (8 * MiB)) % 2 === 0 ? randomBytesAt(label, o, len) : Buffer.alloc(len);
      }
      return;
    case 'large-shifted': {
      // The stream of `content` (a large-random file) with 1 MiB of new bytes inserted at 40 %:
      // content-defined chunking should dedup everything but the chunks around the insertion.
      const base = `${seed}:${f.content.replace(/#shifted$/, '')}`;
      const at = Math.floor((f.size * 0.4) / PIECE) * PIECE;
      for (let o = 0; o < f.size; o += PIECE) {
        const len = Math.min(PIECE, f.size - o);
        if (o < at) yield randomBytesAt(base, o, len);
        else if (o > at) yield randomBytesAt(base, o - MiB, len);
        else {
          yield randomBytesAt(`${label}:insert`, 0, Math.min(MiB, len));
          if (len > MiB) yield randomBytesAt(base, at, len - MiB);
        }
      }
      return;
    }
  }
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
  const largeSize = Math.max(8 * MiB, Math.floor((targetBytes - smallBytes - dupBytes) / 5 / MiB) * MiB);
  files.push(
    { rel: 'large/random.bin', size: largeSize, kind: 'large-random', content: 'large/random.bin' },
    { rel: 'large/app.log', size: largeSize, kind: 'large-text', content: 'large/app.log' },
    { rel: 'large/repeated.bin', size: largeSize, kind: 'large-repeat', content: 'large/repeated.bin' },
    { rel: 'large/sparse.img', size: largeSize, kind: 'large-zeros', content: 'large/sparse.img' },
    { rel: 'large/nested/random-shifted.bin', size: largeSize, kind: 'large-shifted', content: 'large/random.bin#shifted' },
  );
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  return { seed, targetBytes, files, totalBytes, smallFiles: smallCount, duplicateFiles: dupCount, largeFiles: 5, largeFileSize: largeSize };
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
export function datasetPaths(dataDir: string): { root: string; tree: string; manifest: string; journal: string } {
  const root = join(dataDir, 'dataset');
  return { root, tree: join(root, 'tree'), manifest: join(root, 'manifest.json'), journal: join(root, 'mutation.json') };
}

function readJson<T>(path: string): T | undefined {
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
export function ensureDataset(dataDir: string, plan: DatasetPlan, log: (s: string) => void): { manifest: Manifest; reused: boolean } {
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
  log(`dataset: generating ${(plan.totalBytes / MiB).toFixed(0)} MiB, ${plan.files.length} files under ${p.tree}\n`);
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

function overwrite(path: string, offset: number, bytes: Buffer, append = false): void {
  const fd = openSync(path, append ? 'a' : 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, append ? null : offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * Changes about 5 % of the data, the same way on every run: modifies 5 % of the small files in place
 * (a few bytes each), deletes 2.5 %, adds 2.5 % new small files and one new file of 1 % of the data,
 * overwrites a region of 1 % in one large file, appends 1 % to another and overwrites four regions in a third.
 */
export function mutateDataset(dataDir: string, plan: DatasetPlan): MutationSummary {
  const p = datasetPaths(dataDir);
  const r = new Rng(`mutate:${plan.seed}`);
  const small = plan.files.filter((f) => f.kind === 'text' || f.kind === 'random');
  const picked = new Set<number>();
  const pick = (n: number): FileSpec[] => {
    const out: FileSpec[] = [];
    while (out.length < n && picked.size < small.length) {
      const i = r.int(0, small.length);
      if (picked.has(i)) continue;
      picked.add(i);
      out.push(small[i]!);
    }
    return out;
  };
  const modify = pick(Math.round(small.length * 0.05));
  const remove = pick(Math.round(small.length * 0.025));
  const addCount = Math.round(small.length * 0.025);
  const unit = Math.floor((plan.totalBytes * 0.01) / MiB) * MiB || MiB;
  const large = (rel: string): FileSpec => plan.files.find((f) => f.rel === rel)!;
  const lRandom = large('large/random.bin');
  const lLog = large('large/app.log');
  const lRepeat = large('large/repeated.bin');
  const added = Array.from({ length: addCount }, (_, i) => `added/d${i % 16}/new${String(i).padStart(5, '0')}.txt`);
  added.push('added/new-large.bin');
  const journal: MutationJournal = {
    seed: plan.seed,
    touched: [...modify, ...remove, lRandom, lLog, lRepeat].map((f) => f.rel),
    added,
    addedDirs: ['added'],
  };
  writeFileSync(p.journal, `${JSON.stringify(journal)}\n`);

  let written = 0;
  let touched = 0;
  for (const f of modify) {
    const at = r.int(0, Math.max(1, f.size - 64));
    const bytes = randomBytesAt(`mutate:${plan.seed}:${f.rel}`, 0, Math.min(64, f.size));
    overwrite(join(p.tree, f.rel), at, bytes);
    written += bytes.length;
    touched += f.size;
  }
  for (const f of remove) {
    rmSync(join(p.tree, f.rel));
    touched += f.size;
  }
  for (const [i, rel] of added.entries()) {
    const last = i === added.length - 1;
    const spec: FileSpec = last
      ? { rel, size: unit, kind: 'large-random', content: `mutate:${rel}` }
      : { rel, size: Math.round(KiB * 64 ** r.next()), kind: 'text', content: `mutate:${rel}` };
    writeSpec(p.tree, plan.seed, spec);
    written += spec.size;
    touched += spec.size;
  }
  const at = Math.floor((lRandom.size * 0.3) / MiB) * MiB;
  overwrite(join(p.tree, lRandom.rel), at, randomBytesAt(`mutate:${plan.seed}:overwrite`, 0, Math.min(unit, lRandom.size - at)));
  written += Math.min(unit, lRandom.size - at);
  overwrite(join(p.tree, lLog.rel), 0, logText(new Rng(`mutate:${plan.seed}:append`), 10_000_000, unit), true);
  written += unit;
  const region = Math.max(64 * KiB, Math.floor(unit / 4 / KiB) * KiB);
  for (let k = 0; k < 4; k++) {
    const off = Math.floor(((k + 0.5) / 4) * (lRepeat.size - region));
    overwrite(join(p.tree, lRepeat.rel), off, randomBytesAt(`mutate:${plan.seed}:region${k}`, 0, region));
    written += region;
  }
  touched += lRandom.size + lLog.size + unit + lRepeat.size;
  return {
    modifiedFiles: modify.length,
    deletedFiles: remove.length,
    addedFiles: added.length,
    largeFilesChanged: 3,
    bytesWritten: written,
    bytesTouched: touched,
  };
}

/** Undoes a (possibly interrupted) mutation recorded in the journal: regenerates touched files, deletes added ones. */
export function undoMutation(dataDir: string, plan: DatasetPlan, log: (s: string) => void): boolean {
  const p = datasetPaths(dataDir);
  if (!existsSync(p.journal)) return false;
  const j = readJson<MutationJournal>(p.journal);
  if (j) {
    log(`dataset: undoing the mutation (${j.touched.length} files to regenerate)\n`);
    const byRel = new Map(plan.files.map((f) => [f.rel, f]));
    for (const rel of j.touched) {
      const f = byRel.get(rel);
      if (f) writeSpec(p.tree, plan.seed, f);
    }
    for (const rel of j.added) rmSync(join(p.tree, rel), { force: true });
    for (const d of j.addedDirs) rmSync(join(p.tree, d), { recursive: true, force: true });
  }
  rmSync(p.journal, { force: true });
  return true;
}
