/**
 * Restores through agents, end to end: a real Steward server process, this machine enrolled with
 * `steward agent enrol` and backed up with `steward agent backup`, and `steward agent run` as the service that
 * takes restore work. A deleted file comes back identical into the chosen folder, an existing different file is
 * kept with overwrite `never` (and reported), a replacement device's agent restores another device's snapshot
 * with read-only access that exists only while its claim runs, requesters reach only their own devices, two
 * claims at once never take the same restore, progress is reported, and the portal's "Get my files back" ends
 * with a resolved service request saying what came back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDevice, type Fleet, slowLink, startFleet } from '../support/agent-fleet.js';
import { runCli } from '../support/server.js';

const sum = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
type Json = Record<string, unknown>;

describe('restores through agents', () => {
  let fleet: Fleet;
  let dir: string;
  let src: string;
  let ciA: string;
  let tokenA: string;
  let snapshotId: string;
  let rita: { id: string; token: string };
  let replacement: FakeDevice;
  const api: Fleet['api'] = (...args) => fleet.api(...args);
  const log = () => fleet.log();

  /** A user with a password, and an API token of theirs. */
  const person = async (email: string, role = 'requester') => {
    const password = 'a long enough password';
    const u = await api('POST', '/api/v1/users', { email, name: email.split('@')[0], role, password });
    expect(u.status).toBe(201);
    const login = await fetch(`${fleet.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const t = await fetch(`${fleet.server.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'test' }),
    });
    return { id: u.json.id as string, token: ((await t.json()) as { token: string }).token };
  };

  const setOwner = async (ciId: string, ownerId: string) => {
    const ci = await api('GET', `/api/v1/cis/${ciId}`);
    const r = await api('PATCH', `/api/v1/cis/${ciId}`, { ownerId }, fleet.admin, {
      'if-match': ci.headers.get('etag') ?? '',
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  };

  const startAgent = (config: string) =>
    fleet.startAgent(config, ['--backup-check', '3600', '--restore-check', '1']);

  /** Waits for a restore to finish; every state seen on the way (with its progress) is returned too. */
  const finished = async (id: string, token = fleet.admin) => {
    const seen: Json[] = [];
    // A loaded machine starts an agent slowly.
    const restore = await fleet.until(
      `restore ${id} to finish`,
      async () => {
        const r = (await api('GET', `/api/v1/backup/restores/${id}`, undefined, token)).json;
        seen.push(r);
        return ['succeeded', 'failed', 'cancelled'].includes(r.state as string) ? r : undefined;
      },
      400_000,
      50,
    );
    return { restore, seen };
  };

  beforeAll(async () => {
    fleet = await startFleet('agent restore');
    dir = fleet.dir;
    src = join(dir, 'home', 'rita');
    mkdirSync(join(src, 'Documents', 'big'), { recursive: true });
    for (let i = 0; i < 12; i++)
      writeFileSync(join(src, 'Documents', 'big', `part-${i}.bin`), randomBytes(1 << 20));
    writeFileSync(join(src, 'Documents', 'report.odt'), randomBytes(300_000));
    writeFileSync(join(src, 'todo.txt'), 'back up everything\n');
    const machine = await fleet.enrolThisMachine('restore');
    ciA = machine.ciId;
    tokenA = machine.token;
    await fleet.backUp(ciA, {
      name: 'Yearly (test)',
      schedule: { kind: 'cron', cron: '0 0 1 1 *', timeZone: 'UTC' },
      paths: { linux: [src] },
      retention: { last: 10 },
      rpoMinutes: 60,
    });
    const backup = await runCli(['agent', 'backup', '--json', '--config', machine.config], {});
    expect(backup.code, backup.stderr).toBe(0);
    snapshotId = (JSON.parse(backup.stdout) as { snapshotId: string }).snapshotId;
    rita = await person('rita@example.com');
    await setOwner(ciA, rita.id);
    replacement = await fleet.fakeDevice('rita-new-laptop');
    await setOwner(replacement.ciId, rita.id);
    startAgent(machine.config);
  }, 600_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  it('brings a deleted file back identical into the chosen folder, with progress, audited', async () => {
    const before = sum(join(src, 'todo.txt'));
    unlinkSync(join(src, 'todo.txt'));
    const out = join(dir, 'restored-1');
    const req = await api('POST', '/api/v1/backup/restores', {
      sourceCiId: ciA,
      snapshotId,
      paths: [join(src, 'todo.txt'), join(src, 'Documents')],
      destinationFolder: out,
    });
    expect(req.status, JSON.stringify(req.json)).toBe(201);
    expect(req.json).toMatchObject({ state: 'queued', overwrite: 'never', destinationCiId: ciA });
    const { restore, seen } = await finished(req.json.id as string);
    expect(restore, log()).toMatchObject({ state: 'succeeded', verified: true, skipped: [], error: null });
    expect(restore.progress).toEqual({
      filesDone: 14,
      filesTotal: 14,
      bytesDone: 12 * (1 << 20) + 300_000 + 19,
      bytesTotal: 12 * (1 << 20) + 300_000 + 19,
    });
    expect(sum(join(out, 'todo.txt'))).toBe(before);
    expect(sum(join(out, 'Documents', 'report.odt'))).toBe(sum(join(src, 'Documents', 'report.odt')));
    // Progress was reported while it ran: Steward showed it running with its totals before the end.
    expect(seen.some((s) => s.state === 'running' && (s.progress as Json).filesTotal === 14)).toBe(true);
    const audit = (await api('GET', '/api/v1/audit?limit=200')).json.items as { action: string }[];
    const actions = audit.map((a) => a.action);
    for (const a of ['backup.restore_requested', 'backup.restore_started', 'backup.restore_finished'])
      expect(actions).toContain(a);
  }, 600_000);

  it('with overwrite never leaves an existing different file untouched and says so', async () => {
    const out = join(dir, 'restored-2');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'report.odt'), 'my newer notes');
    const req = await api('POST', '/api/v1/backup/restores', {
      sourceCiId: ciA,
      snapshotId,
      paths: [join(src, 'Documents', 'report.odt')],
      destinationFolder: out,
      overwrite: 'never',
    });
    const { restore } = await finished(req.json.id as string);
    expect(restore).toMatchObject({ state: 'succeeded', skipped: [join(out, 'report.odt')] });
    expect(readFileSync(join(out, 'report.odt'), 'utf8')).toBe('my newer notes');
    // With always, it is replaced.
    const again = await api('POST', '/api/v1/backup/restores', {
      sourceCiId: ciA,
      snapshotId,
      paths: [join(src, 'Documents', 'report.odt')],
      destinationFolder: out,
      overwrite: 'always',
    });
    expect((await finished(again.json.id as string)).restore).toMatchObject({
      state: 'succeeded',
      skipped: [],
    });
    expect(sum(join(out, 'report.odt'))).toBe(sum(join(src, 'Documents', 'report.odt')));
  }, 600_000);

  it('gives another device’s agent read-only access only while its claim runs; two claims never share one', async () => {
    const repoPath = `/api/v1/backup/devices/${ciA}`;
    const b = replacement.token;
    // No claim: nothing of the other device's repository, not even that it exists.
    expect((await api('GET', `${repoPath}/config`, undefined, b)).status).toBe(404);
    const req = await api('POST', '/api/v1/backup/restores', {
      sourceCiId: ciA,
      snapshotId,
      paths: [join(src, 'Documents', 'report.odt')],
      destinationCiId: replacement.ciId,
      destinationFolder: join(dir, 'on-replacement'),
    });
    expect(req.status).toBe(201);
    // Five claims at once (two loops of one agent): exactly one gets it.
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => api('POST', '/api/v1/agents/backup/restores/claim', {}, b)),
    );
    expect(claims.map((c) => c.status).sort()).toEqual([200, 204, 204, 204, 204]);
    const claim = claims.find((c) => c.status === 200)!.json;
    expect(claim).toMatchObject({ readOnly: true, repositoryPath: `${repoPath}/` });
    // While it runs: reads work, writes and deletes are refused as if the repository were not there.
    expect((await api('GET', `${repoPath}/config`, undefined, b)).status).toBe(200);
    const snaps = await fetch(`${fleet.server.url}${repoPath}/snapshots/`, {
      headers: { authorization: `Bearer ${b}` },
    });
    expect(snaps.status).toBe(200);
    const lockBody = Buffer.from('a lock');
    const lockName = createHash('sha256').update(lockBody).digest('hex');
    const post = await fetch(`${fleet.server.url}${repoPath}/locks/${lockName}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b}` },
      body: lockBody,
    });
    expect(post.status).toBe(404);
    const del = await fetch(`${fleet.server.url}${repoPath}/snapshots/${snapshotId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${b}` },
    });
    expect(del.status).toBe(404);
    const id = (claim.restore as Json).id as string;
    const progress = await api(
      'POST',
      `/api/v1/agents/backup/restores/${id}/progress`,
      { filesDone: 0, filesTotal: 1, bytesDone: 0, bytesTotal: 300_000 },
      b,
    );
    expect(progress.json).toEqual({ state: 'running' });
    // Another device's agent cannot report on it.
    const other = { filesDone: 1, filesTotal: 1, bytesDone: 1, bytesTotal: 1 };
    expect((await api('POST', `/api/v1/agents/backup/restores/${id}/progress`, other, tokenA)).status).toBe(
      404,
    );
    const outcome = {
      filesDone: 0,
      filesTotal: 1,
      bytesDone: 0,
      bytesTotal: 300_000,
      skipped: [],
      verified: false,
      problems: [],
      error: 'given up by the test',
      state: 'failed',
    };
    expect((await api('POST', `/api/v1/agents/backup/restores/${id}/finish`, outcome, b)).status).toBe(200);
    // Over: no access any more.
    expect((await api('GET', `${repoPath}/config`, undefined, b)).status).toBe(404);
    expect(snapshotId).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('restores onto a replacement device through its own agent process', async () => {
    startAgent(replacement.config);
    const out = join(dir, 'replacement-home');
    const req = await api('POST', '/api/v1/backup/restores', {
      sourceCiId: ciA,
      snapshotId,
      paths: [join(src, 'Documents', 'report.odt')],
      destinationCiId: replacement.ciId,
      destinationFolder: out,
    });
    const { restore } = await finished(req.json.id as string);
    expect(restore, log()).toMatchObject({
      state: 'succeeded',
      verified: true,
      destinationName: 'rita-new-laptop',
    });
    expect(sum(join(out, 'report.odt'))).toBe(sum(join(src, 'Documents', 'report.odt')));
    expect(
      (await api('GET', `/api/v1/backup/devices/${ciA}/config`, undefined, replacement.token)).status,
    ).toBe(404);
  }, 600_000);

  it('stops a restore cancelled while it runs, leaving nothing of it in the destination', async () => {
    // A spare PC whose agent reaches Steward over a slow link: restoring 12 MiB takes long enough to cancel.
    const link = await slowLink(fleet.server.url, 128 * 1024);
    try {
      const spare = await fleet.fakeDevice('rita-spare-pc', link.url);
      const out = join(dir, 'spare-home');
      mkdirSync(out);
      writeFileSync(join(out, 'keep.txt'), 'mine');
      const agent = startAgent(spare.config);
      const req = await api('POST', '/api/v1/backup/restores', {
        sourceCiId: ciA,
        snapshotId,
        paths: [join(src, 'Documents')],
        destinationCiId: spare.ciId,
        destinationFolder: out,
        overwrite: 'always',
      });
      expect(req.status).toBe(201);
      const id = req.json.id as string;
      // Under way: claimed, and its staging folder made (what it writes goes there, never straight into `out`).
      await fleet.until(
        'the restore to be under way',
        async () => {
          const r = (await api('GET', `/api/v1/backup/restores/${id}`)).json;
          return r.state === 'running' && readdirSync(out).length === 2 ? r : undefined;
        },
        400_000,
        100,
      );
      const cancel = await api('POST', `/api/v1/backup/restores/${id}/cancel`, {});
      expect(cancel.json.state).toBe('cancelled');
      // Cancelled before it was done (the totals are known once it has read the folders).
      const progress = cancel.json.progress as { bytesDone: number; bytesTotal: number };
      expect(progress.bytesTotal === 0 || progress.bytesDone < progress.bytesTotal).toBe(true);
      // The agent learns it from its next progress report, stops, and removes what it wrote.
      await fleet.until(
        'the agent to stop and clean up',
        () => Promise.resolve(readdirSync(out).length === 1 ? true : undefined),
        150_000,
        100,
      );
      expect(readdirSync(out)).toEqual(['keep.txt']);
      expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
      // It is free for the next restore, which completes; the cancelled one stays cancelled.
      const next = await api('POST', '/api/v1/backup/restores', {
        sourceCiId: ciA,
        snapshotId,
        paths: [join(src, 'todo.txt')],
        destinationCiId: spare.ciId,
        destinationFolder: join(dir, 'spare-next'),
      });
      expect((await finished(next.json.id as string)).restore, log()).toMatchObject({ state: 'succeeded' });
      expect(readdirSync(join(dir, 'spare-next'))).toEqual(['todo.txt']);
      const after = (await api('GET', `/api/v1/backup/restores/${id}`)).json;
      expect(after).toMatchObject({
        state: 'cancelled',
        error: expect.stringMatching(/^cancelled in Steward/),
      });
      const audit = (await api('GET', `/api/v1/audit?entityType=backup_restore&entityId=${id}`)).json
        .items as { action: string }[];
      expect(audit.map((a) => a.action).sort()).toEqual([
        'backup.restore_cancelled',
        'backup.restore_requested',
        'backup.restore_started',
        'backup.restore_stopped',
      ]);
      agent.child.kill('SIGTERM');
    } finally {
      await link.stop();
    }
  }, 600_000);

  it('lets a requester restore only their own devices, onto their own devices', async () => {
    const other = await fleet.fakeDevice('someone-elses-pc');
    const body = {
      sourceCiId: ciA,
      snapshotId,
      paths: [join(src, 'todo.txt')],
      destinationFolder: join(dir, 'x'),
    };
    expect(
      (await api('POST', '/api/v1/backup/restores', { ...body, sourceCiId: other.ciId }, rita.token)).status,
    ).toBe(404);
    expect(
      (await api('POST', '/api/v1/backup/restores', { ...body, destinationCiId: other.ciId }, rita.token))
        .status,
    ).toBe(404);
    expect(
      (await api('GET', `/api/v1/backup/browse/${other.ciId}/snapshots`, undefined, rita.token)).status,
    ).toBe(404);
    expect(
      (
        await api(
          'POST',
          '/api/v1/portal/restores',
          { ciId: other.ciId, snapshotId, paths: ['/x'] },
          rita.token,
        )
      ).status,
    ).toBe(404);
    const devices = (await api('GET', '/api/v1/portal/devices', undefined, rita.token)).json.items as Json[];
    expect(devices.map((d) => d.ciId).sort()).toEqual([ciA, replacement.ciId].sort());
    // Bad input is a clear 400: items of two folders, a relative destination.
    const two = await api('POST', '/api/v1/backup/restores', {
      ...body,
      paths: [join(src, 'todo.txt'), join(src, 'Documents', 'report.odt')],
    });
    expect(two.status).toBe(400);
    expect(
      (await api('POST', '/api/v1/backup/restores', { ...body, destinationFolder: 'relative' })).status,
    ).toBe(400);
    // Someone else cannot see Rita's restores.
    const mine = await api('POST', '/api/v1/backup/restores', body, rita.token);
    expect(mine.status).toBe(201);
    const bob = await person('bob@example.com');
    expect(
      (await api('GET', `/api/v1/backup/restores/${String(mine.json.id)}`, undefined, bob.token)).status,
    ).toBe(404);
    expect(
      (await api('POST', `/api/v1/backup/restores/${String(mine.json.id)}/cancel`, {}, bob.token)).status,
    ).toBe(404);
    await finished(mine.json.id as string, rita.token);
  }, 600_000);

  it('gets my files back from the portal: a service request the agent resolves with the result', async () => {
    const snaps = (await api('GET', `/api/v1/backup/browse/${ciA}/snapshots`, undefined, rita.token)).json
      .snapshots as Json[];
    expect(snaps[0]!.id).toBe(snapshotId);
    const folder = await api(
      'GET',
      `/api/v1/backup/browse/${ciA}/snapshots/${snapshotId}/folder?path=${encodeURIComponent(join(src, 'Documents'))}`,
      undefined,
      rita.token,
    );
    expect((folder.json.entries as Json[]).map((i) => i.name)).toEqual(['big', 'report.odt']);
    unlinkSync(join(src, 'Documents', 'report.odt'));
    const r = await api(
      'POST',
      '/api/v1/portal/restores',
      { ciId: ciA, snapshotId, paths: [join(src, 'Documents', 'report.odt')] },
      rita.token,
    );
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.ticketKey).toMatch(/^REQ-\d+$/);
    const day = new Date().toISOString().slice(0, 10);
    const restoredTo = join(src, 'Documents', `Restored files ${day}`);
    expect((r.json.restore as Json).destinationFolder).toBe(restoredTo);
    const { restore } = await finished((r.json.restore as Json).id as string, rita.token);
    expect(restore).toMatchObject({ state: 'succeeded', verified: true, ticketKey: r.json.ticketKey });
    expect(sum(join(restoredTo, 'report.odt'))).toBe(sum(join(dir, 'restored-1', 'Documents', 'report.odt')));
    const ticket = await api('GET', `/api/v1/tickets/${String(r.json.ticketId)}`, undefined, rita.token);
    expect(ticket.json.status).toBe('resolved');
    const timeline = await api(
      'GET',
      `/api/v1/tickets/${String(r.json.ticketId)}/timeline`,
      undefined,
      rita.token,
    );
    expect(JSON.stringify(timeline.json)).toContain('Your files are back: 1 file');
    expect(JSON.stringify(timeline.json)).toContain(restoredTo);
    // The service desk sees the restore on the ticket.
    const onTicket = await api('GET', `/api/v1/backup/restores?ticketId=${String(r.json.ticketId)}`);
    expect((onTicket.json.items as Json[]).map((i) => i.id)).toEqual([(r.json.restore as Json).id]);
    expect(existsSync(join(src, 'Documents', 'report.odt'))).toBe(false);
  }, 600_000);
});
