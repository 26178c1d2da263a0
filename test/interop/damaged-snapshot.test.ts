/**
 * One damaged snapshot file must not block the repository (issue 21, item 4): `snapshots`, `stats`,
 * `forget` and `backup` skip it with a warning and work on the intact ones, as restic lists them; prune,
 * which must know every blob a snapshot may use, refuses instead of deleting that snapshot's data.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/archiver.js';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { initRepository } from '../../src/backup/init.js';
import { prune } from '../../src/backup/prune.js';
import { Repository } from '../../src/backup/repository.js';
import { removeTempDirs, tempDir, TEST_KDF } from '../../src/backup/testkit.js';
import { runCli, SLOW_CLI_MS } from '../support/server.js';
import { restic, resticAvailable } from './restic-helpers.js';
import { requireComponent } from '../support/requires.js';

const PW = 'damaged-pw';
const run = requireComponent(
  'damaged snapshot',
  resticAvailable,
  'restic is not installed (apt-get install restic)',
);

describe.runIf(run)('a repository with one damaged snapshot file', { timeout: SLOW_CLI_MS }, () => {
  let dir = '';
  let repoDir = '';
  let src = '';
  let env: Record<string, string> = {};
  let damaged = '';
  let intact: string[] = [];

  beforeAll(async () => {
    dir = tempDir('steward-damaged-');
    repoDir = join(dir, 'repo');
    src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(dir, 'pw'), PW);
    env = { RESTIC_REPOSITORY: repoDir, RESTIC_PASSWORD_FILE: join(dir, 'pw') };
    const repo = await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(src, 'file.txt'), `version ${i}\n`);
      const r = await backup(repo, {
        targets: [src],
        workers: false,
        time: new Date(Date.UTC(2026, 0, i + 1)),
      });
      ids.push(r.snapshotId);
    }
    // Flip bytes in the middle snapshot: its hash and MAC no longer match.
    damaged = ids[1]!;
    intact = [ids[0]!, ids[2]!];
    const file = join(repoDir, 'snapshots', damaged);
    const bytes = readFileSync(file);
    bytes[bytes.length - 5]! ^= 0xff;
    chmodSync(file, 0o600);
    writeFileSync(file, bytes);
  });
  afterAll(removeTempDirs);

  it('restic itself lists the intact snapshots', () => {
    const listed = JSON.parse(restic(repoDir, PW, ['snapshots', '--json'])) as { id: string }[];
    expect(listed.map((s) => s.id).sort()).toEqual([...intact].sort());
  });

  it('snapshots lists the intact ones and warns about the damaged one', async () => {
    const r = await runCli(['repo', 'snapshots', '--json'], env);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as { id: string }[];
    expect(listed.map((s) => s.id)).toEqual(intact);
    expect(r.stderr).toContain(`Warning: skipping snapshot ${damaged.slice(0, 8)}`);
  });

  it('stats works on the intact ones', async () => {
    const r = await runCli(['repo', 'stats', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`skipping snapshot ${damaged.slice(0, 8)}`);
  });

  it('backup finds its parent among the intact ones and saves a snapshot', async () => {
    writeFileSync(join(src, 'file.txt'), 'version 3\n');
    const r = await runCli(['repo', 'backup', src], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`using parent snapshot ${intact[1]!.slice(0, 8)}`);
    expect(r.stdout).toMatch(/snapshot \w{8} saved/);
  });

  it('forget applies the policy to the intact ones and leaves the damaged file alone', async () => {
    const r = await runCli(['repo', 'forget', '--keep-last', '1'], env);
    expect(r.code).toBe(0);
    const repo = await Repository.open(new LocalBackend(repoDir), PW);
    const left = await repo.listSnapshots();
    expect(left).toHaveLength(1);
    expect(await repo.backend.exists({ type: 'snapshot', name: damaged })).toBe(true);
  });

  it('prune refuses: the damaged snapshot may still use data', async () => {
    const repo = await Repository.open(new LocalBackend(repoDir), PW);
    await expect(prune(repo)).rejects.toThrow();
  });
});
