import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../backup/testkit.js';
import { cli } from '../../test/support/repo-cli.js';

describe('steward repo (CLI)', () => {
  let dir = '';
  let repo = '';
  let src = '';
  const saved = { ...process.env };

  beforeAll(() => {
    dir = tempDir('steward-cli-');
    repo = join(dir, 'repo');
    src = join(dir, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub', 'b.log'), 'beta\n');
    writeFileSync(join(dir, 'pw'), 'secret\n');
    writeFileSync(join(dir, 'pw2'), 'other\n');
    process.env.RESTIC_REPOSITORY = repo;
    process.env.RESTIC_PASSWORD_FILE = join(dir, 'pw');
    delete process.env.RESTIC_PASSWORD;
  });
  afterAll(() => {
    process.env = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing repository with exit code 10', async () => {
    const r = await cli(['snapshots']);
    expect(r.code).toBe(10);
  });

  it('runs init, backup, snapshots, ls, find, diff, stats, restore and check', async () => {
    expect((await cli(['init', '--json'])).code).toBe(0);
    expect((await cli(['init'])).code).toBe(1);
    const b1 = await cli(['backup', '--json', '--tag', 'one', '--host', 'h1', '--exclude', '*.log', src]);
    expect(b1.code).toBe(0);
    const summary = JSON.parse(b1.stdout.trim().split('\n').pop()!) as {
      message_type: string;
      files_new: number;
      snapshot_id: string;
    };
    expect(summary).toMatchObject({ message_type: 'summary', files_new: 1 });
    writeFileSync(join(src, 'c.txt'), 'gamma\n');
    const b2 = await cli(['backup', '--host', 'h1', src]);
    expect(b2.stdout).toMatch(/using parent snapshot/);
    expect(b2.stdout).toMatch(/Files:\s+2 new,\s+0 changed,\s+1 unmodified/);
    const snaps = JSON.parse((await cli(['snapshots', '--json'])).stdout) as {
      id: string;
      tags?: string[];
      hostname: string;
    }[];
    expect(snaps.map((s) => s.hostname)).toEqual(['h1', 'h1']);
    expect(snaps[0]!.tags).toEqual(['one']);
    const ls = await cli(['ls', 'latest']);
    expect(ls.stdout).toContain(`${src}/sub/b.log`);
    const lsJson = (await cli(['ls', '--json', snaps[0]!.id])).stdout.trim().split('\n');
    expect(lsJson.some((l) => l.includes('"name":"a.txt"'))).toBe(true);
    expect(lsJson.some((l) => l.includes('b.log'))).toBe(false);
    expect((await cli(['find', 'c.txt'])).stdout).toContain(
      `Found matching entries in snapshot ${snaps[1]!.id.slice(0, 8)} from `,
    );
    const diff = await cli(['diff', snaps[0]!.id, snaps[1]!.id]);
    expect(diff.stdout).toMatch(/\+\s+.*c\.txt/);
    expect(JSON.parse((await cli(['stats', '--json'])).stdout)).toMatchObject({ snapshots_count: 2 });
    const target = join(dir, 'out');
    expect((await cli(['restore', 'latest', '--target', target, '--verify'])).code).toBe(0);
    expect(readFileSync(join(target, src, 'c.txt'), 'utf8')).toBe('gamma\n');
    const check = await cli(['check', '--read-data']);
    expect(check.stdout).toContain('no errors were found');
  });

  it('exits 3 when some targets could not be read, but saves the snapshot', async () => {
    const r = await cli(['backup', '--host', 'h1', src, join(dir, 'does-not-exist')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/snapshot [0-9a-f]{8} saved/);
    const none = await cli(['backup', join(dir, 'nothing-here')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/do not exist/);
  });

  it('backs up the targets named by --files-from and friends; --dry-run writes nothing', async () => {
    const before = (JSON.parse((await cli(['snapshots', '--json'])).stdout) as unknown[]).length;
    const packs = (): number => readdirSync(join(repo, 'data'), { recursive: true }).length;
    const packsBefore = packs();
    writeFileSync(join(src, 'new-for-dry-run.bin'), Buffer.alloc(4096, 7));
    const dry = await cli(['backup', '--json', '--dry-run', '--host', 'h1', src]);
    expect(dry.code).toBe(0);
    const summary = JSON.parse(dry.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(summary).toMatchObject({ message_type: 'summary', dry_run: true, files_new: 1 });
    expect(summary.snapshot_id).toBeUndefined();
    expect(summary.data_added).toBeGreaterThan(0);
    expect((await cli(['backup', '-n', '--host', 'h1', src])).stdout).toMatch(/Would add to the repository/);
    expect(packs()).toBe(packsBefore);
    expect((JSON.parse((await cli(['snapshots', '--json'])).stdout) as unknown[]).length).toBe(before);

    const list = join(dir, 'targets.txt');
    writeFileSync(list, `# a comment\n\n  ${join(src, 'a.txt')}  \n${join(src, 'sub')}\n`);
    const raw = join(dir, 'targets.raw');
    writeFileSync(raw, `${join(src, 'c.txt')}\0`);
    const r = await cli(['backup', '--json', '--host', 'h2', '--files-from', list, '--files-from-raw', raw]);
    expect(r.code).toBe(0);
    const id = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { snapshot_id: string }).snapshot_id;
    const names = (await cli(['ls', id])).stdout;
    expect(names).toContain(`${src}/a.txt`);
    expect(names).toContain(`${src}/sub/b.log`);
    expect(names).toContain(`${src}/c.txt`);
    expect(names).not.toContain('new-for-dry-run.bin');
    const missing = await cli(['backup', '--files-from', join(dir, 'no-such-list')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '# nothing\n');
    expect((await cli(['backup', '--files-from', empty])).stderr).toMatch(/nothing to back up/);
  });

  it('forgets by policy (dry run first), prunes, and keeps the repository valid', async () => {
    const dry = JSON.parse((await cli(['forget', '--json', '--dry-run', '--keep-last', '1'])).stdout) as {
      keep: unknown[];
      remove: unknown[] | null;
    }[];
    expect(dry.reduce((a, g) => a + (g.remove?.length ?? 0), 0)).toBeGreaterThan(0);
    expect((await cli(['snapshots', '--json'])).stdout).toContain('"one"');
    // The newest snapshot is stored uncompressed; prune's flags reach prune through forget.
    writeFileSync(join(src, 'plain.txt'), 'stored without compression '.repeat(500));
    expect((await cli(['backup', '--compression', 'off', src])).code).toBe(0);
    const before = (await cli(['snapshots', '--json'])).stdout;
    const stored = async () =>
      (
        JSON.parse((await cli(['stats', 'latest', '--mode', 'raw-data', '--json'])).stdout) as {
          total_size: number;
        }
      ).total_size;
    const storedBefore = await stored();
    // A bad prune flag is refused before anything is forgotten.
    const bad = await cli([
      'forget',
      '--keep-last',
      '1',
      '--group-by',
      '',
      '--prune',
      '--max-repack-size',
      'lots',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--max-repack-size must be a size/);
    expect((await cli(['snapshots', '--json'])).stdout).toBe(before);
    const done = await cli([
      'forget',
      '--json',
      '--keep-last',
      '1',
      '--group-by',
      '',
      '--prune',
      '--repack-uncompressed',
    ]);
    expect(done.code).toBe(0);
    const pruned = done.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { message_type?: string; packsRepacked?: number })
      .find((m) => m.message_type === 'prune');
    expect(pruned?.packsRepacked).toBeGreaterThan(0);
    // The 13 KB of plain text are now compressed (without the flag its fully used pack would stay as it was).
    expect(await stored()).toBeLessThan(storedBefore - 10_000);
    const snaps = JSON.parse((await cli(['snapshots', '--json'])).stdout) as unknown[];
    expect(snaps).toHaveLength(1);
    expect((await cli(['check', '--read-data'])).code).toBe(0);
    expect((await cli(['forget'])).code).toBe(1);
  });

  it('manages keys and maps a wrong password to exit code 12', async () => {
    expect((await cli(['key', 'add', '--new-password-file', join(dir, 'pw2')])).code).toBe(0);
    const keys = JSON.parse((await cli(['key', 'list', '--json'])).stdout) as {
      current: boolean;
      id: string;
    }[];
    expect(keys).toHaveLength(2);
    const other = keys.find((k) => !k.current)!;
    expect((await cli(['--password-file', join(dir, 'pw2'), 'snapshots'])).code).toBe(0);
    writeFileSync(join(dir, 'bad'), 'nope\n');
    expect((await cli(['--password-file', join(dir, 'bad'), 'snapshots'])).code).toBe(12);
    expect((await cli(['key', 'remove', other.id])).code).toBe(0);
    expect((await cli(['--password-file', join(dir, 'pw2'), 'snapshots'])).code).toBe(12);
    const current = keys.find((k) => k.current)!;
    expect((await cli(['key', 'remove', current.id])).code).toBe(1);
    writeFileSync(join(dir, 'pw3'), 'third\n');
    expect((await cli(['key', 'passwd', '--new-password-file', join(dir, 'pw3')])).code).toBe(0);
    expect((await cli(['snapshots'])).code).toBe(12);
    expect((await cli(['--password-file', join(dir, 'pw3'), 'snapshots'])).code).toBe(0);
    expect((await cli(['--password-file', join(dir, 'pw3'), 'unlock', '--json'])).stdout).toContain(
      '"removed":[]',
    );
  });
});
