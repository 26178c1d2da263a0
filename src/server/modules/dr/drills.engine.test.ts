import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backup } from '../../../backup/archiver.js';
import { makeRepo, removeTempDirs, tempDir } from '../../../backup/testkit.js';
import { testRestore } from './drills.engine.js';

/** The drill's test restore on a real repository made by the engine: green, then red on a damaged pack. */
describe('drill test restore', () => {
  afterAll(removeTempDirs);

  it('restores the newest snapshot, verifies every file and cleans up; a damaged pack turns it red', async () => {
    const dir = tempDir();
    const repo = await makeRepo(2, join(dir, 'repo'));
    const src = join(dir, 'srv', 'payroll');
    mkdirSync(join(src, 'db'), { recursive: true });
    writeFileSync(join(src, 'db', 'ledger.dat'), Buffer.alloc(300_000, 7));
    writeFileSync(join(src, 'config.ini'), 'port=5432\n');
    await backup(repo, { targets: [src], hostname: 'db-1', workers: false });
    writeFileSync(join(src, 'config.ini'), 'port=5433\n');
    const latest = await backup(repo, { targets: [src], hostname: 'db-1', workers: false });
    const scratch = join(dir, 'scratch', '1');
    const ok = await testRestore(repo, scratch);
    expect(ok).toMatchObject({ error: null, files: 2, verifiedFiles: 2, mismatches: 0, problems: [] });
    expect(ok.snapshot?.id).toBe(latest.snapshotId);
    expect(ok.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ok.listed.map((f) => f.path.endsWith('config.ini'))).toContain(true);
    expect(existsSync(scratch)).toBe(false);

    // Damage every data pack: the files in them no longer restore.
    const packs = join(dir, 'repo', 'data');
    for (const sub of readdirSync(packs))
      for (const f of readdirSync(join(packs, sub))) {
        const p = join(packs, sub, f);
        const { chmodSync, readFileSync } = await import('node:fs');
        chmodSync(p, 0o600);
        const b = readFileSync(p);
        b[10] = (b[10] ?? 0) ^ 0xff;
        writeFileSync(p, b);
      }
    const bad = await testRestore(repo, scratch);
    expect(bad.error).toBeNull();
    expect(bad.mismatches).toBeGreaterThan(0);
    expect(bad.verifiedFiles).toBeLessThan(2);
    expect(bad.problems[0]?.path).toMatch(/ledger\.dat|config\.ini/);
    expect(existsSync(scratch)).toBe(false);
  });

  it('says so when the repository holds no snapshot', async () => {
    const dir = tempDir();
    const repo = await makeRepo(2, join(dir, 'repo'));
    const r = await testRestore(repo, join(dir, 'scratch'));
    expect(r.error).toBe('the repository holds no snapshot');
  });
});
