/**
 * `steward repo tag` against the real restic: the same change made by Steward on one copy of a repository and by
 * restic on another yields the same snapshot document (tags, `original`, every other field), and restic keeps
 * the `original` Steward set when it changes tags afterwards.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'tag-pw';
const run = requireComponent(
  'restic tag interop',
  resticAvailable,
  'restic binary not found (apt-get install restic)',
);

type Snap = Record<string, unknown> & { id: string; tags?: string[]; original?: string };

const snapshots = (repo: string): Snap[] => JSON.parse(restic(repo, PW, ['snapshots', '--json'])) as Snap[];
const doc = (repo: string, id: string): unknown => JSON.parse(restic(repo, PW, ['cat', 'snapshot', id]));

describe.runIf(run)('tag', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';
  let ours = '';
  let theirs = '';

  beforeAll(() => {
    dir = tempDir('steward-tag-');
    const src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    ours = join(dir, 'ours');
    restic(ours, PW, ['init']);
    restic(ours, PW, ['backup', '--tag', 'daily,keep', src]);
    restic(ours, PW, ['backup', '--tag', 'daily', '--host', 'other', src]);
    theirs = join(dir, 'theirs');
    cpSync(ours, theirs, { recursive: true });
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('writes what restic writes for --add, --remove and --set, and restic keeps the original id', async () => {
    const steps: string[][] = [
      ['--add', 'monthly', '--remove', 'keep'],
      ['--set', 'a,b', '--set', 'c'],
      ['--remove', 'nothing-to-remove'],
    ];
    for (const step of steps) {
      const r = await cli(['-r', ours, 'tag', '--host', 'other', ...step]);
      expect(r.code, r.stderr).toBe(0);
      restic(theirs, PW, ['tag', '--host', 'other', ...step]);
      const a = snapshots(ours);
      const b = snapshots(theirs);
      expect(a.length).toBe(2);
      const mine = a.find((s) => s.hostname === 'other')!;
      const restics = b.find((s) => s.hostname === 'other')!;
      expect(doc(ours, mine.id)).toEqual(doc(theirs, restics.id));
    }
    const before = snapshots(ours);
    const tagged = before.find((s) => s.hostname === 'other')!;
    expect(tagged.tags).toEqual(['a', 'b', 'c']);
    const untouched = before.find((s) => s.hostname !== 'other')!;
    expect(untouched.tags).toEqual(['daily', 'keep']);
    expect(untouched.original).toBeUndefined();
    const first = tagged.original!;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    restic(ours, PW, ['tag', '--add', 'later', tagged.id]);
    expect(snapshots(ours).find((s) => s.hostname === 'other')!.original).toBe(first);
    restic(ours, PW, ['check']);
  });

  it('clears tags with --set "" and refuses what restic refuses', async () => {
    const id = snapshots(ours).find((s) => s.hostname === 'other')!.id;
    expect((await cli(['-r', ours, 'tag', '--set', '', id.slice(0, 8)])).code).toBe(0);
    expect(snapshots(ours).find((s) => s.hostname === 'other')!.tags).toBeUndefined();
    const none = await cli(['-r', ours, 'tag']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nothing to do');
    const both = await cli(['-r', ours, 'tag', '--set', 'x', '--add', 'y']);
    expect(both.stderr).toContain('--set and --add/--remove cannot be given at the same time');
  });
});
