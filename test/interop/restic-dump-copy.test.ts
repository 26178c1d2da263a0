/**
 * `steward repo dump` and `steward repo copy` against the real restic 0.14: dump writes the same bytes as restic's
 * dump (a file; a folder or the whole snapshot as a tar or a zip with long, non-ASCII and link names, fifos), and a copy made with
 * restic 0.14's flags is a copy restic checks, restores and recognises (neither tool copies it again).
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { prng } from './fixture.js';
import { restic, resticAvailable, resticBytes as resticOut } from './restic-helpers.js';

const PW = 'dump-pw';
const PW2 = 'copy-destination-pw';
const run = requireComponent('restic dump/copy interop', resticAvailable, 'restic binary not found');

const resticBytes = (repo: string, args: string[]): Buffer => resticOut(repo, PW, args);

type Snap = { id: string; original?: string; tree: string; paths: string[]; hostname: string };
const snaps = (repo: string, pw: string): Snap[] =>
  JSON.parse(restic(repo, pw, ['snapshots', '--json'])) as Snap[];

describe.runIf(run)('dump and copy', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';
  let src = '';
  let repoA = '';

  beforeAll(() => {
    dir = tempDir('steward-dump-');
    src = join(dir, 'src');
    const deep = join(src, 'x'.repeat(60), 'y'.repeat(70));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, `${'z'.repeat(120)}.txt`), 'long path');
    mkdirSync(join(src, 'é'));
    writeFileSync(join(src, 'é', 'ü.txt'), 'non-ASCII\n');
    symlinkSync('../é/ü.txt', join(src, 'link'));
    symlinkSync('q'.repeat(120), join(src, 'longlink'));
    writeFileSync(join(src, 'big.bin'), prng(7, 3 * 1024 * 1024 + 17));
    writeFileSync(join(src, 'empty'), '');
    chmodSync(join(src, 'empty'), 0o4755);
    // A fifo directly in a dumped folder is an entry; deeper down restic leaves it out.
    spawnSync('mkfifo', [join(src, 'pipe'), join(src, 'é', 'pipe')]);
    writeFileSync(join(src, 'é', 'ro.txt'), 'read-only');
    chmodSync(join(src, 'é', 'ro.txt'), 0o444);
    repoA = join(dir, 'a');
    restic(repoA, PW, ['init']);
    restic(repoA, PW, ['backup', '--host', 'dumper', src]);
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('dumps the bytes restic dumps: the whole snapshot, a folder, a file', async () => {
    for (const path of ['/', `${src}/é`, src, `${src}/big.bin`, `${src}/empty`]) {
      const mine = await cli(['-r', repoA, 'dump', 'latest', path]);
      expect(mine.code, mine.stderr).toBe(0);
      expect(mine.out.equals(resticBytes(repoA, ['dump', 'latest', path])), path).toBe(true);
    }
  });

  it('dumps a folder as the zip restic writes: same bytes, a valid archive with every entry', async () => {
    for (const path of ['/', `${src}/é`, src]) {
      const mine = await cli(['-r', repoA, 'dump', '--archive', 'zip', 'latest', path]);
      expect(mine.code, mine.stderr).toBe(0);
      expect(mine.out.equals(resticBytes(repoA, ['dump', '--archive', 'zip', 'latest', path])), path).toBe(
        true,
      );
    }
    const zip = join(dir, 'whole.zip');
    writeFileSync(zip, (await cli(['-r', repoA, 'dump', '-a', 'zip', 'latest', src])).out);
    const check = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
    expect(check.status, check.stdout).toBe(0);
    const listing = spawnSync(
      'python3',
      [
        '-c',
        'import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist(): print(i.filename, i.file_size, oct(i.external_attr >> 16))',
        zip,
      ],
      { encoding: 'utf8' },
    );
    expect(listing.status, listing.stderr).toBe(0);
    const rel = src.slice(1);
    const lines = listing.stdout.trim().split('\n');
    expect(lines).toContain(`${rel}/big.bin ${3 * 1024 * 1024 + 17} 0o100644`);
    expect(lines).toContain(`${rel}/empty 0 0o104755`);
    expect(lines).toContain(`${rel}/é/ü.txt 10 0o100644`);
    expect(lines).toContain(`${rel}/é/ro.txt 9 0o100444`);
    expect(lines).toContain(`${rel}/link ${Buffer.byteLength('../é/ü.txt')} 0o120777`);
    expect(lines).toContain(`${rel}/pipe 0 0o10644`);
    expect(lines.some((l) => l.startsWith(`${rel}/é/pipe`))).toBe(false);
  });

  it('says which path is missing, and refuses unknown formats', async () => {
    const missing = await cli(['-r', repoA, 'dump', 'latest', `${src}/nope`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`path "${src}/nope" not found in snapshot`);
    const link = await cli(['-r', repoA, 'dump', 'latest', `${src}/link`]);
    expect(link.stderr).toContain(`"${src}/link" should be a file, but is a "symlink"`);
    const rar = await cli(['-r', repoA, 'dump', '-a', 'rar', 'latest', '/']);
    expect(rar.code).toBe(1);
    expect(rar.stderr).toContain('unknown archive format "rar"');
  });

  it('copies with restic 0.14 flags into a repository restic checks, and neither tool copies it twice', async () => {
    const pwFile = join(dir, 'pw-a');
    writeFileSync(pwFile, `${PW}\n`);
    const repoB = join(dir, 'b');
    restic(repoB, PW2, ['init']);
    process.env.RESTIC_PASSWORD = PW2;
    const first = await cli(['-r', repoB, 'copy', '--from-repo', repoA, '--from-password-file', pwFile]);
    expect(first.code, first.stderr).toBe(0);
    const [orig] = snaps(repoA, PW);
    const copied = snaps(repoB, PW2);
    expect(copied.map((s) => [s.original, s.tree, s.paths, s.hostname])).toEqual([
      [orig!.id, orig!.tree, [src], 'dumper'],
    ]);
    restic(repoB, PW2, ['check', '--read-data']);
    // restic 0.14 itself sees the copy and copies nothing; so does Steward on a second run.
    const theirs = restic(repoB, PW2, ['copy', '--from-repo', repoA, '--from-password-file', pwFile]);
    const again = await cli(['-r', repoB, 'copy', '--from-repo', repoA, '--from-password-file', pwFile]);
    expect(again.code).toBe(0);
    // The same lines as restic (`snapshot … of […] at …)`, `skipping source snapshot …`), with --json too: restic
    // 0.14's copy has no JSON output.
    expect(again.stdout).toBe(theirs);
    expect(again.stdout).toContain('skipping source snapshot');
    const json = await cli([
      '-r',
      repoB,
      '--json',
      'copy',
      '--from-repo',
      repoA,
      '--from-password-file',
      pwFile,
    ]);
    expect(json.stdout).toBe(theirs);
    expect(snaps(repoB, PW2).length).toBe(1);
    // A second snapshot in A is added alone, its unchanged data not sent again.
    writeFileSync(join(src, 'new.txt'), 'new');
    restic(repoA, PW, ['backup', '--host', 'dumper', src]);
    const packs = restic(repoB, PW2, ['list', 'packs']).trim().split('\n').length;
    process.env.RESTIC_FROM_PASSWORD = PW;
    const latest = await cli(['-r', repoB, '--json', 'copy', '--from-repo', repoA, 'latest']);
    delete process.env.RESTIC_FROM_PASSWORD;
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toMatch(
      /^\nsnapshot [0-9a-f]{8} of \[.*\] at .* UTC\)\n {2}copy started, this may take a while\.\.\.\nsnapshot [0-9a-f]{8} saved\n$/,
    );
    expect(snaps(repoB, PW2).length).toBe(2);
    expect(restic(repoB, PW2, ['list', 'packs']).trim().split('\n').length - packs).toBeLessThanOrEqual(2);
    restic(repoB, PW2, ['check', '--read-data']);
    process.env.RESTIC_PASSWORD = PW;
  });

  it('copies what restic copied into a third repository as the same snapshot', async () => {
    const pwFile = join(dir, 'pw-a');
    const repoC = join(dir, 'c');
    restic(repoC, PW2, ['init']);
    restic(repoC, PW2, ['copy', '--from-repo', repoA, '--from-password-file', pwFile]);
    process.env.RESTIC_PASSWORD = PW2;
    const r = await cli(['-r', repoC, 'copy', '--from-repo', repoA, '--from-password-file', pwFile]);
    process.env.RESTIC_PASSWORD = PW;
    expect(r.code, r.stderr).toBe(0);
    expect(snaps(repoC, PW2).length).toBe(2);
    const bad = await cli([
      '-r',
      repoC,
      'copy',
      '--from-repo',
      repoA,
      '--from-password-file',
      pwFile,
      '--from-password-command',
      'echo x',
    ]);
    expect(bad.stderr).toContain('mutually exclusive');
  });
});
