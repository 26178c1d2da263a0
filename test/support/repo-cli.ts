/**
 * Runs `steward repo ...` inside the test process (no child process, no tsx start-up), capturing its output
 * and exit code as the real command line would set them.
 */
import { Command } from 'commander';
import { CliError } from '../../src/cli/io.js';
import { registerRepoCommands } from '../../src/cli/repo.js';

/** What a command run printed and its exit code. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Standard output as bytes (dump, cat blob). */
  out: Buffer;
}

/** Runs `steward repo ...` in this process, capturing output and the exit code. */
export async function cli(args: string[]): Promise<Run> {
  const program = new Command('steward').exitOverride();
  registerRepoCommands(program);
  const chunks: Buffer[] = [];
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = (s: string | Uint8Array) => (chunks.push(Buffer.from(s)), true);
  process.stderr.write = (s: string | Uint8Array) => ((stderr += s.toString()), true);
  process.exitCode = undefined;
  let code = 0;
  try {
    await program.parseAsync(['node', 'steward', 'repo', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CliError) {
      code = e.code;
      stderr += e.message;
    } else throw e;
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
  const out = Buffer.concat(chunks);
  return { code, stdout: out.toString(), stderr, out };
}

/**
 * Points `steward repo` commands run by {@link cli} at `password` (RESTIC_PASSWORD, no password file);
 * returns the function that puts the environment back.
 */
export function useCliPassword(password: string): () => void {
  const saved = { ...process.env };
  process.env.RESTIC_PASSWORD = password;
  delete process.env.RESTIC_PASSWORD_FILE;
  return () => {
    process.env = saved;
  };
}
