/**
 * Every `steward repo …` command on an SFTP repository (OpenSSH's sshd) runs as a real child process and must
 * exit on its own: the CLI closes the backend after each command, on success and on error, so a command never
 * hangs on an open SSH connection.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgram, requireComponent } from '../support/requires.js';
import { startSshd, tempDir, type SshServer } from './backend-servers.js';
import { stewardBinEnv } from '../support/steward-bin.js';

const hasSshd = existsSync('/usr/sbin/sshd') && hasProgram('ssh', ['-V']);
const ok = requireComponent('cli on SFTP', hasSshd, 'openssh-server is not installed');
const STEWARD = join(process.cwd(), 'bin', 'steward.js');
/**
 * Generous: on a loaded 2-core machine one command (start-up through tsx, SSH handshake, key) has taken 25 s.
 * A hang never ends, so the margin costs nothing when the code is right.
 */
const TIMEOUT_MS = 120_000;
const TEST_MS = 900_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `steward repo …args` as a child process, killed (and reported as timed out) after TIMEOUT_MS. */
function steward(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [STEWARD, 'repo', ...args], {
      env: { ...process.env, ...stewardBinEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

describe.skipIf(!ok)('steward repo on SFTP exits when done', () => {
  let server: SshServer | undefined;
  let work = '';
  let env: Record<string, string> = {};

  beforeAll(async () => {
    server = await startSshd();
    work = tempDir('cli-sftp');
    const src = join(work, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub', 'b.txt'), 'beta\n');
    writeFileSync(join(work, 'pw'), 'secret\n');
    writeFileSync(join(work, 'pw2'), 'second\n');
    env = {
      RESTIC_REPOSITORY: `sftp://${server.user}@127.0.0.1:${server.port}/${join(server.dir, 'repo')}`,
      RESTIC_PASSWORD_FILE: join(work, 'pw'),
      RESTIC_PASSWORD: '',
      STEWARD_SFTP_IDENTITY: server.clientKeyPath,
      STEWARD_SFTP_KNOWN_HOSTS: server.knownHostsPath,
    };
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Runs a command that must succeed and end by itself. */
  async function okRun(...args: string[]): Promise<string> {
    const r = await steward(args, env);
    expect(r.timedOut, `steward repo ${args.join(' ')} did not exit`).toBe(false);
    expect(r.code, `steward repo ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  }

  it(
    'init, backup and the read commands',
    async () => {
      await okRun('init');
      await okRun('backup', '--host', 'h1', join(work, 'src'));
      writeFileSync(join(work, 'src', 'c.txt'), 'gamma\n');
      await okRun('backup', '--host', 'h1', join(work, 'src'));
      const ids = (JSON.parse(await okRun('snapshots', '--json')) as { id: string }[]).map((s) => s.id);
      expect(ids).toHaveLength(2);
      await Promise.all([
        okRun('ls', 'latest'),
        okRun('find', '*.txt'),
        okRun('diff', ids[0]!, ids[1]!),
        okRun('stats'),
      ]);
      await okRun('restore', 'latest', '--target', join(work, 'restored'));
      expect(existsSync(join(work, 'restored', work, 'src', 'c.txt'))).toBe(true);
    },
    TEST_MS,
  );

  it(
    'maintenance commands',
    async () => {
      await okRun('check');
      await okRun('key', 'list');
      await okRun('key', 'add', '--new-password-file', join(work, 'pw2'));
      await okRun('unlock');
      await okRun('forget', '--keep-last', '1', '--prune');
      await okRun('prune');
    },
    TEST_MS,
  );

  it(
    'commands that fail also exit',
    async () => {
      const wrong = await steward(['snapshots'], {
        ...env,
        RESTIC_PASSWORD_FILE: '',
        RESTIC_PASSWORD: 'nope',
      });
      expect(wrong.timedOut).toBe(false);
      expect(wrong.code).toBe(12);
      const unknown = await steward(['ls', 'deadbeef'], env);
      expect(unknown.timedOut).toBe(false);
      expect(unknown.code).toBe(1);
      const again = await steward(['init'], env);
      expect(again.timedOut).toBe(false);
      expect(again.code).toBe(1);
    },
    TEST_MS,
  );
});
