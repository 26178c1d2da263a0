/**
 * `steward repo list`, `cat` and `version` on a repository restic wrote: the same ids and the same documents
 * as restic's own `list` and `cat`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { sha256Hex } from '../../src/backup/crypto.js';
import { catObject } from '../../src/backup/inspect.js';
import { Repository } from '../../src/backup/repository.js';
import { removeTempDirs, tempDir } from '../../src/backup/testkit.js';
import { requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { restic, resticAvailable } from './restic-helpers.js';

const PW = 'inspect-pw';
const run = requireComponent(
  'restic list/cat interop',
  resticAvailable,
  'restic binary not found (apt-get install restic)',
);

const lines = (s: string): string[] => s.trim().split('\n').sort();

describe.runIf(run)('list, cat, version', () => {
  let restoreEnv = (): void => undefined;
  let repo = '';

  beforeAll(() => {
    const dir = tempDir('steward-inspect-');
    const src = join(dir, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'sub', 'note.txt'), 'a note\n');
    repo = join(dir, 'repo');
    restic(repo, PW, ['init']);
    restic(repo, PW, ['backup', src]);
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('lists what restic lists', async () => {
    for (const kind of ['blobs', 'packs', 'index', 'snapshots', 'keys', 'locks']) {
      const r = await cli(['-r', repo, 'list', kind]);
      expect(r.code, r.stderr).toBe(0);
      expect(lines(r.stdout), kind).toEqual(lines(restic(repo, PW, ['list', kind])));
    }
    const bad = await cli(['-r', repo, 'list', 'trees']);
    expect(bad.code).toBe(1);
  });

  it('prints the documents restic prints', async () => {
    const snap = lines(restic(repo, PW, ['list', 'snapshots']))[0]!;
    const index = lines(restic(repo, PW, ['list', 'index']))[0]!;
    const key = lines(restic(repo, PW, ['list', 'keys']))[0]!;
    const json = async (args: string[]): Promise<unknown> => {
      const r = await cli(['-r', repo, 'cat', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    for (const args of [
      ['config'],
      ['masterkey'],
      ['snapshot', snap.slice(0, 8)],
      ['index', index],
      ['key', key],
    ])
      expect(await json(args), args[0]).toEqual(JSON.parse(restic(repo, PW, ['cat', ...args])));
    const tree = (JSON.parse(restic(repo, PW, ['cat', 'snapshot', snap])) as { tree: string }).tree;
    const blob = await cli(['-r', repo, 'cat', 'blob', tree]);
    expect(blob.stdout).toBe(restic(repo, PW, ['cat', 'blob', tree]));
    const sub = await json(['tree', `${snap}:${join(repo, '..', 'src')}`]);
    const names = (sub as { nodes: { name: string; content?: string[] }[] }).nodes.map((n) => n.name);
    expect(names).toEqual(['sub']);
    const noteTree = (await json(['tree', `${snap}:${join(repo, '..', 'src', 'sub')}`])) as {
      nodes: { content: string[] }[];
    };
    const data = await cli(['-r', repo, 'cat', 'blob', noteTree.nodes[0]!.content[0]!]);
    expect(data.stdout).toBe('a note\n');
    const opened = await Repository.open(new LocalBackend(repo), PW);
    const pack = lines(restic(repo, PW, ['list', 'packs']))[0]!;
    expect(sha256Hex(await catObject(opened, 'pack', pack.slice(0, 10)))).toBe(pack);
    expect((await cli(['-r', repo, 'cat', 'snapshot', 'ffffffff'])).code).toBe(1);
    expect((await cli(['-r', repo, 'cat', 'nothing'])).code).toBe(1);
  });

  it('prints its version', async () => {
    const r = await cli(['version']);
    expect(r.stdout).toMatch(/^steward \S+ compiled with node v\d+/);
  });
});
