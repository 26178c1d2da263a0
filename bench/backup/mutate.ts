/**
 * The "5 % change" step: a deterministic mutation of the dataset, journalled before it starts so that it
 * can be undone (by regenerating the touched files) at the end of a run, or at the start of the next one
 * after a crash.
 */
import { closeSync, existsSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { logText, randomBytesAt, Rng } from './content.js';
import type { DatasetPlan, FileSpec } from './dataset.js';
import { datasetPaths, readJson, writeSpec } from './dataset.js';

const KiB = 1024;
const MiB = 1024 * 1024;

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
  const added = Array.from(
    { length: addCount },
    (_, i) => `added/d${i % 16}/new${String(i).padStart(5, '0')}.txt`,
  );
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
  overwrite(
    join(p.tree, lRandom.rel),
    at,
    randomBytesAt(`mutate:${plan.seed}:overwrite`, 0, Math.min(unit, lRandom.size - at)),
  );
  written += Math.min(unit, lRandom.size - at);
  overwrite(
    join(p.tree, lLog.rel),
    0,
    logText(new Rng(`mutate:${plan.seed}:append`), 10_000_000, unit),
    true,
  );
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
