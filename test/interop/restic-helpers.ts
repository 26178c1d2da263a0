/**
 * Helpers for tests that drive Debian's `restic` binary against repositories Steward reads or writes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { hasProgram } from '../support/requires.js';

/** True when a `restic` binary is on the PATH. */
export const resticAvailable = hasProgram('restic', ['version']);

/** Runs restic with the given repo and password; returns stdout, throws with stderr on a non-zero exit. */
export function restic(
  repo: string,
  password: string,
  args: string[],
  opts: { allowFail?: boolean; cwd?: string; env?: Record<string, string> } = {},
): string {
  const r = spawnSync('restic', ['-r', repo, '--no-cache', ...args], {
    env: {
      ...process.env,
      RESTIC_PASSWORD: password,
      RESTIC_PASSWORD_FILE: '',
      RESTIC_REPOSITORY: '',
      ...opts.env,
    },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    cwd: opts.cwd,
  });
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`restic ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r.stdout;
}

/** restic's stdout as bytes (dump, cat blob); throws with stderr on a non-zero exit. */
export function resticBytes(repo: string, password: string, args: string[]): Buffer {
  const r = spawnSync('restic', ['-r', repo, '--no-cache', ...args], {
    env: { ...process.env, RESTIC_PASSWORD: password, RESTIC_PASSWORD_FILE: '', RESTIC_REPOSITORY: '' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`restic ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Result of a restic run that may fail: exit status and both streams. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Like {@link restic} but never throws. */
export function resticRun(repo: string, password: string, args: string[]): RunResult {
  const r = spawnSync('restic', ['-r', repo, '--no-cache', ...args], {
    env: { ...process.env, RESTIC_PASSWORD: password, RESTIC_PASSWORD_FILE: '', RESTIC_REPOSITORY: '' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface RawNode {
  name: string;
  type: string;
  content?: string[] | null;
  subtree?: string;
}

/** Ids of all snapshots, oldest first. */
export function snapshotIds(repo: string, password: string): string[] {
  const list = JSON.parse(restic(repo, password, ['snapshots', '--json'])) as { id: string; time: string }[];
  return list.sort((a, b) => a.time.localeCompare(b.time)).map((s) => s.id);
}

/** Walks a snapshot with `restic cat` and returns the data blob ids of every file, keyed by slash path. */
export function fileBlobs(repo: string, password: string, snapshotId: string): Map<string, string[]> {
  const snap = JSON.parse(restic(repo, password, ['cat', 'snapshot', snapshotId])) as { tree: string };
  const out = new Map<string, string[]>();
  const walk = (tree: string, prefix: string): void => {
    const t = JSON.parse(restic(repo, password, ['cat', 'blob', tree])) as { nodes: RawNode[] };
    for (const n of t.nodes) {
      const p = `${prefix}/${n.name}`;
      if (n.type === 'dir' && n.subtree) walk(n.subtree, p);
      else if (n.type === 'file') out.set(p, n.content ?? []);
    }
  };
  walk(snap.tree, '');
  return out;
}

/**
 * Runs restic without blocking this process (for a server under test that answers restic from the same
 * process); `env` gives the repository and password. Never throws on a non-zero exit.
 */
export function resticAsync(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('restic', ['--no-cache', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
