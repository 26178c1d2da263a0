import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CACHEDIR_SIGNATURE,
  compilePattern,
  ExcludeFilter,
  matchPattern,
  readPatternFile,
} from './excludes.js';

describe('matchPattern (restic glob semantics)', () => {
  const cases: [string, string, boolean][] = [
    ['*.log', '/var/x/a.log', true],
    ['*.log', '/var/x/a.log.1', false],
    ['foo', '/1/2/foo', true],
    ['foo', '/foo/1/2', true],
    ['foo', '/1/xfoo', false],
    ['/tmp/foo', '/tmp/foo/bar', true],
    ['/tmp/foo', '/x/tmp/foo', false],
    ['/home/*/.cache', '/home/alice/.cache/x', true],
    ['/home/*/.cache', '/home/alice/sub/.cache', false],
    ['/home/**/.cache', '/home/alice/sub/.cache', true],
    ['/home/**/.cache', '/home/.cache', true],
    ['a/**/b', '/x/a/b', true],
    ['a/**/b', '/x/a/1/2/b/c', true],
    ['file/', '/d/file', true],
    ['f?o', '/f.o', true],
    ['[ab].txt', '/b.txt', true],
    ['[!ab].txt', '/b.txt', false],
    ['[!ab].txt', '/c.txt', true],
    ['\\*', '/*', true],
    ['\\*', '/x', false],
    ['*', '/anything/at/all', true],
  ];
  it.each(cases)('%s vs %s -> %s', (pattern, path, want) => {
    expect(matchPattern(compilePattern(pattern), path)).toBe(want);
  });
});

describe('ExcludeFilter', () => {
  it('lets a later !pattern re-include', () => {
    const f = new ExcludeFilter({ excludes: ['/data/*', '!/data/keep'] });
    expect(f.excludedByName('/data/drop')).toBe(true);
    expect(f.excludedByName('/data/keep')).toBe(false);
    expect(f.excludedByName('/other')).toBe(false);
  });

  it('compares --iexclude case-insensitively', () => {
    const f = new ExcludeFilter({ iexcludes: ['*.JPG'] });
    expect(f.excludedByName('/p/Photo.jpg')).toBe(true);
    expect(new ExcludeFilter({ excludes: ['*.JPG'] }).excludedByName('/p/Photo.jpg')).toBe(false);
  });

  it('recognises CACHEDIR.TAG only with the signature, and plain markers by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-excl-'));
    try {
      writeFileSync(join(dir, 'CACHEDIR.TAG'), `${CACHEDIR_SIGNATURE}\n# cache`);
      expect(await new ExcludeFilter({ excludeCaches: true }).excludedByMarker(dir)).toBe(true);
      expect(await new ExcludeFilter({ excludeCaches: true }).excludedByMarker(Buffer.from(dir))).toBe(true);
      expect(await new ExcludeFilter({}).excludedByMarker(dir)).toBe(false);
      writeFileSync(join(dir, 'CACHEDIR.TAG'), 'not a signature');
      expect(await new ExcludeFilter({ excludeCaches: true }).excludedByMarker(dir)).toBe(false);
      expect(await new ExcludeFilter({ excludeIfPresent: ['.nobackup'] }).excludedByMarker(dir)).toBe(false);
      writeFileSync(join(dir, '.nobackup'), '');
      expect(await new ExcludeFilter({ excludeIfPresent: ['.nobackup'] }).excludedByMarker(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads exclude files with comments, blanks and $VAR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-excl-'));
    try {
      writeFileSync(join(dir, 'ex'), '# comment\n\n  *.tmp  \n$HOME/.cache\n${X}/y\n');
      expect(await readPatternFile(join(dir, 'ex'), { HOME: '/root', X: '/x' })).toEqual([
        '*.tmp',
        '/root/.cache',
        '/x/y',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
