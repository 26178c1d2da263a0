import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../../test/support/requires.js';
import { setXattr, userXattrProblem, xattrTree } from '../../test/support/xattrs.js';
import { backup } from './archiver.js';
import { restoreSnapshot } from './restore.js';
import { makeRepo, node, putTree, removeTempDirs, tempDir } from './testkit.js';
import { decodeTree, encodeNode, encodeTree } from './tree.js';
import { XattrReader } from './xattr.js';

afterAll(() => removeTempDirs());

describe('extended_attributes encoding', () => {
  const n = node('f', 'file', {
    linktarget: Buffer.from('t'),
    linktargetRaw: Buffer.from([0xff]),
    extendedAttributes: [
      { name: 'user.z', value: Buffer.from('1') },
      { name: 'user.a', value: Buffer.alloc(0) },
    ],
    genericAttributes: { k: '1' },
    device: 5n,
  });

  it('comes after linktarget_raw and before generic_attributes/device/content, in the given order', () => {
    const s = encodeNode(n);
    expect(s).toContain(
      `"linktarget_raw":"/w==","extended_attributes":[{"name":"user.z","value":"MQ=="},{"name":"user.a","value":""}],"generic_attributes":{"k":1},"device":5,"content":[]`,
    );
  });

  it('is omitted when empty and survives a decode/encode round trip', () => {
    expect(encodeNode({ ...n, extendedAttributes: [] })).not.toContain('extended_attributes');
    const bytes = encodeTree([n]);
    expect(encodeTree(decodeTree(bytes).nodes).equals(bytes)).toBe(true);
  });
});

describe('reading', () => {
  it('reports a path that cannot be read as a problem, not a throw', () => {
    const r = new XattrReader().read(Buffer.from('/nonexistent/steward-x'), 'file', 1n);
    expect(r.attrs).toBeUndefined();
    expect(r.problems?.[0]).toMatch(/No such file/);
  });
});

const dir = tempDir('steward-xattr-unit-');
const problem = userXattrProblem(dir);
const run = requireComponent('xattr backup/restore', problem === undefined, problem ?? '');

describe.runIf(run)('backup and restore of user attributes', () => {
  it('restores what was backed up', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'd'), { recursive: true });
    writeFileSync(join(src, 'a'), 'a');
    setXattr(join(src, 'a'), 'user.one', '1');
    setXattr(join(src, 'a'), 'user.empty', '');
    setXattr(join(src, 'd'), 'user.dir', Buffer.from([0, 1, 2]));
    writeFileSync(join(src, 'd', 'b'), 'b');
    setXattr(join(src, 'd', 'b'), 'user.b', 'bee');
    const repo = await makeRepo();
    const r = await backup(repo, { targets: [src] });
    expect(r.warnings).toEqual([]);
    const target = tempDir();
    // A folder already there with a stray attribute: the restore removes it, as restic does.
    mkdirSync(join(target, src, 'd'), { recursive: true });
    setXattr(join(target, src, 'd'), 'user.stray', 's');
    const res = await restoreSnapshot(repo, r.snapshot.tree, { target });
    expect(res.errors).toEqual([]);
    expect(res.warnings).toEqual([]);
    expect(xattrTree(join(target, src))).toEqual(xattrTree(src));
    expect(Object.keys(xattrTree(src))).toEqual(['/a', '/d', '/d/b']);
  });

  it('an attribute the file system refuses is a warning, the others are set', async () => {
    const repo = await makeRepo();
    const tree = await putTree(repo, [
      node('mac.txt', 'file', {
        extendedAttributes: [
          { name: 'com.apple.quarantine', value: Buffer.from('q') },
          { name: 'user.ok', value: Buffer.from('k') },
        ],
      }),
    ]);
    const target = tempDir();
    const res = await restoreSnapshot(repo, tree, { target });
    expect(res.errors).toEqual([]);
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]!.message).toMatch(/com\.apple\.quarantine/);
    expect(existsSync(join(target, 'mac.txt'))).toBe(true);
    expect(xattrTree(target)).toEqual({ '/mac.txt': [`user.ok=${Buffer.from('k').toString('hex')}`] });
  });
});
