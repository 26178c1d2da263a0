/**
 * `steward repo backup --stdin` against the real restic: restic dumps and restores the piped file byte for byte,
 * checks the repository, and stores the same stream under the same path as restic's own --stdin backup does
 * (same data blobs, same file node shape).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { initRepository } from '../../src/backup/init.js';
import { Repository } from '../../src/backup/repository.js';
import { backupStdin } from '../../src/backup/stdin-source.js';
import { removeTempDirs, tempDir, TEST_KDF } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { prng } from './fixture.js';
import { restic, resticAvailable } from './restic-helpers.js';
import { stewardBinEnv } from '../support/steward-bin.js';

const PW = 'stdin-pw';
const run = requireComponent(
  'restic stdin interop',
  resticAvailable,
  'restic binary not found (apt-get install restic)',
);

interface LsNode {
  name?: string;
  type?: string;
  path?: string;
  size?: number;
  mode?: number;
  struct_type: string;
}

function lsNodes(repo: string, id: string): LsNode[] {
  return restic(repo, PW, ['ls', '--json', id])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LsNode)
    .filter((n) => n.struct_type === 'node');
}

describe.runIf(run)('backup --stdin', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';
  let repoDir = '';
  const dump = Buffer.concat([Buffer.from('-- database dump\n'), prng(9, 2_500_000)]);

  beforeAll(async () => {
    dir = tempDir('steward-stdin-');
    repoDir = join(dir, 'repo');
    await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('stores a stream that restic dumps, restores and checks, shaped as restic stores its own', async () => {
    const repo = await Repository.open(new LocalBackend(repoDir), PW);
    // Arrives in pieces, as a pipe delivers it.
    const pieces: Buffer[] = [];
    for (let o = 0; o < dump.length; o += 100_000) pieces.push(dump.subarray(o, o + 100_000));
    const r = await backupStdin(repo, {
      source: Readable.from(pieces),
      filename: 'db/dump.sql',
      tags: ['db'],
      hostname: 'dbhost',
    });
    expect(r.snapshot.paths).toEqual(['/db/dump.sql']);
    restic(repoDir, PW, ['check', '--read-data']);
    const out = spawnSync('restic', ['-r', repoDir, '--no-cache', 'dump', r.snapshotId, '/db/dump.sql'], {
      env: { ...process.env, RESTIC_PASSWORD: PW },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(out.status).toBe(0);
    expect(Buffer.compare(out.stdout, dump)).toBe(0);
    const target = join(dir, 'restored');
    restic(repoDir, PW, ['restore', r.snapshotId, '--target', target]);
    expect(Buffer.compare(readFileSync(join(target, 'db', 'dump.sql')), dump)).toBe(0);

    // restic's own --stdin backup of the same stream adds no data (same chunks) and has the same node shape.
    const theirs = spawnSync(
      'restic',
      ['-r', repoDir, '--no-cache', 'backup', '--json', '--stdin', '--stdin-filename', 'db/dump.sql'],
      { env: { ...process.env, RESTIC_PASSWORD: PW }, input: dump, encoding: 'utf8' },
    );
    expect(theirs.status, theirs.stderr).toBe(0);
    const summary = JSON.parse(theirs.stdout.trim().split('\n').pop()!) as {
      data_blobs: number;
      snapshot_id: string;
    };
    expect(summary.data_blobs).toBe(0);
    const shape = (n: LsNode): unknown => [n.path, n.type, n.mode, n.size];
    expect(lsNodes(repoDir, r.snapshotId).map(shape)).toEqual(
      lsNodes(repoDir, summary.snapshot_id).map(shape),
    );
  });

  it('reads standard input through the command line, and refuses what restic refuses', async () => {
    writeFileSync(join(dir, 'pw'), PW);
    const piped = spawnSync(
      process.execPath,
      [
        'bin/steward.js',
        'repo',
        '-r',
        repoDir,
        '--password-file',
        join(dir, 'pw'),
        'backup',
        '--stdin',
        '--json',
        '-H',
        'clihost',
      ],
      { input: dump, encoding: 'utf8', env: { ...process.env, ...stewardBinEnv() } },
    );
    expect(piped.status, piped.stderr).toBe(0);
    const id = (JSON.parse(piped.stdout.trim().split('\n').pop()!) as { snapshot_id: string }).snapshot_id;
    const snap = JSON.parse(restic(repoDir, PW, ['cat', 'snapshot', id])) as {
      paths: string[];
      hostname: string;
    };
    expect(snap.paths).toEqual(['/stdin']);
    expect(snap.hostname).toBe('clihost');
    const out = spawnSync('restic', ['-r', repoDir, '--no-cache', 'dump', id, '/stdin'], {
      env: { ...process.env, RESTIC_PASSWORD: PW },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(Buffer.compare(out.stdout, dump)).toBe(0);

    const withPath = await cli(['-r', repoDir, 'backup', '--stdin', dir]);
    expect(withPath.code).toBe(1);
    expect(withPath.stderr).toContain('--stdin was specified and files/dirs were listed as arguments');
    const withFrom = await cli(['-r', repoDir, 'backup', '--stdin', '--files-from', join(dir, 'pw')]);
    expect(withFrom.stderr).toContain('--stdin and --files-from cannot be used together');
    delete process.env.RESTIC_PASSWORD;
    delete process.env.RESTIC_PASSWORD_FILE;
    const noPw = await cli(['-r', repoDir, 'backup', '--stdin']);
    expect(noPw.code).toBe(1);
    expect(noPw.stderr).toContain('unable to read password from stdin');
  });
});
