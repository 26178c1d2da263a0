/**
 * Steward as the agents' backup endpoint, checked with the stock `restic` client: a device backs up and
 * restores through Steward into its own repository on a storage target; `restic check --read-data` on the
 * target finds it sound; the endpoint is append-only for agents; no agent reaches another device's repository.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../support/api.js';
import { enrolDevice } from '../support/devices.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import { resticAsync } from './restic-helpers.js';

const haveRestic = requireComponent(
  'backup endpoint interop',
  hasProgram('restic', ['version']),
  'restic not installed',
);

describe.runIf(haveRestic)('the backup endpoint with the stock restic client', () => {
  let app: TestApp;
  let dir: string;
  let base: string;
  let rita: { token: string; ciId: string; password: string; url: string };
  let bob: { token: string; ciId: string };

  const restic = resticAsync;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    await app.server.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'steward-endpoint-'));
    const target = (
      await app
        .as(app.admin)
        .post('/api/v1/backup/targets', { name: 'Server disk', location: join(dir, 'store') })
    ).json<{ id: string }>();
    const r = await enrolDevice(app, 'rita-laptop');
    bob = await enrolDevice(app, 'bob-desktop');
    for (const d of [r, bob]) {
      const put = await app
        .as(app.admin)
        .put(`/api/v1/backup/repositories/${d.ciId}`, { targetId: target.id });
      expect(put.statusCode).toBe(201);
    }
    const access = await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${r.token}` });
    expect(access.statusCode).toBe(200);
    const a = access.json<{ repository: string; username: string; repositoryPassword: string }>();
    expect(a.repository).toMatch(new RegExp(`/api/v1/backup/devices/${r.ciId}/$`));
    const u = new URL(`${base}/api/v1/backup/devices/${r.ciId}/`);
    u.username = a.username;
    u.password = r.token;
    rita = { ...r, password: a.repositoryPassword, url: `rest:${u.toString()}` };
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up and restores through Steward, and restic check --read-data passes on the target', async () => {
    const src = join(dir, 'home');
    mkdirSync(join(src, 'Documents'), { recursive: true });
    writeFileSync(join(src, 'Documents', 'budget.ods'), randomBytes(3 * 1024 * 1024));
    writeFileSync(join(src, 'notes.txt'), 'remember the milk\n');
    const env = { RESTIC_REPOSITORY: rita.url, RESTIC_PASSWORD: rita.password };
    const backup = await restic(['backup', '--host', 'rita-laptop', src], env);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    const again = await restic(['backup', '--host', 'rita-laptop', src], env);
    expect(again.status).toBe(0);
    const snaps = JSON.parse((await restic(['snapshots', '--json'], env)).stdout) as { id: string }[];
    expect(snaps).toHaveLength(2);
    const out = join(dir, 'restored');
    const restore = await restic(['restore', 'latest', '--target', out], env);
    expect(restore.status).toBe(0);
    const sum = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(sum(join(out, src, 'Documents', 'budget.ods'))).toBe(sum(join(src, 'Documents', 'budget.ods')));
    const direct = await restic(['check', '--read-data'], {
      RESTIC_REPOSITORY: join(dir, 'store', `steward-${rita.ciId}`),
      RESTIC_PASSWORD: rita.password,
    });
    expect(direct.stdout).toMatch(/no errors were found/);
    expect(direct.status).toBe(0);
    const saved = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log
      WHERE action = 'backup.snapshot_saved' AND entity_id = ${rita.ciId}`.execute(app.database.db);
    expect(Number(saved.rows[0]!.n)).toBe(2);
  });

  it('is append-only for agents: restic forget and prune are refused, and nothing is deleted', async () => {
    const env = { RESTIC_REPOSITORY: rita.url, RESTIC_PASSWORD: rita.password };
    const before = JSON.parse((await restic(['snapshots', '--json'], env)).stdout) as { id: string }[];
    const forget = await restic(['forget', '--keep-last', '1', '--prune'], env);
    expect(forget.status).not.toBe(0);
    const after = JSON.parse((await restic(['snapshots', '--json'], env)).stdout) as { id: string }[];
    expect(after.map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
    const refused = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log
      WHERE action = 'backup.refused' AND entity_id = ${rita.ciId}`.execute(app.database.db);
    expect(Number(refused.rows[0]!.n)).toBeGreaterThan(0);
  });

  it('answers the REST protocol’s edge cases: auth, other devices, overwrites, damaged uploads, names', async () => {
    const at = (ciId: string, path: string) => `/api/v1/backup/devices/${ciId}/${path}`;
    const basic = (token: string) => `Basic ${Buffer.from(`agent:${token}`).toString('base64')}`;
    const as = (token: string) => ({ authorization: basic(token) });
    const req = (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      body?: Buffer,
    ) =>
      app.server.app.inject({
        method,
        url,
        headers: { 'content-type': 'application/octet-stream', ...headers },
        ...(body ? { payload: body } : {}),
      });
    const none = await req('GET', at(rita.ciId, 'config'), {});
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await req('GET', at(rita.ciId, 'config'), as('stw_agent_' + 'x'.repeat(43)))).statusCode).toBe(
      401,
    );
    // Bob's token on Rita's repository: not found, as for a device that does not exist.
    expect((await req('GET', at(rita.ciId, 'config'), as(bob.token))).statusCode).toBe(404);
    expect((await req('GET', at(rita.ciId, 'keys/'), as(bob.token))).statusCode).toBe(404);
    expect((await req('GET', at(bob.ciId, 'config'), as(bob.token))).statusCode).toBe(200);
    const keys = JSON.parse(
      (
        await req('GET', at(rita.ciId, 'keys/'), {
          ...as(rita.token),
          accept: 'application/vnd.x.restic.rest.v2',
        })
      ).body,
    ) as {
      name: string;
      size: number;
    }[];
    expect(keys).toHaveLength(1);
    const key = await req('GET', at(rita.ciId, `keys/${keys[0]!.name}`), as(rita.token));
    expect(key.statusCode).toBe(200);
    expect(key.rawPayload.length).toBe(keys[0]!.size);
    const partial = await req('GET', at(rita.ciId, `keys/${keys[0]!.name}`), {
      ...as(rita.token),
      range: 'bytes=2-9',
    });
    expect(partial.statusCode).toBe(206);
    expect(partial.rawPayload).toEqual(key.rawPayload.subarray(2, 10));
    const overwrite = await req(
      'POST',
      at(rita.ciId, `keys/${keys[0]!.name}`),
      as(rita.token),
      key.rawPayload,
    );
    expect(overwrite.statusCode).toBe(403);
    expect((await req('DELETE', at(rita.ciId, `keys/${keys[0]!.name}`), as(rita.token))).statusCode).toBe(
      403,
    );
    expect((await req('POST', at(rita.ciId, 'config'), as(rita.token), Buffer.from('x'))).statusCode).toBe(
      403,
    );
    expect((await req('POST', at(rita.ciId, '?create=true'), as(rita.token))).statusCode).toBe(403);
    const data = randomBytes(1000);
    const name = createHash('sha256').update(data).digest('hex');
    const damaged = await req(
      'POST',
      at(rita.ciId, `data/${name}`),
      as(rita.token),
      Buffer.concat([data, Buffer.from('!')]),
    );
    expect(damaged.statusCode).toBe(400);
    expect((await req('GET', at(rita.ciId, `data/${name}`), as(rita.token))).statusCode).toBe(404);
    expect((await req('POST', at(rita.ciId, `data/${name}`), as(rita.token), data)).statusCode).toBe(200);
    expect((await req('GET', at(rita.ciId, 'data/not-a-hash'), as(rita.token))).statusCode).toBe(400);
    expect((await req('GET', at(rita.ciId, `secrets/${name}`), as(rita.token))).statusCode).toBe(400);
    // A lock is the agent's to remove.
    const lock = Buffer.from('{"time":"2026-12-07T00:00:00Z"}');
    const lockName = createHash('sha256').update(lock).digest('hex');
    expect((await req('POST', at(rita.ciId, `locks/${lockName}`), as(rita.token), lock)).statusCode).toBe(
      200,
    );
    expect((await req('DELETE', at(rita.ciId, `locks/${lockName}`), as(rita.token))).statusCode).toBe(200);
  });

  it('stops serving a revoked agent at once', async () => {
    const agents = (await app.as(app.admin).get('/api/v1/agents')).json<{
      items: { id: string; ciId: string | null }[];
    }>();
    const bobs = agents.items.find((a) => a.ciId === bob.ciId)!;
    const config = () =>
      app.server.app.inject({
        method: 'GET',
        url: `/api/v1/backup/devices/${bob.ciId}/config`,
        headers: { authorization: `Bearer ${bob.token}` },
      });
    // Served just before (so the server knows the token well), refused just after.
    expect((await config()).statusCode).toBe(200);
    expect((await app.as(app.admin).post(`/api/v1/agents/${bobs.id}/revoke`)).statusCode).toBe(204);
    expect((await config()).statusCode).toBe(401);
  });
});
