/**
 * `steward repo backup` stores what restic 0.14 stores for the same command line: relative targets (`docs`,
 * `./docs/sub`, `../x/docs`, `.`, `w` next to `../w`) give the same tree shape, so restic's snapshot is a usable
 * parent; `--exclude-caches` / `--exclude-if-present` keep the marked folder and its marker, nothing else of it.
 */
import { copyFileSync, mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHEDIR_SIGNATURE } from '../../src/backup/excludes.js';
import { removeTempDirs, tempDir } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'shape-pw';
const run = requireComponent('restic backup shape', resticAvailable, 'restic binary not found');

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** `path type` of every node of a snapshot, as restic lists it. */
function listing(repo: string, id: string): string[] {
  return restic(repo, PW, ['ls', '--json', id])
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { struct_type: string; path?: string; type?: string })
    .filter((n) => n.struct_type === 'node')
    .map((n) => `${n.path} ${n.type}`)
    .sort();
}

function latestId(repo: string): string {
  const list = JSON.parse(restic(repo, PW, ['snapshots', '--json', 'latest'])) as { id: string }[];
  return list[0]!.id;
}

describe.runIf(run)('backup tree shape as restic', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';
  let repo = '';
  let cwd = '';
  const startCwd = process.cwd();

  beforeAll(() => {
    dir = tempDir('steward-shape-');
    cwd = join(dir, 'w');
    write(join(cwd, 'docs', 'a.txt'), 'alpha\n');
    write(join(cwd, 'docs', 'sub', 'b.txt'), 'beta\n');
    write(join(cwd, 'other', 'c.txt'), 'gamma\n');
    write(join(cwd, 'w', 'q.txt'), 'inner w\n');
    write(join(dir, 'x', 'docs', 'z.txt'), 'zeta\n');
    const c = join(dir, 'c');
    write(join(c, 'cache', 'CACHEDIR.TAG'), `${CACHEDIR_SIGNATURE}\n# a cache\n`);
    write(join(c, 'cache', 'data.bin'), 'cached');
    write(join(c, 'cache', 'sub', 'deep.bin'), 'deep');
    write(join(c, 'fake', 'CACHEDIR.TAG'), 'not a signature\n');
    write(join(c, 'fake', 'kept.txt'), 'kept');
    write(join(c, 'marked', '.nobackup'), '');
    write(join(c, 'marked', 'm.txt'), 'marked');
    write(join(c, 'marked', 'in', 'i.txt'), 'inner');
    write(join(c, 'keep', 'k.txt'), 'keep');
    repo = join(dir, 'repo');
    restic(repo, PW, ['init']);
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    process.chdir(startCwd);
    restoreEnv();
    removeTempDirs();
  });

  async function steward(args: string[], at = cwd): Promise<{ id: string; summary: Record<string, number> }> {
    process.chdir(at);
    try {
      const r = await cli(['-r', repo, '--json', 'backup', '--host', 'shape', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      const summary = JSON.parse(lines[lines.length - 1]!) as Record<string, number> & {
        snapshot_id: string;
      };
      return { id: summary.snapshot_id, summary };
    } finally {
      process.chdir(startCwd);
    }
  }

  it.each([[['docs']], [['./docs/sub', '../x/docs', 'other/']], [['.']], [['w', '../w']]])(
    'stores %j as restic does',
    async (args) => {
      restic(repo, PW, ['backup', '--host', 'shape', ...args], { cwd });
      const theirs = latestId(repo);
      const mine = await steward(args);
      expect(listing(repo, mine.id)).toEqual(listing(repo, theirs));
      // restic's snapshot (same host and paths) is the parent: nothing is read again.
      expect(mine.summary.files_new).toBe(0);
      expect(mine.summary.files_changed).toBe(0);
      expect(mine.summary.data_blobs).toBe(0);
    },
  );

  it('keeps a marked folder and its marker, leaving out the rest of it, as restic does', async () => {
    const args = ['--exclude-caches', '--exclude-if-present', '.nobackup', 'c'];
    restic(repo, PW, ['backup', '--host', 'shape', ...args], { cwd: dir });
    const theirs = listing(repo, latestId(repo));
    expect(theirs).toContain('/c/cache/CACHEDIR.TAG file');
    expect(theirs).toContain('/c/marked/.nobackup file');
    const mine = await steward(args, dir);
    expect(listing(repo, mine.id)).toEqual(theirs);
    restic(repo, PW, ['check']);
  });

  it('--exclude-larger-than leaves out what restic leaves out', async () => {
    write(join(dir, 'sizes', 'small.txt'), 'x'.repeat(1000));
    write(join(dir, 'sizes', 'edge.bin'), 'e'.repeat(1024));
    write(join(dir, 'sizes', 'big.bin'), 'b'.repeat(300 * 1024));
    for (const size of ['1k', '1K', '200k', '1024']) {
      const args = ['--exclude-larger-than', size, 'sizes'];
      restic(repo, PW, ['backup', '--host', 'sizes', ...args], { cwd: dir });
      const theirs = listing(repo, latestId(repo));
      const mine = await steward(args, dir);
      expect(listing(repo, mine.id), size).toEqual(theirs);
    }
    expect(listing(repo, latestId(repo))).not.toContain('/sizes/big.bin file');
    const bad = await cli(['-r', repo, 'backup', '--exclude-larger-than', 'huge', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--exclude-larger-than');
  });

  it('--ignore-inode and --ignore-ctime decide what counts as changed, as restic decides', async () => {
    const file = join(dir, 'ign', 'f.txt');
    write(file, 'same bytes\n');
    // A whole-second mtime, which the copy below can be given exactly.
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    restic(repo, PW, ['backup', '--host', 'ign', join(dir, 'ign')]);
    const parent = latestId(repo);
    // A copy renamed over the file: same bytes and mtime, a new inode and ctime.
    copyFileSync(file, `${file}.tmp`);
    utimesSync(`${file}.tmp`, 1_700_000_000, 1_700_000_000);
    renameSync(`${file}.tmp`, file);
    for (const flags of [[], ['--ignore-inode'], ['--ignore-ctime'], ['--ignore-inode', '--ignore-ctime']]) {
      const args = ['--host', 'ign', '--parent', parent, ...flags, join(dir, 'ign')];
      const lines = restic(repo, PW, ['backup', '--json', ...args])
        .trim()
        .split('\n');
      const theirs = JSON.parse(lines[lines.length - 1]!) as Record<string, number>;
      const mine = await steward(args);
      const counts = (s: Record<string, number>): number[] => [
        s.files_new!,
        s.files_changed!,
        s.files_unmodified!,
      ];
      expect(counts(mine.summary), flags.join(' ')).toEqual(counts(theirs));
    }
    // As restic 0.14: --ignore-inode implies --ignore-ctime; --ignore-ctime alone still sees the new inode.
    const inode = await steward(['--host', 'ign', '--parent', parent, '--ignore-inode', join(dir, 'ign')]);
    expect(inode.summary.files_unmodified).toBe(1);
    const ctime = await steward(['--host', 'ign', '--parent', parent, '--ignore-ctime', join(dir, 'ign')]);
    expect(ctime.summary.files_changed).toBe(1);
  });
});
