import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import { secretBox } from '../../platform/envelope.js';
import { randomBytes } from 'node:crypto';

describe('company backups: storage targets and device repositories', () => {
  let app: TestApp;
  let dir: string;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    dir = mkdtempSync(join(tmpdir(), 'steward-targets-'));
  });
  afterAll(async () => {
    await app.close();
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (body: unknown) => app.as(app.admin).post('/api/v1/backup/targets', body);

  it('registers targets by kind, refuses wrong credentials per kind, and never answers secrets back', async () => {
    const local = await create({ name: 'Server disk', location: join(dir, 'a') });
    expect(local.statusCode).toBe(201);
    expect(local.json()).toMatchObject({ kind: 'local', credentialsSet: [], repositories: 0 });
    expect((await create({ name: 'relative', location: 'backups' })).json().errors[0].path).toBe('location');
    const s3 = await create({ name: 'S3', location: 's3:http://127.0.0.1:9/bucket/x', credentials: {} });
    expect(s3.statusCode).toBe(400);
    expect(s3.json().detail).toMatch(/accessKeyId and secretAccessKey/);
    const stray = await create({ name: 'L2', location: join(dir, 'b'), credentials: { password: 'x' } });
    expect(stray.statusCode).toBe(400);
    expect((await create({ name: 'R', location: 'rest:http://u:p@127.0.0.1:9/' })).statusCode).toBe(400);
    const sftp = await create({
      name: 'SFTP',
      location: 'sftp:backup@nas:/srv',
      credentials: { privateKey: 'k' },
    });
    expect(sftp.json().errors.map((e: { path: string }) => e.path)).toEqual(['credentials.hostKey']);
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const ok = await create({
      name: 'Object storage',
      location: 's3:http://127.0.0.1:9/bucket/prefix',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secret },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.body).not.toContain(secret);
    expect(ok.json().credentialsSet.sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    const stored = await sql<{
      secrets: string;
    }>`SELECT secrets FROM backup_targets WHERE id = ${ok.json().id}`.execute(app.database.db);
    expect(stored.rows[0]!.secrets).toMatch(/^v1\./);
    expect(stored.rows[0]!.secrets).not.toContain('AKIAEXAMPLE');
    const audit = await sql<{
      after: unknown;
    }>`SELECT after FROM audit_log WHERE action = 'backup_target.created'`.execute(app.database.db);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);
    expect((await create({ name: 'server DISK', location: join(dir, 'c') })).statusCode).toBe(409);
  });

  it('is for admins only', async () => {
    const agent = await app.user('agent');
    const requester = await app.user('requester');
    for (const u of [agent, requester]) {
      const r = await app.as(u).get('/api/v1/backup/targets');
      expect([403, 404]).toContain(r.statusCode);
      expect(
        (await app.as(u).post('/api/v1/backup/targets', { name: 'x', location: '/tmp/x' })).statusCode,
      ).not.toBe(201);
    }
    expect((await app.anonymous.get('/api/v1/backup/targets')).statusCode).toBe(401);
  });

  it('tests a target: a writable folder passes every step; an unwritable one says why', async () => {
    const good = (await create({ name: 'Probe ok', location: join(dir, 'probe') })).json();
    const r = (await app.as(app.admin).post(`/api/v1/backup/targets/${good.id}/test`)).json();
    expect(r).toMatchObject({ ok: true, error: null });
    expect(r.steps.map((s: { step: string; ok: boolean }) => `${s.step}:${s.ok}`)).toEqual([
      'write:true',
      'read:true',
      'list:true',
      'delete:true',
    ]);
    const ro = join(dir, 'readonly');
    const bad = (await create({ name: 'Probe read-only', location: join(ro, 'inside') })).json();
    rmSync(ro, { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(ro, { mode: 0o500 }));
    chmodSync(ro, 0o500);
    const f = (await app.as(app.admin).post(`/api/v1/backup/targets/${bad.id}/test`)).json();
    // root ignores folder permissions; the probe then succeeds, which is right for root.
    if (process.getuid?.() === 0) expect(f.ok).toBe(true);
    else {
      expect(f.ok).toBe(false);
      expect(f.error).toMatch(/EACCES|permission/i);
    }
  });

  it('gives a device one repository, even when admins assign it at once, and keeps targets in use', async () => {
    const target = (await create({ name: 'Repos', location: join(dir, 'repos') })).json();
    const { ciId } = await enrolDevice(app, 'rita-laptop');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.as(app.admin).put(`/api/v1/backup/repositories/${ciId}`, { targetId: target.id }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    expect(results.find((r) => r.statusCode === 409)!.json().detail).toBe(
      'rita-laptop has a backup repository already',
    );
    const repo = (await app.as(app.admin).get(`/api/v1/backup/repositories/${ciId}`)).json();
    expect(repo).toMatchObject({ deviceName: 'rita-laptop', targetName: 'Repos' });
    expect(existsSync(join(dir, 'repos', `steward-${ciId}`, 'config'))).toBe(true);
    const del = await app.as(app.admin).delete(`/api/v1/backup/targets/${target.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().detail).toMatch(/1 device repositories live on “Repos”/);
    const etag = (await app.as(app.admin).get(`/api/v1/backup/targets/${target.id}`)).headers.etag as string;
    const move = await app
      .as(app.admin)
      .patch(
        `/api/v1/backup/targets/${target.id}`,
        { location: join(dir, 'elsewhere') },
        { 'if-match': etag },
      );
    expect(move.statusCode).toBe(409);
    const rename = await app
      .as(app.admin)
      .patch(`/api/v1/backup/targets/${target.id}`, { name: 'Repos 2' }, { 'if-match': etag });
    expect(rename.statusCode).toBe(200);
  });

  it('leaves nothing behind when the target cannot be written', async () => {
    const file = join(dir, 'a-file');
    await import('node:fs').then((fs) => fs.writeFileSync(file, 'not a folder'));
    const target = (await create({ name: 'Broken', location: file })).json();
    const { ciId } = await enrolDevice(app, 'bob-desktop');
    const r = await app.as(app.admin).put(`/api/v1/backup/repositories/${ciId}`, { targetId: target.id });
    expect(r.statusCode).toBe(502);
    expect(r.json().detail).toMatch(/^the repository of bob-desktop could not be created on “Broken”/);
    expect((await app.as(app.admin).get(`/api/v1/backup/repositories/${ciId}`)).statusCode).toBe(404);
    const elsewhere = (await create({ name: 'Fine', location: join(dir, 'fine') })).json();
    expect(
      (await app.as(app.admin).put(`/api/v1/backup/repositories/${ciId}`, { targetId: elsewhere.id }))
        .statusCode,
    ).toBe(201);
  });

  it('refuses a repository for what is not a computer, or on no target', async () => {
    const target = (await create({ name: 'T', location: join(dir, 't') })).json();
    const service = (
      await app.as(app.admin).post('/api/v1/cis', { classKey: 'service', name: 'Payroll' })
    ).json();
    expect(
      (await app.as(app.admin).put(`/api/v1/backup/repositories/${service.id}`, { targetId: target.id }))
        .statusCode,
    ).toBe(404);
    const { ciId } = await enrolDevice(app, 'carol-laptop');
    expect(
      (
        await app
          .as(app.admin)
          .put(`/api/v1/backup/repositories/${ciId}`, { targetId: '00000000-0000-4000-8000-000000000000' })
      ).statusCode,
    ).toBe(404);
  });
});

describe('secret box', () => {
  it('opens what it sealed, only in the same context and under the same key; rotation re-wraps the data key', () => {
    const a = secretBox(randomBytes(32));
    const b = secretBox(randomBytes(32));
    const sealed = a.seal('s3cret', 'backup_target:1');
    expect(a.open(sealed, 'backup_target:1')).toBe('s3cret');
    expect(() => a.open(sealed, 'backup_target:2')).toThrow(/cannot be opened/);
    expect(() => b.open(sealed, 'backup_target:1')).toThrow(/cannot be opened/);
    const moved = a.reseal(sealed, 'backup_target:1', b);
    expect(b.open(moved, 'backup_target:1')).toBe('s3cret');
    expect(moved.split('.')[3]).toBe(sealed.split('.')[3]);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => a.open(tampered, 'backup_target:1')).toThrow(/cannot be opened/);
  });
});
