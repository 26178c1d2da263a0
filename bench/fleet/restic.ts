/**
 * The restic side of `npm run bench:fleet`: a generated dataset (incompressible, so every byte is uploaded),
 * restic runs timed by wall clock, and Steward's memory sampled while they run.
 */
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `bytes` of random data as files of `fileMiB` MiB under `dir`, in folders of 16 files. */
export function makeDataset(dir: string, bytes: number, fileMiB = 16): void {
  const buf = Buffer.alloc(4 * 1024 * 1024);
  const fileBytes = fileMiB * 1024 * 1024;
  for (let off = 0, i = 0; off < bytes; off += fileBytes, i++) {
    const sub = join(dir, `folder-${String(Math.floor(i / 16)).padStart(3, '0')}`);
    mkdirSync(sub, { recursive: true });
    const fd = openSync(join(sub, `file-${String(i).padStart(4, '0')}.bin`), 'w');
    for (let left = Math.min(fileBytes, bytes - off); left > 0; left -= buf.length) {
      randomFillSync(buf);
      writeSync(fd, buf, 0, Math.min(left, buf.length));
    }
    closeSync(fd);
  }
}

/** One restic run: exit status, output and wall time. */
export interface ResticRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs restic (no cache, so both sides of a comparison do the same work), never throwing on failure. */
export function restic(args: string[], env: Record<string, string>): Promise<ResticRun> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('restic', ['--no-cache', '--quiet', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** Like {@link restic}, but throws with restic's message when it fails. */
export async function resticOk(args: string[], env: Record<string, string>): Promise<ResticRun> {
  const r = await restic(args, env);
  if (r.status !== 0) throw new Error(`restic ${args[0]} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return r;
}

/** Samples this process's resident set size every `everyMs` until stopped; reports baseline, peak and end. */
export function sampleRss(everyMs = 50): () => { baseline: number; peak: number; end: number } {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  return () => {
    clearInterval(timer);
    const end = process.memoryUsage().rss;
    return { baseline, peak: Math.max(peak, end), end };
  };
}

/** MiB with one decimal. */
export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
