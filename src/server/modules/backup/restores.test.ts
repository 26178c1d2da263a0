import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import { backup } from '../../../backup/archiver.js';
import { openBackend } from '../../../backup/backend/location.js';
import { Repository } from '../../../backup/repository.js';

/**
 * Restore requests through the API (the agent's restore itself is test/interop/agent-restore.test.ts): who may
 * ask for what, the claim decided once among parallel claims, the endpoint's read-only grant while a claim
 * runs, and the portal's self-service opening a service request.
 */
describe('restore requests', () => {
  let app: TestApp;
  let dir: string;
  let rita: TestUser;
  let bob: TestUser;
  let deskAgent: TestUser;
  let a: { token: string; ciId: string };
  let b: { token: string; ciId: string };
  let snapshotId: string;
  let src: string;

  const setOwner = async (ciId: string, ownerId: string) => {
    const ci = await app.as(app.admin).get(`/api/v1/cis/${ciId}`);
    const r = await app
      .as(app.admin)
      .patch(`/api/v1/cis/${ciId}`, { ownerId }, { 'if-match': ci.headers.etag as string });
    expect(r.statusCode, r.body).toBe(200);
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    dir = mkdtempSync(join(tmpdir(), 'steward-restores-'));
    [rita, bob, deskAgent] = await Promise.all([
      app.user('requester'),
      app.user('requester'),
      app.user('agent'),
    ]);
    a = await enrolDevice(app, 'rita-laptop');
    b = await enrolDevice(app, 'rita-new-laptop');
    await setOwner(a.ciId, rita.id);
    await setOwner(b.ciId, rita.id);
    const target = await app
      .as(app.admin)
      .post('/api/v1/backup/targets', { name: 'Disk', location: join(dir, 'store') });
    expect(
      (await app.as(app.admin).put(`/api/v1/backup/repositories/${a.ciId}`, { targetId: target.json().id }))
        .statusCode,
    ).toBe(201);
    const access = await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${a.token}` });
    src = join(dir, 'home', 'rita');
    mkdirSync(join(src, 'Documents'), { recursive: true });
    writeFileSync(join(src, 'Documents', 'report.odt'), 'the report');
    writeFileSync(join(src, 'todo.txt'), 'todo');
    const backend = await openBackend(join(dir, 'store', `steward-${a.ciId}`), {});
    const repo = await Repository.open(backend, access.json().repositoryPassword as string);
    snapshotId = (await backup(repo, { targets: [src], hostname: 'rita-laptop', workers: false })).snapshotId;
    await backend.close();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = () => ({
    sourceCiId: a.ciId,
    snapshotId,
    paths: [join(src, 'todo.txt')],
    destinationFolder: join(dir, 'out'),
  });

  it('lets the service desk restore any device and a requester only their own, onto their own', async () => {
    const other = await enrolDevice(app, 'someone-elses-pc');
    const desk = await app
      .as(deskAgent)
      .post('/api/v1/backup/restores', { ...body(), destinationCiId: other.ciId });
    expect(desk.statusCode, desk.body).toBe(201);
    expect(desk.json()).toMatchObject({
      sourceName: 'rita-laptop',
      destinationName: 'someone-elses-pc',
      state: 'queued',
      overwrite: 'never',
    });
    expect((await app.as(rita).post('/api/v1/backup/restores', body())).statusCode).toBe(201);
    expect(
      (await app.as(rita).post('/api/v1/backup/restores', { ...body(), destinationCiId: other.ciId }))
        .statusCode,
    ).toBe(404);
    expect((await app.as(bob).post('/api/v1/backup/restores', body())).statusCode).toBe(404);
    expect((await app.as(bob).get(`/api/v1/backup/restores/${desk.json().id}`)).statusCode).toBe(404);
    expect((await app.as(rita).get('/api/v1/backup/restores')).json().items).toHaveLength(1);
    expect(
      (await app.as(deskAgent).get('/api/v1/backup/restores')).json().items.length,
    ).toBeGreaterThanOrEqual(2);
    // Missing snapshot, device without backups, bad input.
    expect(
      (await app.as(deskAgent).post('/api/v1/backup/restores', { ...body(), snapshotId: 'f'.repeat(64) }))
        .statusCode,
    ).toBe(404);
    const noBackups = await app
      .as(deskAgent)
      .post('/api/v1/backup/restores', { ...body(), sourceCiId: other.ciId });
    expect(noBackups.statusCode).toBe(409);
    const mixed = await app
      .as(deskAgent)
      .post('/api/v1/backup/restores', { ...body(), paths: ['/a/b', '/c/d'] });
    expect(mixed.statusCode).toBe(400);
    expect(
      (await app.as(deskAgent).post('/api/v1/backup/restores', { ...body(), paths: ['/a/../b'] })).statusCode,
    ).toBe(400);
    expect(
      (await app.as(deskAgent).post('/api/v1/backup/restores', { ...body(), overwrite: 'maybe' })).statusCode,
    ).toBe(400);
    // Cancelled ones stay cancelled.
    const id = desk.json().id as string;
    expect((await app.as(deskAgent).post(`/api/v1/backup/restores/${id}/cancel`, {})).json().state).toBe(
      'cancelled',
    );
    expect((await app.as(deskAgent).post(`/api/v1/backup/restores/${id}/cancel`, {})).statusCode).toBe(409);
  });

  it('gives a restore to one claim among many, and the endpoint read-only access only while it runs', async () => {
    const req = await app
      .as(app.admin)
      .post('/api/v1/backup/restores', { ...body(), destinationCiId: b.ciId });
    expect(req.statusCode).toBe(201);
    const config = `/api/v1/backup/devices/${a.ciId}/config`;
    const asB = { authorization: `Bearer ${b.token}` };
    expect((await app.anonymous.get(config, asB)).statusCode).toBe(404);
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => app.anonymous.post('/api/v1/agents/backup/restores/claim', {}, asB)),
    );
    expect(claims.map((c) => c.statusCode).sort()).toEqual([200, 204, 204, 204, 204, 204]);
    const claim = claims.find((c) => c.statusCode === 200)!.json();
    expect(claim).toMatchObject({ readOnly: true, restore: { id: req.json().id, state: 'running' } });
    expect(claim.repositoryPassword).toEqual(expect.any(String));
    expect((await app.anonymous.get(config, asB)).statusCode).toBe(200);
    const del = await app.anonymous.delete(`/api/v1/backup/devices/${a.ciId}/snapshots/${snapshotId}`, asB);
    expect(del.statusCode).toBe(404);
    const refused = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE action = 'backup.refused'`.execute(app.database.db);
    expect(refused.rows[0]!.n).toBe(1);
    const id = req.json().id as string;
    const p = { filesDone: 1, filesTotal: 2, bytesDone: 10, bytesTotal: 20 };
    expect(
      (await app.anonymous.post(`/api/v1/agents/backup/restores/${id}/progress`, p, asB)).json(),
    ).toEqual({ state: 'running' });
    const asA = { authorization: `Bearer ${a.token}` };
    expect(
      (await app.anonymous.post(`/api/v1/agents/backup/restores/${id}/progress`, p, asA)).statusCode,
    ).toBe(404);
    expect((await app.as(app.admin).get(`/api/v1/backup/restores/${id}`)).json().progress).toEqual(p);
    const outcome = {
      ...p,
      filesDone: 2,
      bytesDone: 20,
      state: 'succeeded',
      skipped: [],
      verified: true,
      problems: [],
      error: null,
    };
    expect(
      (await app.anonymous.post(`/api/v1/agents/backup/restores/${id}/finish`, outcome, asB)).json(),
    ).toMatchObject({ state: 'succeeded', verified: true });
    expect(
      (await app.anonymous.post(`/api/v1/agents/backup/restores/${id}/finish`, outcome, asB)).statusCode,
    ).toBe(409);
    expect((await app.anonymous.get(config, asB)).statusCode).toBe(404);
  });

  it('opens a service request for "get my files back", and the agent’s result resolves it', async () => {
    expect((await app.as(rita).get('/api/v1/portal/devices')).json().items).toEqual([
      { ciId: a.ciId, name: 'rita-laptop', hasBackups: true },
      { ciId: b.ciId, name: 'rita-new-laptop', hasBackups: false },
    ]);
    expect((await app.as(bob).get(`/api/v1/backup/browse/${a.ciId}/snapshots`)).statusCode).toBe(404);
    const snaps = (await app.as(rita).get(`/api/v1/backup/browse/${a.ciId}/snapshots`)).json().snapshots;
    expect(snaps.map((s: { id: string }) => s.id)).toEqual([snapshotId]);
    const folder = await app
      .as(rita)
      .get(`/api/v1/backup/browse/${a.ciId}/snapshots/${snapshotId}/folder?path=${encodeURIComponent(src)}`);
    expect(folder.json().entries.map((i: { name: string; type: string }) => `${i.name}:${i.type}`)).toEqual([
      'Documents:dir',
      'todo.txt:file',
    ]);
    const made = await app
      .as(rita)
      .post('/api/v1/portal/restores', { ciId: a.ciId, snapshotId, paths: [join(src, 'todo.txt')] });
    expect(made.statusCode, made.body).toBe(201);
    const { ticketId, ticketKey, restore } = made.json();
    expect(ticketKey).toMatch(/^REQ-/);
    expect(restore.destinationFolder).toBe(`${src}/Restored files ${new Date().toISOString().slice(0, 10)}`);
    const asA = { authorization: `Bearer ${a.token}` };
    // Earlier requests onto this device go first; cancel them so the portal's is next.
    for (const r of (
      await app.as(app.admin).get(`/api/v1/backup/restores?ciId=${a.ciId}&state=queued`)
    ).json().items)
      if (r.id !== restore.id) await app.as(app.admin).post(`/api/v1/backup/restores/${r.id}/cancel`, {});
    const claim = await app.anonymous.post('/api/v1/agents/backup/restores/claim', {}, asA);
    expect(claim.json()).toMatchObject({ readOnly: false, restore: { id: restore.id, ticketKey } });
    expect((await app.as(rita).get(`/api/v1/tickets/${ticketId}`)).json().status).toBe('in_progress');
    const outcome = {
      filesDone: 1,
      filesTotal: 1,
      bytesDone: 4,
      bytesTotal: 4,
      state: 'succeeded',
      skipped: [],
      verified: true,
      problems: [],
      error: null,
    };
    await app.anonymous.post(`/api/v1/agents/backup/restores/${restore.id}/finish`, outcome, asA);
    expect((await app.as(rita).get(`/api/v1/tickets/${ticketId}`)).json().status).toBe('resolved');
    const timeline = await app.as(rita).get(`/api/v1/tickets/${ticketId}/timeline`);
    expect(timeline.body).toContain('Your files are back: 1 file (4 bytes) restored on rita-laptop');
    expect(
      (await app.as(deskAgent).get(`/api/v1/backup/restores?ticketId=${ticketId}`)).json().items,
    ).toHaveLength(1);
    const browsed = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE action = 'backup.browsed'`.execute(app.database.db);
    expect(browsed.rows[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it('leaves a failed restore’s ticket open for IT with the error', async () => {
    const made = await app
      .as(rita)
      .post('/api/v1/portal/restores', { ciId: a.ciId, snapshotId, paths: [join(src, 'Documents')] });
    const { ticketId, restore } = made.json();
    const asA = { authorization: `Bearer ${a.token}` };
    expect(
      (await app.anonymous.post('/api/v1/agents/backup/restores/claim', {}, asA)).json().restore.id,
    ).toBe(restore.id);
    const outcome = {
      filesDone: 0,
      filesTotal: 1,
      bytesDone: 0,
      bytesTotal: 10,
      state: 'failed',
      skipped: [],
      verified: false,
      problems: [],
      error: 'disk full',
    };
    await app.anonymous.post(`/api/v1/agents/backup/restores/${restore.id}/finish`, outcome, asA);
    expect((await app.as(rita).get(`/api/v1/tickets/${ticketId}`)).json().status).toBe('in_progress');
    expect((await app.as(rita).get(`/api/v1/tickets/${ticketId}/timeline`)).body).toContain(
      'failed: disk full',
    );
  });
});
