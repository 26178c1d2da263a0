import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { backupRunOf, enrolDevice } from '../../../../test/support/devices.js';

describe('company backups: the lists behind the pages (a device’s runs, every repository)', () => {
  let app: TestApp;
  let dir: string;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    dir = mkdtempSync(join(tmpdir(), 'steward-backup-lists-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = () => app.as(app.admin);
  const report = (token: string, minutesAgo: number, status: 'succeeded' | 'failed', n: number) =>
    app.anonymous.post('/api/v1/agents/backup/runs', backupRunOf(status, n, minutesAgo), {
      authorization: `Bearer ${token}`,
    });

  it('pages a computer’s runs newest first with a cursor, and refuses what is not one', async () => {
    const dev = await enrolDevice(app, 'paging-laptop');
    const other = await enrolDevice(app, 'other-laptop');
    // five runs, two of them at the same instant (the cursor's id breaks the tie)
    for (const [i, m] of [50, 40, 30, 30, 10].entries())
      expect((await report(dev.token, m, i === 2 ? 'failed' : 'succeeded', i + 1)).statusCode).toBe(201);
    expect((await report(other.token, 5, 'succeeded', 99)).statusCode).toBe(201);
    const seen: { filesNew: number; ciId: string; status: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await admin().get(
        `/api/v1/backup/runs?ciId=${dev.ciId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(r.statusCode).toBe(200);
      seen.push(...r.json().items);
      cursor = r.json().nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((r) => r.filesNew)).toHaveLength(5);
    expect(new Set(seen.map((r) => r.filesNew))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(seen[0]?.filesNew).toBe(5);
    expect(seen.at(-1)?.filesNew).toBe(1);
    expect(seen.every((r) => r.ciId === dev.ciId)).toBe(true);
    expect(seen.find((r) => r.status === 'failed')).toMatchObject({ filesNew: 3 });

    const location = (await admin().post('/api/v1/cis', { classKey: 'location', name: 'Lyon' })).json();
    expect((await admin().get(`/api/v1/backup/runs?ciId=${location.id}`)).statusCode).toBe(404);
    expect((await admin().get(`/api/v1/backup/runs?ciId=not-a-uuid`)).statusCode).toBe(400);
    expect((await admin().get(`/api/v1/backup/runs?ciId=${dev.ciId}&cursor=forged`)).statusCode).toBe(400);
    const agent = await app.user('agent');
    expect([403, 404]).toContain(
      (await app.as(agent).get(`/api/v1/backup/runs?ciId=${dev.ciId}`)).statusCode,
    );
  });

  it('lists every device’s repository by device name, with its target, for admins only', async () => {
    const target = (
      await admin().post('/api/v1/backup/targets', { name: 'Server disk', location: join(dir, 'store') })
    ).json();
    const zed = await enrolDevice(app, 'zed-desktop');
    const amy = await enrolDevice(app, 'amy-desktop');
    await enrolDevice(app, 'no-repo-desktop');
    for (const d of [zed, amy])
      expect(
        (await admin().put(`/api/v1/backup/repositories/${d.ciId}`, { targetId: target.id })).statusCode,
      ).toBe(201);
    const list = await admin().get('/api/v1/backup/repositories');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        ciId: amy.ciId,
        deviceName: 'amy-desktop',
        targetName: 'Server disk',
        location: join(dir, 'store', `steward-${amy.ciId}`),
      }),
      expect.objectContaining({ ciId: zed.ciId, deviceName: 'zed-desktop', targetId: target.id }),
    ]);
    const agent = await app.user('agent');
    expect([403, 404]).toContain((await app.as(agent).get('/api/v1/backup/repositories')).statusCode);
  });
});
