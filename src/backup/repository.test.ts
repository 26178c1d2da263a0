import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, IntegrityError } from './errors.js';
import { calibrateKdf } from './keys.js';
import { Repository } from './repository.js';
import { corruptBlob, makeRepo, putBlobs, TEST_PASSWORD, removeTempDirs } from './testkit.js';

afterAll(removeTempDirs);

describe('Repository blob loading', () => {
  it('loads blobs on worker threads and keeps error classes', async () => {
    const repo = await makeRepo(2);
    const big = randomBytes(300_000);
    const small = Buffer.from('small');
    const [bigId, smallId] = await putBlobs(repo, [
      { type: 'data', data: big, compress: false },
      { type: 'data', data: small },
    ]);
    const opened = await Repository.open(repo.backend, TEST_PASSWORD);
    await opened.withWorkers(async () => {
      expect((await opened.loadBlob('data', bigId!)).equals(big)).toBe(true);
      expect((await opened.loadBlob('data', smallId!)).equals(small)).toBe(true);
    }, 2);
    await expect(opened.loadBlob('tree', bigId!)).rejects.toBeInstanceOf(BlobNotFoundError);
    corruptBlob(opened, bigId!, 1000);
    await opened.withWorkers(async () => {
      await expect(opened.loadBlob('data', bigId!)).rejects.toBeInstanceOf(IntegrityError);
    });
    await expect(opened.loadBlob('data', bigId!)).rejects.toBeInstanceOf(IntegrityError);
  });

  it('v1 repositories store blobs uncompressed and unpacked files as plain JSON', async () => {
    const repo = await makeRepo(1);
    const [id] = await putBlobs(repo, [{ type: 'data', data: Buffer.from('v1 data') }]);
    expect(repo.index.lookup('data', id!)[0]!.uncompressedLength).toBeUndefined();
    const opened = await Repository.open(repo.backend, TEST_PASSWORD);
    expect(opened.version).toBe(1);
    expect((await opened.loadBlob('data', id!)).toString()).toBe('v1 data');
    const sid = await opened.saveUnpacked('snapshot', '{"x":1}');
    expect((await opened.loadUnpacked('snapshot', sid)).toString()).toBe('{"x":1}');
  });

  it('calibrates scrypt from restic starting point', async () => {
    const p = await calibrateKdf(1);
    expect(p).toEqual({ N: 16384, r: 8, p: 1 });
  });
});
