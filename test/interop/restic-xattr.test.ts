/**
 * Extended attributes against the real restic: for the same folder both tools write byte-identical trees
 * (same subtree id), each restores the other's backup with the same attributes, and a changed attribute is
 * picked up by a backup with a parent, again identically to restic; `dump` puts attributes and POSIX ACLs in
 * its tar as restic 0.14 does.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/archiver.js';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { initRepository } from '../../src/backup/init.js';
import type { Repository } from '../../src/backup/repository.js';
import { restoreSnapshot } from '../../src/backup/restore.js';
import { removeTempDirs, TEST_KDF, tempDir } from '../../src/backup/testkit.js';
import type { Node } from '../../src/backup/tree.js';
import { walkTree } from '../../src/backup/walk.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { requireComponent } from '../support/requires.js';
import { setXattr, userXattrProblem, xattrList, xattrTree } from '../support/xattrs.js';
import { prng } from './fixture.js';
import { restic, resticAvailable, resticBytes } from './restic-helpers.js';

const PW = 'xattr-pw';
const work = tempDir('steward-xattr-');
const xattrProblem = userXattrProblem(work);
const run =
  requireComponent(
    'restic xattr interop',
    resticAvailable,
    'restic binary not found (apt-get install restic)',
  ) && requireComponent('restic xattr interop', xattrProblem === undefined, xattrProblem ?? '');

const BAD_DIR = Buffer.from([0x62, 0x61, 0x64, 0xff]); // "bad\xff"

function makeSource(src: string): void {
  mkdirSync(join(src, 'sub'), { recursive: true });
  setXattr(src, 'user.root', 'r');
  writeFileSync(join(src, 'plain.txt'), 'no attributes\n');
  writeFileSync(join(src, 'two.txt'), 'two\n');
  // Set out of name order: both tools must keep the file system's listing order, not sort.
  setXattr(join(src, 'two.txt'), 'user.zeta', 'z');
  setXattr(join(src, 'two.txt'), 'user.alpha', 'a');
  setXattr(join(src, 'two.txt'), 'user.mid', 'm');
  writeFileSync(join(src, 'empty-value'), 'e');
  setXattr(join(src, 'empty-value'), 'user.empty', '');
  writeFileSync(join(src, 'binary.bin'), prng(7, 100_000));
  setXattr(
    join(src, 'binary.bin'),
    'user.bin',
    Buffer.concat([Buffer.from([0, 255, 10, 34, 92]), prng(8, 1500)]),
  );
  setXattr(join(src, 'sub'), 'user.dir', 'd');
  writeFileSync(join(src, 'sub', 'inner.txt'), 'inner\n');
  setXattr(join(src, 'sub', 'inner.txt'), 'user.inner', 'i');
  writeFileSync(join(src, 'readonly.txt'), 'ro\n');
  setXattr(join(src, 'readonly.txt'), 'user.ro', 'x');
  chmodSync(join(src, 'readonly.txt'), 0o444);
  symlinkSync('two.txt', join(src, 'link'));
  // A folder whose name is not UTF-8, with attributes, holding a UTF-8 name with attributes.
  const bad = Buffer.concat([Buffer.from(`${src}/`), BAD_DIR]);
  mkdirSync(bad);
  setXattr(bad, 'user.bad', 'b');
  writeFileSync(Buffer.concat([bad, Buffer.from('/ok.txt')]), 'ok\n');
  setXattr(Buffer.concat([bad, Buffer.from('/ok.txt')]), 'user.ok', 'k');
  // A file whose own name is not UTF-8: its attributes cannot be read, and that must not warn.
  writeFileSync(Buffer.concat([Buffer.from(`${src}/`), Buffer.from([0x66, 0xfe])]), 'f\n');
}

interface SummaryJson {
  snapshot_id: string;
}

function resticBackup(repoDir: string, args: string[]): string {
  const line = restic(repoDir, PW, ['backup', '--json', '--host', 'xhost', ...args])
    .trim()
    .split('\n')
    .find((l) => l.includes('"message_type":"summary"'))!;
  return (JSON.parse(line) as SummaryJson).snapshot_id;
}

/** The node at `path` (display path) below a snapshot tree. */
async function nodeAt(repo: Repository, tree: string, path: string): Promise<Node | undefined> {
  for await (const e of walkTree(repo, tree)) if (e.path === path) return e.node;
  return undefined;
}

describe.runIf(run)('extended attributes with restic', () => {
  let src = '';
  let repoDir = '';
  let repo: Repository;
  let oursId = '';
  let theirsId = '';

  beforeAll(async () => {
    src = join(work, 'src');
    makeSource(src);
    repoDir = join(work, 'repo');
    repo = await initRepository(new LocalBackend(repoDir), PW, { kdf: TEST_KDF });
  });
  afterAll(() => removeTempDirs());

  it('both tools write byte-identical trees for the same folder, attributes in listing order', async () => {
    const r = await backup(repo, { targets: [src], hostname: 'xhost' });
    expect(r.warnings).toEqual([]);
    oursId = r.snapshotId;
    theirsId = resticBackup(repoDir, [src]);
    await repo.reloadIndex();
    const theirs = await repo.findSnapshot(theirsId);
    const mineSrc = await nodeAt(repo, r.snapshot.tree, src);
    const theirSrc = await nodeAt(repo, theirs.tree, src);
    expect(mineSrc?.extendedAttributes?.map((a) => a.name)).toEqual(['user.root']);
    // Same subtree id = the same bytes for src's tree and every tree below it.
    expect(mineSrc?.subtree).toBeDefined();
    expect(mineSrc?.subtree).toBe(theirSrc?.subtree);
    const two = await nodeAt(repo, r.snapshot.tree, `${src}/two.txt`);
    const listed = xattrList(join(src, 'two.txt'));
    expect(two?.extendedAttributes?.map((a) => `${a.name}=${a.value.toString('hex')}`)).toEqual(listed);
    const plain = await nodeAt(repo, r.snapshot.tree, `${src}/plain.txt`);
    expect(plain?.extendedAttributes).toBeUndefined();
    const bad = await nodeAt(repo, r.snapshot.tree, `${src}/bad\ufffd`);
    expect(bad?.extendedAttributes?.map((a) => a.name)).toEqual(['user.bad']);
    const ok = await nodeAt(repo, r.snapshot.tree, `${src}/bad\ufffd/ok.txt`);
    expect(ok?.extendedAttributes?.map((a) => a.name)).toEqual(['user.ok']);
  });

  it('restic restores Steward’s backup with the same attributes', () => {
    const target = tempDir('steward-xattr-r1-');
    restic(repoDir, PW, ['restore', oursId, '--target', target]);
    const want = xattrTree(src);
    expect(Object.keys(want).length).toBeGreaterThanOrEqual(8);
    expect(xattrTree(join(target, src))).toEqual(want);
  });

  it('Steward restores restic’s backup with the same attributes', async () => {
    const target = tempDir('steward-xattr-r2-');
    const snap = await repo.findSnapshot(theirsId);
    const res = await restoreSnapshot(repo, snap.tree, { target });
    expect(res.errors).toEqual([]);
    expect(res.warnings).toEqual([]);
    expect(xattrTree(join(target, src))).toEqual(xattrTree(src));
  });

  it('changed attributes are picked up with a parent, and both tools still agree', async () => {
    setXattr(join(src, 'two.txt'), 'user.alpha', 'changed');
    setXattr(join(src, 'plain.txt'), 'user.new', 'n');
    const parent = await repo.findSnapshot(oursId);
    const r = await backup(repo, { targets: [src], parent, hostname: 'xhost' });
    expect(r.warnings).toEqual([]);
    // Untouched files take the parent's content, yet their attributes are read again.
    expect(r.summary.files_unmodified).toBeGreaterThan(0);
    const node = async (p: string): Promise<string[] | undefined> =>
      (await nodeAt(repo, r.snapshot.tree, `${src}/${p}`))?.extendedAttributes?.map(
        (a) => `${a.name}=${a.value.toString()}`,
      );
    expect(await node('two.txt')).toEqual(['user.zeta=z', 'user.alpha=changed', 'user.mid=m']);
    expect(await node('plain.txt')).toEqual(['user.new=n']);
    expect(await node('sub/inner.txt')).toEqual(['user.inner=i']);
    const theirs = resticBackup(repoDir, ['--parent', oursId, src]);
    await repo.reloadIndex();
    const t = await repo.findSnapshot(theirs);
    expect((await nodeAt(repo, r.snapshot.tree, src))?.subtree).toBe(
      (await nodeAt(repo, t.tree, src))?.subtree,
    );
  });

  it('dump writes attributes and POSIX ACLs into the tar exactly as restic 0.14 does', async (ctx) => {
    const acl = join(work, 'acl');
    mkdirSync(join(acl, 'shared'), { recursive: true });
    writeFileSync(join(acl, 'shared', 'f.txt'), 'acl\n');
    setXattr(join(acl, 'shared', 'f.txt'), 'user.note', 'n');
    try {
      // owner rw, named user 1234 r, group r, mask rw, other r; the folder also gets a default ACL.
      setXattr(join(acl, 'shared', 'f.txt'), 'system.posix_acl_access', posixAcl(0o6, 0o4));
      setXattr(join(acl, 'shared'), 'system.posix_acl_default', posixAcl(0o7, 0o5));
    } catch {
      ctx.skip(); // the file system takes no ACLs
    }
    const dumpRepo = join(work, 'acl-repo');
    restic(dumpRepo, PW, ['init']);
    restic(dumpRepo, PW, ['backup', acl]);
    const restore = useCliPassword(PW);
    try {
      for (const path of ['/', acl]) {
        const mine = await cli(['-r', dumpRepo, 'dump', 'latest', path]);
        expect(mine.code, mine.stderr).toBe(0);
        const theirs = resticBytes(dumpRepo, PW, ['dump', 'latest', path]);
        expect(mine.out.toString('latin1')).toContain('SCHILY.acl.access=user::rw-\nuser:1234:r--');
        expect(mine.out.toString('latin1')).toContain('SCHILY.acl.default=user::rwx');
        expect(mine.out.equals(theirs), path).toBe(true);
      }
    } finally {
      restore();
    }
  });
});

/** A POSIX ACL xattr value: owner, named user 1234, owning group, mask, other. */
function posixAcl(owner: number, others: number): Buffer {
  const entries: [number, number, number][] = [
    [0x01, owner, 0xffffffff],
    [0x02, others, 1234],
    [0x04, others, 0xffffffff],
    [0x10, owner, 0xffffffff],
    [0x20, others, 0xffffffff],
  ];
  const b = Buffer.alloc(4 + 8 * entries.length);
  b.writeUInt32LE(2, 0);
  entries.forEach(([tag, perm, id], i) => {
    b.writeUInt16LE(tag, 4 + 8 * i);
    b.writeUInt16LE(perm, 6 + 8 * i);
    b.writeUInt32LE(id, 8 + 8 * i);
  });
  return b;
}
