/**
 * Runs the real `steward` command (bin/steward.js, from the TypeScript sources) as a child process, so tests
 * see what a user sees: exit code, both streams, and how the process reacts to signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** How a `steward` process ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `steward <args>` with `env` added to this process's environment, as another user with `as`.
 * `whileRunning` is called once the child has started (e.g. to send it a signal at the right moment);
 * the promise resolves when it exits.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  whileRunning?: (child: ChildProcess, output: () => string) => Promise<void>,
  as?: { uid: number; gid: number },
): Promise<CliRun> {
  const child = spawn(process.execPath, [join('bin', 'steward.js'), ...args], {
    env: { ...process.env, STEWARD_FROM_SOURCE: '1', RESTIC_PASSWORD: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<CliRun>((resolve) =>
    // 'close' comes after the process exited and its output pipes drained.
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  void whileRunning?.(child, () => stdout + stderr);
  return exited;
}
