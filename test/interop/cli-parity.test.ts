/**
 * Small behaviours of `steward repo …` compared with the real restic on the same repository and input:
 * `snapshots latest` / an unknown id, `stats --mode raw-data`, output into a closed pipe, and the errors for
 * unusable key files and passwords.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { tempDir } from './backend-servers.js';
import { restic, resticAvailable, resticRun } from './restic-helpers.js';
import { stewardBinEnv } from '../support/steward-bin.js';

const ok = requireComponent('cli parity with restic', resticAvailable, 'restic is not installed');
const STEWARD = join(process.cwd(), 'bin', 'steward.js');
const PW = 'parity-pw';
/** Each case starts several processes (seconds each through tsx on a loaded machine). */
const TEST_MS = 600_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `steward repo …args` as a child process; `pipeTo` runs it as `steward … | <pipeTo>` through a shell. */
function steward(
  repo: string,
  args: string[],
  opts: { pipeTo?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      ...stewardBinEnv(),
      RESTIC_REPOSITORY: repo,
      RESTIC_PASSWORD: PW,
      RESTIC_PASSWORD_FILE: '',
      ...opts.env,
    };
    const argv = [STEWARD, 'repo', ...args];
    const child = opts.pipeTo
      ? spawn(
          'bash',
          [
            '-o',
            'pipefail',
            '-c',
            `"${process.execPath}" ${argv.map((a) => `'${a}'`).join(' ')} | ${opts.pipeTo}`,
          ],
          { env },
        )
      : spawn(process.execPath, argv, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!ok)('steward repo behaves as restic', () => {
  let work = '';
  let repo = '';
  let ids: string[] = [];

  beforeAll(() => {
    work = tempDir('parity');
    repo = join(work, 'repo');
    const src = join(work, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    for (let i = 0; i < 300; i++) writeFileSync(join(src, 'sub', `f${i}.txt`), `file ${i}\n`);
    restic(repo, PW, ['init']);
    restic(repo, PW, ['backup', '--host', 'h1', src]);
    writeFileSync(join(src, 'new.txt'), 'new\n');
    restic(repo, PW, ['backup', '--host', 'h2', src]);
    ids = (JSON.parse(restic(repo, PW, ['snapshots', '--json'])) as { id: string; time: string }[])
      .sort((a, b) => a.time.localeCompare(b.time))
      .map((s) => s.id);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const idsOf = (json: string): string[] => (JSON.parse(json) as { id: string }[]).map((s) => s.id).sort();

  it(
    'snapshots latest, an id given twice, and an unknown id',
    async () => {
      for (const args of [
        ['latest'],
        ['latest', ids[1]!.slice(0, 8)],
        ['--host', 'h1', 'latest'],
        ['deadbeef'],
      ]) {
        const theirs = resticRun(repo, PW, ['snapshots', '--json', ...args]);
        const ours = await steward(repo, ['snapshots', '--json', ...args]);
        expect(ours.code, args.join(' ')).toBe(theirs.status);
        expect(idsOf(ours.stdout), args.join(' ')).toEqual(idsOf(theirs.stdout));
      }
      const unknown = await steward(repo, ['snapshots', 'deadbeef']);
      expect(unknown.code).toBe(0);
      expect(unknown.stderr).toContain('Ignoring "deadbeef": no matching ID found for prefix "deadbeef"');
    },
    TEST_MS,
  );

  it(
    'stats --mode raw-data counts blobs as restic does',
    async () => {
      for (const mode of ['raw-data', 'restore-size']) {
        const theirs = JSON.parse(restic(repo, PW, ['stats', '--json', '--mode', mode])) as Record<
          string,
          number
        >;
        const ours = JSON.parse((await steward(repo, ['stats', '--json', '--mode', mode])).stdout) as Record<
          string,
          number
        >;
        for (const k of Object.keys(theirs)) expect(ours[k], `${mode} ${k}`).toBe(theirs[k]);
      }
      const text = await steward(repo, ['stats', '--mode', 'raw-data']);
      const blobs = /Total Blob Count:\s+(\d+)/.exec(restic(repo, PW, ['stats', '--mode', 'raw-data']))?.[1];
      expect(text.stdout).toMatch(new RegExp(`Total Blob Count:\\s+${blobs}\\b`));
    },
    TEST_MS,
  );

  it(
    'ends quietly when the reader of its output goes away (| head)',
    async () => {
      const theirs = await new Promise<Run>((resolve) => {
        const c = spawn(
          'bash',
          ['-o', 'pipefail', '-c', `restic -r '${repo}' --no-cache ls latest | head -1`],
          {
            env: { ...process.env, RESTIC_PASSWORD: PW, RESTIC_PASSWORD_FILE: '' },
          },
        );
        let stderr = '';
        c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        c.on('close', (code) => resolve({ code, stdout: '', stderr }));
      });
      const ours = await steward(repo, ['ls', 'latest'], { pipeTo: 'head -1' });
      expect(ours.stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.stderr).not.toMatch(/EPIPE|Error/);
    },
    TEST_MS,
  );

  it(
    'names what is wrong with a key file or a password',
    async () => {
      const keysDir = join(repo, 'keys');
      const id = readdirSync(keysDir)[0]!;
      const original = readFileSync(join(keysDir, id));
      const kdf = (N: number): string => {
        const j = JSON.parse(original.toString()) as Record<string, unknown>;
        return JSON.stringify({ ...j, N });
      };
      const cases: [string, () => void, RegExp][] = [
        [
          'a key file that is not JSON',
          () => writeFileSync(join(keysDir, id), '{garbage'),
          /keys\/\w{8} is not valid JSON/,
        ],
        ['an empty key file', () => writeFileSync(join(keysDir, id), ''), /keys\/\w{8} is empty/],
        [
          'absurd scrypt parameters',
          () => writeFileSync(join(keysDir, id), kdf(2 ** 40)),
          /would need \d+ MiB of memory/,
        ],
        [
          'scrypt N not a power of 2',
          () => writeFileSync(join(keysDir, id), kdf(1000)),
          /N=1000 is not a power of 2/,
        ],
        [
          'a folder instead of key files',
          () => {
            rmSync(join(keysDir, id));
            mkdirSync(join(keysDir, id));
          },
          /no key files found/,
        ],
      ];
      try {
        for (const [what, damage, want] of cases) {
          chmodSync(keysDir, 0o700);
          rmSync(join(keysDir, id), { recursive: true, force: true });
          writeFileSync(join(keysDir, id), original);
          damage();
          // restic retries a folder for minutes before it gives up: compared only on the files.
          if (!what.includes('folder')) expect(resticRun(repo, PW, ['snapshots']).status, what).not.toBe(0);
          const ours = await steward(repo, ['snapshots']);
          expect(ours.code, what).toBe(1);
          expect(ours.stderr, what).toMatch(want);
        }
      } finally {
        rmSync(join(keysDir, id), { recursive: true, force: true });
        writeFileSync(join(keysDir, id), original);
      }
      const empty = join(work, 'empty-pw');
      writeFileSync(empty, '');
      const theirs = resticRun(repo, '', ['--password-file', empty, 'snapshots']);
      const ours = await steward(repo, ['--password-file', empty, 'snapshots'], {
        env: { RESTIC_PASSWORD: '' },
      });
      expect(theirs.stderr).toContain('an empty password is not a password');
      expect(ours.code).toBe(theirs.status);
      expect(ours.stderr).toContain('an empty password is not a password');
    },
    TEST_MS,
  );
});
