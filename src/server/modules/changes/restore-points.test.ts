import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import { backup } from '../../../backup/archiver.js';
import { openBackend } from '../../../backup/backend/location.js';
import { Repository } from '../../../backup/repository.js';

const H = 3_600_000;
const BASE = Date.parse('2032-05-03T00:00:00Z');
const at = (h: number) => new Date(BASE + h * H).toISOString();

/**
 * Restore points before a change: implementing a change on a backed-up item first asks the item's agent for a
 * snapshot (202 until it is taken), goes through once it is, or with an audited waiver; a backed-out change
 * asks for the restore, once however many people click at the same time.
 */
describe('restore points before a change', () => {
  let app: TestApp;
  let dir: string;
  let agent: TestUser;
  let manager: TestUser;
  let device: { token: string; ciId: string };
  let template: string;
  let src: string;
  const access = async () =>
    (await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${device.token}` })).json();
  const move = (id: string, to: string, extra: Record<string, unknown> = {}, who = agent) =>
    app.as(who).post(`/api/v1/changes/${id}/transitions`, { to, ...extra });
  /** What the device's agent does with a "back up now": a real snapshot into its repository, then its report. */
  const agentAnswers = async (requestId: string, fail = false) => {
    const a = await access();
    const startedAt = new Date().toISOString();
    let snapshotId: string | null = null;
    if (!fail) {
      const backend = await openBackend(join(dir, 'store', `steward-${device.ciId}`), {});
      const repo = await Repository.open(backend, a.repositoryPassword as string);
      snapshotId = (await backup(repo, { targets: [src], hostname: 'db-2', workers: false })).snapshotId;
      await backend.close();
    }
    const r = await app.anonymous.post(
      '/api/v1/agents/backup/runs',
      {
        startedAt,
        finishedAt: new Date().toISOString(),
        status: fail ? 'failed' : 'succeeded',
        snapshotId,
        filesNew: 1,
        filesChanged: 0,
        filesUnmodified: 0,
        bytesProcessed: 10,
        bytesAdded: 10,
        warnings: [],
        error: fail ? 'the disk is unreadable' : null,
        snapshotRequestId: requestId,
      },
      { authorization: `Bearer ${device.token}` },
    );
    expect(r.statusCode, r.body).toBe(201);
  };
  const actions = async (id: string) =>
    (await app.as(app.admin).get(`/api/v1/audit?entityType=change&entityId=${id}&limit=100`))
      .json()
      .items.map((e: { action: string }) => e.action) as string[];
  const scheduled = async (title: string, h: number) => {
    const c = await app.as(agent).post('/api/v1/changes', {
      templateId: template,
      title,
      itemIds: [device.ciId],
      plannedStart: at(h),
      plannedEnd: at(h + 1),
    });
    expect(c.statusCode, c.body).toBe(201);
    await move(c.json().id, 'assessment');
    expect((await move(c.json().id, 'scheduled')).statusCode).toBe(200);
    return c.json().id as string;
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    dir = mkdtempSync(join(tmpdir(), 'steward-change-restore-'));
    agent = await app.user('agent', { name: 'Ada Agent' });
    manager = await app.user('manager', { name: 'Max Manager' });
    device = await enrolDevice(app, 'db-2');
    const target = await app
      .as(app.admin)
      .post('/api/v1/backup/targets', { name: 'Disk', location: join(dir, 'store') });
    const put = await app
      .as(app.admin)
      .put(`/api/v1/backup/repositories/${device.ciId}`, { targetId: target.json().id });
    expect(put.statusCode, put.body).toBe(201);
    src = join(dir, 'etc', 'db');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'db.conf'), 'max_connections = 100');
    template = (
      await app.as(app.admin).post('/api/v1/change-templates', { name: 'Config tweak', type: 'standard' })
    ).json().id;
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks the agent for a snapshot before implementing, waits for it, links it, and restores it once when backed out', async () => {
    const id = await scheduled('Raise max_connections', 1);
    expect((await access()).snapshotRequestId).toBeNull();
    const first = await move(id, 'implementing');
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({
      status: 'scheduled',
      restorePoints: [{ ciId: device.ciId, ciName: 'db-2', state: 'requested', snapshotId: null }],
    });
    const requestId = (await access()).snapshotRequestId as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Asking again while the agent works asks nothing more.
    expect((await move(id, 'implementing')).statusCode).toBe(202);
    expect((await access()).snapshotRequestId).toBe(requestId);

    await agentAnswers(requestId);
    expect((await access()).snapshotRequestId).toBeNull();
    const moved = await move(id, 'implementing');
    expect(moved.statusCode, moved.body).toBe(200);
    const point = moved.json().restorePoints[0];
    expect(moved.json().status).toBe('implementing');
    expect(point).toMatchObject({ state: 'taken', restoreId: null });
    expect(point.snapshotId).toMatch(/^[0-9a-f]{64}$/);

    expect((await move(id, 'review')).statusCode).toBe(200);
    expect((await move(id, 'closed', { outcome: 'backed_out' })).statusCode).toBe(200);
    const clicks = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.as(agent).post(`/api/v1/changes/${id}/restore-points/${device.ciId}/restore`, {}),
      ),
    );
    expect(clicks.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(clicks.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'restore_exists')).toBe(
      true,
    );
    const after = (await app.as(agent).get(`/api/v1/changes/${id}`)).json();
    expect(after.restorePoints[0]).toMatchObject({ restoreState: 'queued' });
    const restore = (
      await app.as(agent).get(`/api/v1/backup/restores/${after.restorePoints[0].restoreId}`)
    ).json();
    expect(restore).toMatchObject({
      snapshotId: point.snapshotId,
      paths: ['/'],
      destinationFolder: '/',
      overwrite: 'always',
      sourceName: 'db-2',
    });
    expect(await actions(id)).toEqual(
      expect.arrayContaining(['change.restore_point_requested', 'change.restore_requested']),
    );
  });

  it('asks again after a failed snapshot, and implements without one only on an audited decision', async () => {
    const id = await scheduled('Move the data folder', 10);
    expect((await move(id, 'implementing')).statusCode).toBe(202);
    const requestId = (await access()).snapshotRequestId as string;
    await agentAnswers(requestId, true);
    const failed = (await app.as(agent).get(`/api/v1/changes/${id}`)).json();
    expect(failed.restorePoints[0]).toMatchObject({ state: 'failed', error: 'the disk is unreadable' });
    expect((await move(id, 'implementing')).statusCode).toBe(202);
    expect((await access()).snapshotRequestId).not.toBe(requestId);

    // The agent is out of reach: skipping the restore point is a manager's decision with a reason.
    const waiver = { withoutRestorePoint: { reason: 'db-2 agent offline; vendor window closes tonight' } };
    expect((await move(id, 'implementing', waiver)).statusCode).toBe(403);
    expect((await move(id, 'review', waiver)).statusCode).toBe(400);
    expect(
      (await move(id, 'implementing', { withoutRestorePoint: { reason: '' } }, manager)).statusCode,
    ).toBe(400);
    const done = await move(id, 'implementing', waiver, manager);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'implementing',
      restorePointWaiver: { reason: waiver.withoutRestorePoint.reason, by: 'Max Manager' },
    });
    expect(await actions(id)).toContain('change.restore_point_waived');
    // No snapshot: nothing to restore.
    const none = await app.as(agent).post(`/api/v1/changes/${id}/restore-points/${device.ciId}/restore`, {});
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('no_snapshot');
  });

  it('implements a change on items without backups at once', async () => {
    const plain = await app
      .as(app.admin)
      .post('/api/v1/cis', { classKey: 'server', name: 'web-9', status: 'deployed' });
    const c = await app.as(agent).post('/api/v1/changes', {
      templateId: template,
      title: 'Restart web-9',
      itemIds: [plain.json().id],
      plannedStart: at(20),
      plannedEnd: at(21),
    });
    await move(c.json().id, 'assessment');
    await move(c.json().id, 'scheduled');
    const r = await move(c.json().id, 'implementing');
    expect(r.statusCode).toBe(200);
    expect(r.json().restorePoints).toEqual([]);
  });
});
