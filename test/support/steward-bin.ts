// Which `steward` a test's child process runs: the compiled one when it is current, else the sources.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let current: boolean | undefined;

/**
 * Whether dist/ was built after the last change to src/ (CI builds before it tests). Then child processes run
 * the compiled CLI, which starts in a third of the time tsx needs to compile the sources; a stale or missing
 * build is never used, so a test always runs the code as it is now.
 */
export function builtIsCurrent(): boolean {
  if (current === undefined) {
    try {
      current = statSync(join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs > newestSource(join(ROOT, 'src'));
    } catch {
      current = false;
    }
  }
  return current;
}

/** The environment entry that picks the `steward` a child process runs (see {@link builtIsCurrent}). */
export function stewardBinEnv(): { STEWARD_FROM_SOURCE: string | undefined } {
  return { STEWARD_FROM_SOURCE: builtIsCurrent() ? undefined : '1' };
}
