import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from './crypto.js';
import { WrongPasswordError } from './errors.js';
import { Repository } from './repository.js';
import { restoreSnapshot, unsafeName, verifyFile } from './restore.js';
import { MODE } from './tree.js';
import {
  corruptBlob,
  makeRepo,
  node,
  putBlobs,
  putSnapshot,
  putTree,
  TEST_PASSWORD,
  tempDir,
  removeTempDirs,
} from './testkit.js';

afterAll(removeTempDirs);

const MTIME = 1_600_000_000_987_654_321n;
const t = { ns: MTIME, offset: 0 };

async function sampleRepo(): Promise<{ repo: Repository; tree: string; zeros: Buffer; big: Buffer }> {
  const repo = await makeRepo(2);
  const big = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
  const zeros = Buffer.alloc(1024 * 1024);
  const [hello, part1, part2, zid] = await putBlobs(repo, [
    { type: 'data', data: Buffer.from('hello\n') },
    { type: 'data', data: big.subarray(0, 2 * 1024 * 1024) },
    { type: 'data', data: big.subarray(2 * 1024 * 1024), compress: false },
    { type: 'data', data: zeros },
  ]);
  const sub = await putTree(repo, [
    node('hello.txt', 'file', {
      content: [hello!],
      size: 6,
      mode: 0o640,
      mtime: t,
      atime: t,
      inode: 42n,
      deviceId: 1n,
      links: 2,
    }),
    node('hardlink', 'file', {
      content: [hello!],
      size: 6,
      mode: 0o640,
      mtime: t,
      atime: t,
      inode: 42n,
      deviceId: 1n,
      links: 2,
    }),
    node('big.bin', 'file', { content: [part1!, part2!], size: big.length, mtime: t }),
    node('sparse', 'file', { content: [zid!, hello!, zid!], size: 2 * zeros.length + 6 }),
    node('empty', 'file', { content: [], mode: 0o600 }),
    node('allzero', 'file', { content: [zid!], size: zeros.length }),
    node('link', 'symlink', { linktarget: Buffer.from('hello.txt') }),
    node(Buffer.from([0x6e, 0xff, 0x2e, 0x74]), 'file', { content: [hello!], size: 6 }),
    node('ünï cödé 日本', 'file', { content: [hello!], size: 6, mode: 0o755 }),
    node('fifo', 'fifo', { mode: (1 << 25) | 0o644 }),
  ]);
  const tree = await putTree(repo, [
    node('data', 'dir', { subtree: sub, mtime: t, atime: t, mode: (1 << 31) | 0o750 }),
    node('other', 'dir', { subtree: await putTree(repo, []) }),
  ]);
  await putSnapshot(repo, tree);
  return { repo, tree, zeros, big };
}

describe('restore', () => {
  it('restores contents, empty, sparse and non-UTF-8 files, symlinks, hard links, modes and times', async () => {
    const { repo, tree, zeros, big } = await sampleRepo();
    const target = tempDir();
    const r = await restoreSnapshot(repo, tree, { target, verify: true });
    expect(r.errors).toEqual([]);
    expect(r.verifyErrors).toEqual([]);
    const d = join(target, 'data');
    expect(readFileSync(join(d, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(sha256Hex(readFileSync(join(d, 'big.bin')))).toBe(sha256Hex(big));
    expect(readFileSync(join(d, 'empty')).length).toBe(0);
    const sp = statSync(join(d, 'sparse'));
    expect(sp.size).toBe(2 * zeros.length + 6);
    expect(sp.blocks * 512).toBeLessThan(zeros.length); // holes, not written zeros
    expect(
      readFileSync(join(d, 'sparse'))
        .subarray(zeros.length, zeros.length + 6)
        .toString(),
    ).toBe('hello\n');
    const az = statSync(join(d, 'allzero'));
    expect(az.size).toBe(zeros.length);
    expect(az.blocks * 512).toBeLessThan(zeros.length);
    expect(readlinkSync(join(d, 'link'))).toBe('hello.txt');
    expect(statSync(join(d, 'hardlink')).ino).toBe(statSync(join(d, 'hello.txt')).ino);
    expect(r.links).toBe(1);
    expect(statSync(join(d, 'hello.txt')).mode & 0o7777).toBe(0o640);
    expect(statSync(join(d, 'ünï cödé 日本')).mode & 0o7777).toBe(0o755);
    expect(lstatSync(join(d, 'fifo')).isFIFO()).toBe(true);
    const raw = readdirSync(Buffer.from(d), { encoding: 'buffer' }).map((b) => b.toString('hex'));
    expect(raw).toContain('6eff2e74');
    // Times to the microsecond (Node's utimes cannot set nanoseconds), directories included (set after contents).
    for (const p of [join(d, 'hello.txt'), d]) {
      const st = statSync(p, { bigint: true });
      expect(st.mtimeNs / 1000n).toBe(MTIME / 1000n);
    }
    expect(statSync(d).mode & 0o7777).toBe(0o750);
  });

  it('keeps what is there with overwrite never, replaces only older items with if-newer, and reports progress', async () => {
    const { repo, tree, big } = await sampleRepo();
    const target = tempDir();
    const d = join(target, 'data');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'hello.txt'), 'mine, newer');
    writeFileSync(join(d, 'big.bin'), 'mine, older');
    utimesSync(join(d, 'big.bin'), 1_000_000_000, 1_000_000_000);
    const never = await restoreSnapshot(repo, tree, { target, overwrite: 'never' });
    expect(never.skipped.sort()).toEqual([join(d, 'big.bin'), join(d, 'hello.txt')]);
    expect(readFileSync(join(d, 'big.bin'), 'utf8')).toBe('mine, older');
    expect(readFileSync(join(d, 'empty')).length).toBe(0); // the rest is restored
    const seen: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number }[] = [];
    const newer = await restoreSnapshot(repo, tree, {
      target,
      overwrite: 'if-newer',
      verify: true,
      onProgress: (p) => seen.push(p),
    });
    expect(newer.skipped).toContain(join(d, 'hello.txt'));
    expect(newer.skipped).not.toContain(join(d, 'big.bin'));
    expect(readFileSync(join(d, 'hello.txt'), 'utf8')).toBe('mine, newer');
    expect(sha256Hex(readFileSync(join(d, 'big.bin')))).toBe(sha256Hex(big));
    expect(newer.verifyErrors).toEqual([]);
    const last = seen.at(-1)!;
    expect(seen[0]).toMatchObject({ filesDone: 0, bytesDone: 0 });
    expect(last).toEqual({ filesDone: 1, filesTotal: 1, bytesDone: big.length, bytesTotal: big.length });
  });

  it('stops when its signal aborts: before it starts, and between the walk and the file contents', async () => {
    const { repo, tree } = await sampleRepo();
    const early = new AbortController();
    early.abort(new Error('cancelled'));
    const first = tempDir();
    await expect(restoreSnapshot(repo, tree, { target: first, signal: early.signal })).rejects.toThrow(
      'cancelled',
    );
    expect(readdirSync(first)).toEqual([]);
    const late = new AbortController();
    const second = tempDir();
    const stopped = restoreSnapshot(repo, tree, {
      target: second,
      signal: late.signal,
      onProgress: (p) => {
        if (p.filesDone === 0) late.abort(new Error('cancelled while it ran'));
      },
    });
    await expect(stopped).rejects.toThrow('cancelled while it ran');
    expect(existsSync(join(second, 'data', 'big.bin'))).toBe(false); // no pack was read after the abort
  });

  it('restores only included paths (and the folders leading to them)', async () => {
    const { repo, tree } = await sampleRepo();
    const target = tempDir();
    const r = await restoreSnapshot(repo, tree, { target, include: ['/data/hello.txt', '/data/link'] });
    expect(r.errors).toEqual([]);
    expect(readdirSync(target)).toEqual(['data']);
    expect(readdirSync(join(target, 'data')).sort()).toEqual(['hello.txt', 'link']);
  });

  it('never writes outside the target, whatever names a hostile tree holds', async () => {
    const repo = await makeRepo(2);
    const outside = tempDir();
    const [blob] = await putBlobs(repo, [{ type: 'data', data: Buffer.from('pwned') }]);
    const inner = await putTree(repo, [node('pwned', 'file', { content: [blob!], size: 5 })]);
    const evil = [
      node('..', 'dir', { subtree: inner }),
      node('.', 'dir', { subtree: inner }),
      node('', 'file', { content: [blob!] }),
      node('a/../../x', 'file', { content: [blob!] }),
      node(`..${'/'}..${outside}/pwned`, 'file', { content: [blob!] }),
      node('nul\0name', 'file', { content: [blob!] }),
      // A symlink to the outside folder, then a folder of the same name whose contents would follow it.
      node('esc', 'symlink', { linktarget: Buffer.from(outside) }),
      node('esc', 'dir', { subtree: inner }),
      node('ok', 'file', { content: [blob!], size: 5 }),
    ];
    const tree = await putTree(repo, evil, true);
    const target = tempDir();
    const r = await restoreSnapshot(repo, tree, { target });
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(target, '..', 'pwned'))).toBe(false);
    expect(readFileSync(join(target, 'ok'), 'utf8')).toBe('pwned');
    expect(r.errors.length).toBeGreaterThanOrEqual(6);
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(
      /"\.\."[\s\S]*"\."[\s\S]*empty[\s\S]*"\/"[\s\S]*NUL[\s\S]*duplicate/,
    );
    expect(unsafeName(Buffer.from('fine'))).toBeUndefined();
  });

  it('refuses to restore into a planted symlink in an existing target', async () => {
    const { repo, tree } = await sampleRepo();
    const target = tempDir();
    const outside = tempDir();
    const { symlinkSync } = await import('node:fs');
    symlinkSync(outside, join(target, 'data'));
    const r = await restoreSnapshot(repo, tree, { target });
    expect(readdirSync(outside)).toEqual([]);
    expect(r.errors.some((e) => /non-directory/.test(e.message))).toBe(true);
  });

  it('reports, but survives, a missing blob and a corrupted pack; verify catches changed files', async () => {
    const { repo, tree } = await sampleRepo();
    // Corrupt every pack holding data blobs of big.bin by rewriting the stored file.
    corruptBlob(repo, sha256Hex(Buffer.from('hello\n')), 20, 0xff);
    const target = tempDir();
    const r = await restoreSnapshot(repo, tree, { target });
    expect(r.errors.some((e) => /MAC mismatch|verification failed/.test(e.message))).toBe(true);
    expect(existsSync(join(target, 'data', 'big.bin'))).toBe(true);
  });

  it('verify reports a file changed after restore', async () => {
    const { repo, tree } = await sampleRepo();
    const target = tempDir();
    const r1 = await restoreSnapshot(repo, tree, { target, verify: true });
    expect(r1.verifyErrors).toEqual([]);
    const big = (await repo.loadTree((await repo.loadTree(tree)).nodes[0]!.subtree!)).nodes.find(
      (n) => n.name.toString() === 'big.bin',
    )!;
    const p = join(target, 'data', 'big.bin');
    expect(await verifyFile(repo, p, big)).toBeUndefined();
    const bytes = readFileSync(p);
    bytes[2 * 1024 * 1024 + 5]! ^= 1;
    writeFileSync(p, bytes);
    expect(await verifyFile(repo, p, big)).toMatch(/differs at offset 2097152/);
    writeFileSync(p, bytes.subarray(0, 100));
    expect(await verifyFile(repo, p, big)).toMatch(/differs/);
  });
});

describe('restore data path', () => {
  it('shares a blob between files and falls back to a second copy when the first is corrupt', async () => {
    const repo = await makeRepo(2);
    const x = Buffer.alloc(200_000, 9);
    const y = Buffer.from('tail');
    const [xid, yid] = await putBlobs(repo, [
      { type: 'data', data: x, compress: false },
      { type: 'data', data: y },
    ]);
    await putBlobs(repo, [{ type: 'data', data: x, compress: false }]); // a second copy in another pack
    corruptBlob(repo, xid!, 500);
    const content = [xid!, yid!, xid!];
    const tree = await putTree(repo, [
      node('f1', 'file', { content, size: 2 * x.length + 4 }),
      node('f2', 'file', { content, size: 2 * x.length + 4 }),
    ]);
    const target = tempDir();
    const r = await restoreSnapshot(repo, tree, { target, verify: true });
    expect(r.errors).toEqual([]);
    expect(r.verifyErrors).toEqual([]);
    const want = Buffer.concat([x, y, x]);
    expect(readFileSync(join(target, 'f1')).equals(want)).toBe(true);
    expect(readFileSync(join(target, 'f2')).equals(want)).toBe(true);
  });

  it('restores small files whole (contents, holes, modes, owner, times), with workers and without', async () => {
    const repo = await makeRepo(2);
    const same = Buffer.from('the same words in two files\n'.repeat(40));
    const zeros = Buffer.alloc(256 * 1024);
    const [aid, sid, zid, bid, cid] = await putBlobs(repo, [
      { type: 'data', data: Buffer.from('alpha\n') },
      { type: 'data', data: same },
      { type: 'data', data: zeros },
      { type: 'data', data: Buffer.from('bravo\n'), compress: false },
      { type: 'data', data: Buffer.from('charlie\n') },
    ]);
    // A second copy of charlie's blob; the first copy is corrupted below.
    await putBlobs(repo, [{ type: 'data', data: Buffer.from('charlie\n') }]);
    const uid = process.getuid?.() ?? 0;
    const tree = await putTree(repo, [
      node('alpha', 'file', { content: [aid!], size: 6, mode: 0o640, mtime: t, atime: t }),
      node('same-1', 'file', { content: [sid!], size: same.length, mode: 0o600 }),
      node('same-2', 'file', { content: [sid!], size: same.length, mode: MODE.setgid | 0o750, uid }),
      node('zeros', 'file', { content: [zid!], size: zeros.length }),
      node(Buffer.from([0x62, 0xff]), 'file', { content: [bid!], size: 6, mtime: t }),
      node('charlie', 'file', { content: [cid!], size: 8, mode: 0o604, mtime: t }),
      node('blocked', 'file', { content: [aid!], size: 6 }),
    ]);
    corruptBlob(repo, cid!, 3);
    for (const workers of [undefined, 0]) {
      const target = tempDir();
      // A non-empty folder where a file goes: that file fails, the others are restored.
      mkdirSync(join(target, 'blocked'));
      writeFileSync(join(target, 'blocked', 'keep'), 'x');
      const r = await restoreSnapshot(repo, tree, { target, workers, verify: true });
      expect(r.errors.map((e) => e.path)).toEqual([join(target, 'blocked')]);
      expect(r.files).toBe(6);
      expect(readFileSync(join(target, 'alpha'), 'utf8')).toBe('alpha\n');
      expect(readFileSync(join(target, 'same-1')).equals(same)).toBe(true);
      expect(readFileSync(join(target, 'same-2')).equals(same)).toBe(true);
      expect(readFileSync(Buffer.from(join(target, 'b\xff'), 'latin1')).toString()).toBe('bravo\n');
      expect(readFileSync(join(target, 'charlie'), 'utf8')).toBe('charlie\n'); // from the second copy
      const z = statSync(join(target, 'zeros'));
      expect(z.size).toBe(zeros.length);
      expect(z.blocks * 512).toBeLessThan(zeros.length);
      expect(statSync(join(target, 'alpha')).mode & 0o7777).toBe(0o640);
      expect(statSync(join(target, 'same-1')).mode & 0o7777).toBe(0o600);
      expect(statSync(join(target, 'same-2')).mode & 0o7777).toBe(0o2750);
      expect(statSync(join(target, 'charlie')).mode & 0o7777).toBe(0o604);
      for (const name of ['alpha', 'charlie']) {
        const st = statSync(join(target, name), { bigint: true });
        expect(st.mtimeNs / 1000n).toBe(MTIME / 1000n);
      }
      const raw = statSync(Buffer.from(join(target, 'b\xff'), 'latin1'), { bigint: true });
      expect(raw.mtimeNs / 1000n).toBe(MTIME / 1000n);
      expect(readFileSync(join(target, 'blocked', 'keep'), 'utf8')).toBe('x');
    }
  });

  it('reports a file whose blob sizes disagree with its recorded size', async () => {
    const repo = await makeRepo(2);
    const [id] = await putBlobs(repo, [{ type: 'data', data: Buffer.from('12345') }]);
    const tree = await putTree(repo, [node('f', 'file', { content: [id!], size: 99 })]);
    const r = await restoreSnapshot(repo, tree, { target: tempDir() });
    expect(r.errors.map((e) => e.message)).toEqual(['blobs hold 5 bytes, snapshot says 99']);
    expect(r.files).toBe(0);
  });
});

describe('opening', () => {
  it('rejects a wrong password with WrongPasswordError', async () => {
    const repo = await makeRepo(2);
    await expect(Repository.open(repo.backend, 'wrong')).rejects.toBeInstanceOf(WrongPasswordError);
    const ok = await Repository.open(repo.backend, TEST_PASSWORD);
    expect(ok.config.id).toBe(repo.config.id);
  });
});
