/**
 * `steward repo check --read-data-subset` against the real restic: for n/t both tools read the same group of
 * packs (so a damaged pack is found in the same group), x% and sizes read at least one pack, and bad values are
 * refused with restic's messages.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/archiver.js';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { initRepository } from '../../src/backup/init.js';
import { corruptBlob, removeTempDirs, tempDir, TEST_KDF } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { prng } from './fixture.js';
import { restic, resticAvailable, resticRun } from './restic-helpers.js';

const PW = 'subset-pw';
const run = requireComponent(
  'restic check subset interop',
  resticAvailable,
  'restic binary not found (apt-get install restic)',
);

interface Summary {
  num_errors: number;
  packs_read: number;
}

describe.runIf(run)('check --read-data-subset', () => {
  let restoreEnv = (): void => undefined;
  let repoDir = '';
  let packs: string[] = [];
  let damaged = '';

  beforeAll(async () => {
    const dir = tempDir('steward-subset-');
    const src = join(dir, 'src');
    mkdirSync(src);
    for (let i = 0; i < 12; i++) writeFileSync(join(src, `f${i}.bin`), prng(100 + i, 600_000));
    repoDir = join(dir, 'repo');
    const repo = await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
    // Small packs, so there are enough of them to fall into several groups.
    await backup(repo, { targets: [src], packSize: 1024 * 1024, hostname: 'h' });
    packs = restic(repoDir, PW, ['list', 'packs']).trim().split('\n');
    const victim = [...repo.index.entries()].find((e) => e.type === 'data')!;
    damaged = victim.packId;
    corruptBlob(repo, victim.id, 100);
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('reads the same group n/t as restic and finds the damaged pack in the same group', async () => {
    expect(packs.length).toBeGreaterThan(5);
    const t = 3;
    for (let n = 1; n <= t; n++) {
      const r = await cli(['-r', repoDir, '--json', 'check', '--read-data-subset', `${n}/${t}`]);
      const s = JSON.parse(r.stdout.trim().split('\n').pop()!) as Summary;
      const group = packs.filter((p) => parseInt(p.slice(0, 2), 16) % t === n - 1);
      expect(s.packs_read).toBe(group.length);
      const theirs = resticRun(repoDir, PW, ['check', '--read-data-subset', `${n}/${t}`]);
      expect(theirs.stdout).toContain(`read group #${n} of ${group.length} data packs`);
      const hit = group.includes(damaged);
      expect(s.num_errors > 0).toBe(hit);
      expect(r.code).toBe(hit ? 1 : 0);
      expect(theirs.status).toBe(hit ? 1 : 0);
    }
  });

  it('reads a percentage or a size of the packs at random, at least one', async () => {
    const read = async (v: string): Promise<Summary> => {
      const r = await cli(['-r', repoDir, '--json', 'check', '--read-data-subset', v]);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as Summary;
    };
    const all = await read('100%');
    expect(all.packs_read).toBe(packs.length);
    expect(all.num_errors).toBeGreaterThan(0);
    expect((await read('0.1%')).packs_read).toBe(1);
    expect((await read('50%')).packs_read).toBe(Math.floor(packs.length / 2));
    expect((await read('1K')).packs_read).toBe(1);
    expect((await read('1G')).packs_read).toBe(packs.length);
  });

  it('refuses values restic refuses, with its messages', async () => {
    const cases: [string[], string][] = [
      [['0/3'], 'values must be positive integers, and n <= t'],
      [['4/3'], 'values must be positive integers, and n <= t'],
      [['1/300'], 't must be at most 256'],
      [['1/2/3'], 'has invalid value'],
      [['0%'], 'x must be above 0.0% and at most 100.0%'],
      [['101%'], 'x must be above 0.0% and at most 100.0%'],
      [['lots'], 'has invalid value'],
      [['1/2', '--read-data'], 'cannot be used together'],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(['-r', repoDir, 'check', '--read-data-subset', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(msg);
      expect(resticRun(repoDir, PW, ['check', '--read-data-subset', ...args]).stderr).toContain(msg);
    }
  });
});
