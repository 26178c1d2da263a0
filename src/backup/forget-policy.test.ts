import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../../test/support/requires.js';
import { restic, resticAvailable } from '../../test/interop/restic-helpers.js';
import type { KeepPolicy, PolicySnapshot } from './forget-policy.js';
import { applyPolicy, groupSnapshots, parseDuration, parseGroupBy } from './forget-policy.js';

const snap = (id: string, time: string, extra: Partial<PolicySnapshot> = {}): PolicySnapshot => ({
  id,
  time,
  paths: ['/d'],
  hostname: 'h',
  ...extra,
});

describe('applyPolicy (table)', () => {
  const s = [
    snap('a', '2024-01-01T10:00:00Z'),
    snap('b', '2024-01-01T11:00:00Z'),
    snap('c', '2024-01-02T09:00:00Z', { tags: ['x', 'y'] }),
    snap('d', '2024-01-09T09:00:00Z'),
    snap('e', '2024-02-01T09:00:00Z'),
    snap('f', '2025-03-01T09:00:00Z'),
  ];
  const cases: [string, KeepPolicy, string[]][] = [
    ['last 2', { last: 2 }, ['f', 'e']],
    ['daily 3', { daily: 3 }, ['f', 'e', 'd']],
    ['daily 10 keeps newest of each day', { daily: 10 }, ['f', 'e', 'd', 'c', 'b']],
    ['weekly 3', { weekly: 3 }, ['f', 'e', 'd']],
    ['monthly 2', { monthly: 2 }, ['f', 'e']],
    ['yearly 5', { yearly: 5 }, ['f', 'e']],
    ['hourly 100', { hourly: 100 }, ['f', 'e', 'd', 'c', 'b', 'a']],
    ['tag', { tags: ['x,y'] }, ['c']],
    ['tag needs all of the list', { tags: ['x,z'] }, []],
    ['within 1m', { within: parseDuration('1m') }, ['f']],
    ['within 1y1m1d', { within: parseDuration('1y1m1d') }, ['f', 'e']],
    [
      'within 1y2m (boundary inclusive of later times)',
      { within: parseDuration('1y2m') },
      ['f', 'e', 'd', 'c', 'b', 'a'],
    ],
    ['last 1 + tag', { last: 1, tags: ['x'] }, ['f', 'c']],
    ['unlimited daily', { daily: -1 }, ['f', 'e', 'd', 'c', 'b']],
  ];
  it.each(cases)('%s', (_n, policy, kept) => {
    const r = applyPolicy(s, policy);
    expect(r.keep.map((x) => x.id)).toEqual(kept);
    expect(r.keep.length + r.remove.length).toBe(s.length);
  });

  it('uses the time zone stored in the snapshot for calendar buckets', () => {
    // 23:30 at -05:00 is the next day in UTC; both are the same local day for the snapshot.
    const r = applyPolicy([snap('p', '2024-01-01T08:00:00-05:00'), snap('q', '2024-01-01T23:30:00-05:00')], {
      daily: 5,
    });
    expect(r.keep.map((x) => x.id)).toEqual(['q']);
  });

  it('keeps everything with an empty policy', () => {
    expect(applyPolicy(s, {}).remove).toEqual([]);
  });

  it('groups by host and paths by default, and by tags on request', () => {
    const list = [
      snap('1', '2024-01-01T00:00:00Z', { hostname: 'a' }),
      snap('2', '2024-01-01T00:00:00Z', { hostname: 'b' }),
      snap('3', '2024-01-01T00:00:00Z', { hostname: 'a', tags: ['t'] }),
    ];
    expect(groupSnapshots(list, parseGroupBy('host,paths')).map((g) => g.snapshots.map((x) => x.id))).toEqual(
      [['1', '3'], ['2']],
    );
    expect(groupSnapshots(list, parseGroupBy('host,tags')).length).toBe(3);
    expect(() => parseGroupBy('colour')).toThrow();
    expect(() => parseDuration('3x')).toThrow();
  });
});

describe('applyPolicy vs restic forget --dry-run --json', () => {
  const run = requireComponent('forget policy vs restic', resticAvailable, 'restic binary not found');
  let dir = '';
  let repo = '';
  beforeAll(() => {
    if (!run) return;
    dir = mkdtempSync(join(tmpdir(), 'steward-forget-'));
    repo = join(dir, 'repo');
    writeFileSync(join(dir, 'f'), 'x');
    restic(repo, 'pw', ['init']);
    // 24 snapshots at irregular times over ~2 years (deterministic), some tagged.
    let t = Date.UTC(2023, 0, 1, 5, 0, 0);
    for (let i = 0; i < 24; i++) {
      t += ((i * 7919) % 97) * 3_600_000 * (i % 3 === 0 ? 12 : 1) + 1_800_000;
      const when = new Date(t).toISOString().replace('T', ' ').slice(0, 19);
      restic(repo, 'pw', [
        'backup',
        '-q',
        '--time',
        when,
        ...(i % 5 === 0 ? ['--tag', 'keep'] : []),
        join(dir, 'f'),
      ]);
    }
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const policies: [string[], KeepPolicy][] = [
    [['--keep-last', '3'], { last: 3 }],
    [['--keep-daily', '4', '--keep-weekly', '3', '--keep-monthly', '4'], { daily: 4, weekly: 3, monthly: 4 }],
    [['--keep-hourly', '5', '--keep-yearly', '2'], { hourly: 5, yearly: 2 }],
    [['--keep-tag', 'keep', '--keep-last', '1'], { tags: ['keep'], last: 1 }],
    [['--keep-within', '2m15d'], { within: parseDuration('2m15d') }],
  ];
  it.runIf(run).each(policies)('%j', (flags, policy) => {
    const theirs = JSON.parse(restic(repo, 'pw', ['forget', '--dry-run', '--json', ...flags])) as {
      keep: { id: string }[] | null;
    }[];
    const all = (
      JSON.parse(restic(repo, 'pw', ['snapshots', '--json'])) as (PolicySnapshot & { id: string })[]
    ).map((x) => ({ ...x }));
    const mine = applyPolicy(all, policy);
    expect(mine.keep.map((x) => x.id).sort()).toEqual((theirs[0]?.keep ?? []).map((x) => x.id).sort());
  });
});
