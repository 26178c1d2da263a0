/**
 * `steward repo snapshots --latest/--group-by/-c` and `steward repo find -l/--oldest/--newest/--blob/--tree/--pack`
 * on a repository restic 0.14 wrote, compared with what restic itself answers; the text of `snapshots` and `find`
 * byte for byte, and the paths and parent of a backup as restic records and picks them.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'snapfind-pw';
const run = requireComponent('restic snapshots/find interop', resticAvailable, 'restic binary not found');

type Snap = { id: string };
type Group = { group_key: unknown; snapshots: Snap[] };

const groups = (text: string): string[] =>
  (JSON.parse(text) as Group[])
    .map((g) => JSON.stringify([g.group_key, g.snapshots.map((s) => s.id)]))
    .sort();
const ids = (text: string): string[] => (JSON.parse(text) as Snap[]).map((s) => s.id).sort();

/** The (what, snapshot) pairs of restic's text `find --blob/--tree/--pack` output. */
function resticObjects(text: string): string[] {
  const out = new Set<string>();
  let where = '';
  for (const line of text.split('\n')) {
    const place = /^ \.\.\. (?:in file|path) (.*)$/.exec(line);
    if (place) where = place[1]!;
    const snap = /^ \.\.\. in snapshot ([0-9a-f]{8})/.exec(line);
    if (snap) out.add(`${where} ${snap[1]}`);
  }
  return [...out].sort();
}

describe.runIf(run)('snapshots and find flags', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';
  let repo = '';
  let src = '';

  beforeAll(() => {
    dir = tempDir('steward-snapfind-');
    src = join(dir, 'src');
    const other = join(dir, 'other');
    mkdirSync(join(src, 'sub'), { recursive: true });
    mkdirSync(other);
    writeFileSync(join(src, 'old.txt'), 'old\n');
    writeFileSync(join(src, 'sub', 'new.txt'), 'new\n');
    writeFileSync(join(other, 'o.txt'), 'other\n');
    utimesSync(join(src, 'old.txt'), new Date('2020-01-01T12:00:00'), new Date('2020-01-01T12:00:00'));
    utimesSync(join(src, 'sub', 'new.txt'), new Date('2025-06-01T12:00:00'), new Date('2025-06-01T12:00:00'));
    repo = join(dir, 'repo');
    restic(repo, PW, ['init']);
    for (const args of [
      ['--host', 'a', '--tag', 'x', src],
      ['--host', 'a', src],
      ['--host', 'a', '--tag', 'x', src],
      ['--host', 'b', src],
      ['--host', 'b', '--tag', 'y', src],
      ['--host', 'a', other],
    ])
      restic(repo, PW, ['backup', ...args]);
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  const mine = async (args: string[]): Promise<string> => {
    const r = await cli(['-r', repo, ...args]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };

  it('--latest and --group-by select and group what restic does', async () => {
    for (const n of ['1', '2']) {
      const args = ['snapshots', '--json', '--latest', n];
      expect(ids(await mine(args))).toEqual(ids(restic(repo, PW, args)));
    }
    for (const by of ['host', 'paths', 'tags', 'host,paths', 'host,paths,tags']) {
      const args = ['snapshots', '--json', '--group-by', by, '--latest', '1'];
      expect(groups(await mine(args)), by).toEqual(groups(restic(repo, PW, args)));
      const all = ['snapshots', '--json', '--group-by', by];
      expect(groups(await mine(all)), by).toEqual(groups(restic(repo, PW, all)));
    }
    const text = await mine(['snapshots', '--group-by', 'host', '--latest', '1']);
    expect(text).toContain('snapshots for (host [a]):');
    const compact = await mine(['snapshots', '-c']);
    expect(compact).not.toContain(src);
    expect(compact).toContain('6 snapshots');
    const bad = await cli(['-r', repo, 'snapshots', '--group-by', 'nope']);
    expect(bad.code).toBe(1);
    expect((await cli(['-r', repo, 'snapshots', '--latest', '0'])).code).toBe(1);
  });

  it('find -l shows the long line restic shows; --oldest/--newest filter by modification time', async () => {
    const long = await mine(['find', '-l', '--host', 'b', 'new.txt']);
    const line = long.trim().split('\n')[1]!;
    expect(restic(repo, PW, ['find', '-l', '--host', 'b', 'new.txt'])).toContain(line);
    type Hit = { matches: { path: string }[] };
    const paths = (t: string): string[] =>
      [...new Set((JSON.parse(t) as Hit[]).flatMap((h) => h.matches.map((m) => m.path)))].sort();
    for (const range of [
      ['--oldest', '2024-01-01'],
      ['--newest', '2024-01-01 10:00'],
      ['-O', '2019-12-31', '-N', '2020-01-02'],
    ]) {
      const args = ['find', '--json', ...range, '*.txt'];
      expect(paths(await mine(args)), range.join(' ')).toEqual(paths(restic(repo, PW, args)));
    }
    expect((await cli(['-r', repo, 'find', '--oldest', 'yesterday', 'x'])).code).toBe(1);
  });

  it('--blob, --tree and --pack report the files, folders and snapshots restic reports', async () => {
    const blobs = restic(repo, PW, ['list', 'blobs'])
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    const data = blobs.find(([t]) => t === 'data')![1]!;
    const snap = JSON.parse(restic(repo, PW, ['snapshots', '--json', '--host', 'b', 'latest'])) as {
      tree: string;
    }[];
    const packs = restic(repo, PW, ['list', 'packs']).trim().split('\n');
    for (const args of [
      ['--blob', data],
      ['--blob', data.slice(0, 8)],
      ['--tree', snap[0]!.tree],
    ]) {
      const text = await mine(['find', ...args]);
      expect(resticObjects(text), args.join(' ')).toEqual(resticObjects(restic(repo, PW, ['find', ...args])));
    }
    // --pack: the files using its data blobs, as restic; Steward also names the folders of its tree blobs, where
    // restic 0.14 finds nothing.
    type Obj = { object_type: string; path: string; snapshot: string };
    let trees = 0;
    for (const p of packs) {
      const found = JSON.parse(await mine(['--json', 'find', '--pack', p])) as Obj[];
      trees += found.filter((o) => o.object_type === 'tree').length;
      const files = [
        ...new Set(
          found.filter((o) => o.object_type === 'blob').map((o) => `${o.path} ${o.snapshot.slice(0, 8)}`),
        ),
      ];
      expect(files.sort(), p).toEqual(resticObjects(restic(repo, PW, ['find', '--pack', p])));
    }
    expect(trees).toBeGreaterThan(0);
    const json = JSON.parse(await mine(['--json', 'find', '--blob', data])) as { object_type: string }[];
    expect(json.length).toBeGreaterThan(0);
    expect((await cli(['-r', repo, 'find', '--blob', '--tree', data])).code).toBe(1);
  });

  it('prints the text restic prints: snapshot tables, find headings; paths kept as given, the parent picked alike', async () => {
    const repo2 = join(dir, 'repo2');
    const other = join(dir, 'other');
    restic(repo2, PW, ['init']);
    restic(repo2, PW, [
      'backup',
      '--host',
      'a-rather-long-host-name',
      '--tag',
      'one,three-long-tag',
      src,
      other,
    ]);
    restic(repo2, PW, ['backup', '--host', 'h', src]);
    // Steward records the paths as restic does: absolute, in the order given, duplicates kept.
    const b = await cli(['-r', repo2, 'backup', '--host', 'h', other, src, `${src}/`]);
    expect(b.code, b.stderr).toBe(0);
    type Paths = { paths: string[]; id: string }[];
    const listed = JSON.parse(restic(repo2, PW, ['snapshots', '--json', '--host', 'h'])) as Paths;
    const raw = JSON.parse(restic(repo2, PW, ['cat', 'snapshot', listed[listed.length - 1]!.id])) as Paths[0];
    expect(raw.paths).toEqual([other, src, src]);
    const both = async (args: string[]): Promise<[string, string]> => {
      const r = await cli(['-r', repo2, ...args]);
      expect(r.code, r.stderr).toBe(0);
      return [r.stdout, restic(repo2, PW, args)];
    };
    const blocks = (t: string, sep: RegExp): string[] =>
      t
        .split(sep)
        .map((x) => x.trim())
        .sort();
    for (const args of [['snapshots'], ['snapshots', '-c'], ['snapshots', '--host', 'h']]) {
      const [m, r] = await both(args);
      expect(m, args.join(' ')).toBe(r);
    }
    // JSON: the same paths (restic 0.14 does not know the summary Steward adds).
    const [mj, rj] = await both(['snapshots', '--json']);
    const pathsOf = (t: string): string[][] => (JSON.parse(t) as Paths).map((x) => x.paths);
    expect(pathsOf(mj)).toEqual(pathsOf(rj));
    // restic prints groups in Go's map order: compare them as a set.
    for (const by of ['host', 'tags', 'paths']) {
      const [m, r] = await both(['snapshots', '--group-by', by]);
      expect(blocks(m, /(?<=^\d+ snapshots\n)/m), by).toEqual(blocks(r, /(?<=^\d+ snapshots\n)/m));
    }
    for (const args of [
      ['find', '--host', 'h', '*.txt'],
      ['find', '-l', '--host', 'a-rather-long-host-name', 'sub'],
    ]) {
      // restic visits snapshots in the order the backend lists them: compare the blocks as a set.
      const [m, r] = await both(args);
      expect(blocks(m, /\n\n/), args.join(' ')).toEqual(blocks(r, /\n\n/));
    }
    const [m, r] = await both(['find', '*.txt']);
    expect(blocks(m, /\n\n/)).toEqual(blocks(r, /\n\n/));
    const [qm, qr] = await both(['-q', 'find', 'o.txt']);
    expect(qm).toBe(qr);
    expect(qm).not.toContain('Found');
    // The parent of a backup of `src` alone is the newest snapshot that covers it, for both tools.
    const snaps = JSON.parse(restic(repo2, PW, ['snapshots', '--json', '--host', 'h'])) as Paths;
    const newest = snaps[snaps.length - 1]!.id.slice(0, 8);
    const parentOf = (out: string): string | undefined =>
      /using parent snapshot ([0-9a-f]{8})/.exec(out)?.[1];
    const dry = await cli(['-r', repo2, 'backup', '--dry-run', '--host', 'h', src]);
    expect(parentOf(dry.stdout)).toBe(newest);
    expect(parentOf(restic(repo2, PW, ['backup', '--dry-run', '--host', 'h', src]))).toBe(newest);
  });
});
