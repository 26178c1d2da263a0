/**
 * Restore filters against the real restic: for each pattern of a table, `restic restore --include/--exclude
 * (--iinclude/--iexclude)` and Steward's restore (src/backup/restore-filter.ts) of the same snapshot must
 * produce the same items (paths and kinds), and a pattern that matches nothing is reported.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { Repository } from '../../src/backup/repository.js';
import { restoreSnapshot } from '../../src/backup/restore.js';
import type { RestoreFilterOptions } from '../../src/backup/restore-filter.js';
import { requireComponent } from '../support/requires.js';
import { restic, resticAvailable } from './restic-helpers.js';
import { tempDir } from './backend-servers.js';

const ok = requireComponent('restore filters', resticAvailable, 'restic is not installed');
const PW = 'filters-pw';

/** Every item below `dir`, relative, folders marked with a trailing slash, sorted. */
function listing(dir: string, rel = ''): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(dir, rel));
  } catch {
    return out;
  }
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, r));
    if (st.isDirectory()) out.push(`${r}/`, ...listing(dir, r));
    else out.push(st.isSymbolicLink() ? `${r}@` : r);
  }
  return out.sort();
}

describe.skipIf(!ok)('restore --include/--exclude as restic', () => {
  let work = '';
  let src = '';
  let repoDir = '';
  let repo: Repository;
  let tree = '';

  beforeAll(async () => {
    work = tempDir('filters');
    src = join(work, 'src');
    repoDir = join(work, 'repo');
    const files = [
      'a.txt',
      'B.TXT',
      'notes.md',
      'text/inside.bin',
      'text/more/x.txt',
      'sub/b.log',
      'sub/c.txt',
      'sub/deep/d.txt',
      'sub/deep/e.bin',
      'other/text',
      'other/deep/f.log',
    ];
    for (const f of files) {
      mkdirSync(join(src, f, '..'), { recursive: true });
      writeFileSync(join(src, f), `${f}\n`);
    }
    mkdirSync(join(src, 'empty-dir'));
    symlinkSync('a.txt', join(src, 'link.txt'));
    restic(repoDir, PW, ['init']);
    restic(repoDir, PW, ['backup', src]);
    repo = await Repository.open(new LocalBackend(repoDir), PW);
    tree = (await repo.listSnapshots())[0]!.tree;
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const table: [string, RestoreFilterOptions][] = [
    ['include *.txt', { include: ['*.txt'] }],
    ['include text (a name at any depth)', { include: ['text'] }],
    ['include an absolute folder', { include: ['<src>/sub'] }],
    ['include an absolute file and a relative glob', { include: ['<src>/notes.md', 'deep/*.log'] }],
    ['include **', { include: ['<src>/**/d.txt'] }],
    ['include a character class', { include: ['[ab].*'] }],
    ['include with a negation', { include: ['*.txt', '!c.txt'] }],
    ['iinclude', { iinclude: ['*.TXT'] }],
    ['exclude *.txt', { exclude: ['*.txt'] }],
    ['exclude a folder name', { exclude: ['deep'] }],
    ['exclude an absolute folder', { exclude: ['<src>/sub'] }],
    ['exclude ** and ?', { exclude: ['**/?.log', 'text/more'] }],
    ['iexclude', { iexclude: ['SUB', 'b.txt'] }],
    ['include nothing matching', { include: ['*.nothing'] }],
  ];

  const flags = (o: RestoreFilterOptions): string[] =>
    (['include', 'iinclude', 'exclude', 'iexclude'] as const).flatMap((k) =>
      (o[k] ?? []).flatMap((p) => [`--${k}`, p.replace('<src>', src)]),
    );
  const withSrc = (o: RestoreFilterOptions): RestoreFilterOptions =>
    Object.fromEntries(
      Object.entries(o).map(([k, v]) => [k, (v as string[]).map((p) => p.replace('<src>', src))]),
    );

  it.each(table)('%s', async (name, filter) => {
    const byRestic = join(work, 'restic', name.replace(/\W+/g, '-'));
    const bySteward = join(work, 'steward', name.replace(/\W+/g, '-'));
    execFileSync(
      'restic',
      ['-r', repoDir, '--no-cache', 'restore', 'latest', '-t', byRestic, ...flags(filter)],
      {
        env: { ...process.env, RESTIC_PASSWORD: PW, RESTIC_PASSWORD_FILE: '', RESTIC_REPOSITORY: '' },
        stdio: 'ignore',
      },
    );
    const r = await restoreSnapshot(repo, tree, { target: bySteward, ...withSrc(filter), workers: 0 });
    expect(r.errors).toEqual([]);
    expect(listing(bySteward)).toEqual(listing(byRestic));
    const matchedNothing = listing(byRestic).filter((p) => !p.endsWith('/')).length === 0;
    if (name === 'include nothing matching') {
      expect(matchedNothing).toBe(true);
      expect(r.unmatchedFilters).toEqual(['--include *.nothing']);
    } else {
      expect(matchedNothing).toBe(false);
      expect(r.unmatchedFilters).toEqual([]);
    }
  });

  it('refuses include and exclude together, and a malformed pattern, as restic does', async () => {
    const target = join(work, 'refused');
    await expect(restoreSnapshot(repo, tree, { target, include: ['a'], exclude: ['b'] })).rejects.toThrow(
      /mutually exclusive/,
    );
    await expect(restoreSnapshot(repo, tree, { target, include: ['[a'] })).rejects.toThrow(/--include/);
  });
});
