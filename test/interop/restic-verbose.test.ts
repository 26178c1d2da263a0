/**
 * `steward repo backup -vv` next to restic 0.14's: the same per-item lines (`new`, `unchanged`, `modified`, with
 * the time taken and what was added; folders with a trailing `/`, the folders above the target too), the same
 * `-v` lines around them, the `verbose_status` messages of `--json -v`, and the summary's padding.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../../src/backup/testkit.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { requireComponent } from '../support/requires.js';
import { prng } from './fixture.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'verbose-pw';
const run = requireComponent('restic -vv interop', resticAvailable, 'restic binary not found');

/** The per-item lines, sorted (the tools finish items in different orders), stored sizes blanked. */
function itemLines(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /^(new|unchanged|modified) /.test(l))
    .map((l) =>
      l
        .replace(/saved in \d+\.\d{3}s/, 'saved in T')
        // Stored sizes depend on the compressor; what was added (plain bytes) must agree.
        .replace(/, [\d.]+ [KMG]?i?B stored/, ', S stored')
        .replace(/, [\d.]+ [KMG]?i?B metadata/, ', M metadata'),
    )
    .sort();
}

describe.runIf(run)('backup -vv', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';
  let src = '';
  let theirs = '';
  let mine = '';

  beforeAll(() => {
    dir = tempDir('steward-verbose-');
    src = join(dir, 'src');
    mkdirSync(join(src, 'a'), { recursive: true });
    mkdirSync(join(src, 'b'));
    writeFileSync(join(src, 'a', 'x.txt'), 'x\n');
    writeFileSync(join(src, 'a', 'y.txt'), 'y\n');
    writeFileSync(join(src, 'b', 'z.bin'), prng(3, 1500 * 1024));
    theirs = join(dir, 'theirs');
    mine = join(dir, 'mine');
    restic(theirs, PW, ['init']);
    // The same chunker polynomial, so both cut the same blobs.
    restic(mine, PW, ['init', '--copy-chunker-params', '--from-repo', theirs], {
      env: { RESTIC_FROM_PASSWORD: PW },
    });
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('prints the lines restic prints for a first backup and for one with changes', async () => {
    const target = join(src, 'a');
    let last: string[] = [];
    for (const round of ['first', 'changed']) {
      if (round === 'changed') {
        appendFileSync(join(src, 'a', 'x.txt'), 'more\n');
        writeFileSync(join(src, 'a', 'new.txt'), 'new\n');
      }
      const r = restic(theirs, PW, ['-vv', 'backup', '--host', 'h', target, join(src, 'b')]);
      const m = await cli(['-r', mine, '-vv', 'backup', '--host', 'h', target, join(src, 'b')]);
      expect(m.code, m.stderr).toBe(0);
      last = itemLines(m.stdout);
      expect(itemLines(m.stdout), round).toEqual(itemLines(r));
      for (const l of r.split('\n').filter((x) => /^(Files|Dirs|Data Blobs|Tree Blobs):/.test(x)))
        expect(m.stdout.split('\n'), `${round}\n${m.stdout}\n${r}`).toContain(l);
      for (const l of ['open repository', 'lock repository', 'load index files'])
        expect(m.stdout.split('\n')).toContain(l);
      expect(m.stdout).toContain(`start backup on [${target} ${join(src, 'b')}]`);
    }
    // The round with changes says what changed and what did not.
    expect(last).toContain(`modified  ${src}/a/x.txt, saved in T (7 B added, S stored)`);
    expect(last).toContain(`new       ${src}/a/new.txt, saved in T (4 B added)`);
    expect(last).toContain(`unchanged ${src}/b/z.bin`);
    expect(last).toContain(`unchanged ${src}/b/`);
  });

  it('-v alone lists no items; an unchanged backup pads its summary as restic does', async () => {
    const r = restic(theirs, PW, ['backup', '--host', 'h', join(src, 'a'), join(src, 'b')]);
    const m = await cli(['-r', mine, 'backup', '--host', 'h', join(src, 'a'), join(src, 'b')]);
    const added = (out: string): string | undefined => out.split('\n').find((l) => l.startsWith('Added'));
    // Sizes padded to 5 characters as restic's %-5s ("0 B   (0 B   stored)"). What is added depends on /tmp's
    // metadata at that moment (the folders above the target are stored too), so only the shape is compared.
    const shape = /^Added to the repository: (\S+ \S+\s*) \((\S+ \S+\s*) stored\)$/;
    for (const out of [m.stdout, r]) {
      const [, a1, a2] = shape.exec(added(out) ?? '') ?? [];
      expect(a1?.length, added(out)).toBeGreaterThanOrEqual(5);
      expect(a2?.length, added(out)).toBeGreaterThanOrEqual(5);
    }
    const head = (out: string): string[] =>
      out
        .split('\n')
        .slice(0, 2)
        .map((l) => l.replace(/[0-9a-f]{8}$/, 'ID'));
    expect(head(m.stdout)).toEqual(['using parent snapshot ID', '']);
    expect(head(m.stdout)).toEqual(head(r));
    const v = await cli(['-r', mine, '-v', 'backup', '--host', 'h', join(src, 'a')]);
    expect(itemLines(v.stdout)).toEqual([]);
    expect(v.stdout).toContain('Data Blobs:      0 new');
  });

  it('--json -v adds a verbose_status message per item, as restic 0.14', async () => {
    writeFileSync(join(src, 'a', 'json.txt'), 'json\n');
    const parse = (out: string) =>
      out
        .split('\n')
        .filter((l) => l.includes('"verbose_status"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const r = parse(restic(theirs, PW, ['--json', '-v', 'backup', '--host', 'h', join(src, 'a')]));
    const m = parse(
      (await cli(['-r', mine, '--json', '-v', 'backup', '--host', 'h', join(src, 'a')])).stdout,
    );
    const shape = (msgs: Record<string, unknown>[]) =>
      msgs
        .map(
          (x) => `${String(x.action)} ${String(x.item)} ${String(x.data_size)} ${Object.keys(x).join(',')}`,
        )
        .sort();
    expect(shape(m)).toEqual(shape(r));
    expect(m.find((x) => x.item === `${src}/a/json.txt`)).toMatchObject({ action: 'new', data_size: 5 });
    const quiet = await cli(['-r', mine, '--json', 'backup', '--host', 'h', join(src, 'a')]);
    expect(quiet.stdout).not.toContain('verbose_status');
  });
});
