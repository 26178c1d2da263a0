/**
 * The backup endpoint streams uploads to the storage target as they arrive: an upload cut off mid-stream or
 * whose bytes do not match its name leaves nothing on the target (no file, no temporary file), and a pack of
 * restic's largest size goes through with Steward's memory staying flat (it is never held whole).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { setup, type TestApp } from '../support/api.js';
import { enrolDevice } from '../support/devices.js';
import { type Endpoint, eventually, filesNamed, generatedPack, upload } from './endpoint-uploads.js';

describe('the backup endpoint streams uploads to a folder on the server', () => {
  let app: TestApp;
  let dir: string;
  let device: Endpoint;
  let store: LocalBackend;
  let repoDir: string;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    await app.server.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'steward-streaming-'));
    const target = (
      await app
        .as(app.admin)
        .post('/api/v1/backup/targets', { name: 'Server disk', location: join(dir, 'store') })
    ).json<{ id: string }>();
    const d = await enrolDevice(app, 'rita-laptop');
    const put = await app.as(app.admin).put(`/api/v1/backup/repositories/${d.ciId}`, { targetId: target.id });
    expect(put.statusCode).toBe(201);
    device = { base, ciId: d.ciId, token: d.token };
    repoDir = join(dir, 'store', `steward-${d.ciId}`);
    store = new LocalBackend(repoDir);
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const nothingLeft = async (name: string) =>
    eventually(
      async () =>
        filesNamed(repoDir, '.steward-tmp-').length === 0 && !(await store.exists({ type: 'pack', name })),
    );

  it('leaves nothing of an upload cut off mid-stream, and takes the whole one afterwards', async () => {
    const pack = generatedPack(12 * 1024 * 1024);
    const status = await upload(device, pack.name, 12 * 1024 * 1024, pack.pieces(), 5 * 1024 * 1024);
    expect(status).toBe(0);
    expect(await nothingLeft(pack.name)).toBe(true);
    expect(await upload(device, pack.name, 12 * 1024 * 1024, pack.pieces())).toBe(200);
    expect((await store.stat({ type: 'pack', name: pack.name })).size).toBe(12 * 1024 * 1024);
    expect(filesNamed(repoDir, '.steward-tmp-')).toEqual([]);
  });

  it('refuses an upload whose bytes do not match its name, and leaves nothing', async () => {
    const pack = generatedPack(6 * 1024 * 1024);
    const other = generatedPack(6 * 1024 * 1024); // same size, other bytes
    expect(await upload(device, pack.name, 6 * 1024 * 1024, other.pieces())).toBe(400);
    expect(await nothingLeft(pack.name)).toBe(true);
  });

  it('streams a pack of restic’s largest size with its memory flat', async () => {
    const size = 128 * 1024 * 1024;
    const pack = generatedPack(size);
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    try {
      expect(await upload(device, pack.name, size, pack.pieces())).toBe(200);
    } finally {
      clearInterval(timer);
    }
    expect((await store.stat({ type: 'pack', name: pack.name })).size).toBe(size);
    // Held whole, the upload alone would add 128 MiB (and its concatenation as much again).
    expect(peak - baseline).toBeLessThan(48 * 1024 * 1024);
  });
});
