import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drill, DrillEvidenceCheck, DrillHistory } from '../../../contracts/index.js';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import { backup } from '../../../backup/archiver.js';
import { openBackend } from '../../../backup/backend/location.js';
import { Repository } from '../../../backup/repository.js';
import { JobRunner, type JobSet } from '../../platform/jobs/index.js';

/**
 * Drills end to end: a service running on three dependent machines, each backed up by the real engine into
 * the repository Steward made for it; the drill restores them in recovery order through the job runner,
 * verifies every file, waits for the runbook's manual step, and leaves evidence sealed in the audit chain. A
 * damaged pack turns the drill red and opens a problem about the service.
 */
describe('disaster-recovery drills', () => {
  let app: TestApp;
  let dir: string;
  let runner: JobRunner;
  let tom: TestUser;
  let rita: TestUser;
  let mia: TestUser;
  const machines: Record<'host' | 'db' | 'app', { ciId: string; token: string }> = {} as never;
  let payroll: string;
  let planId: string;
  const admin = () => app.as(app.admin);
  /** The drill jobs this server hands its runner (no other module's, so nothing else runs here). */
  const drillJobs = (): JobSet => ({
    types: app.server.jobSet.types.filter((t) => t.name.startsWith('dr.drill_')),
    schedules: [],
  });
  /** Runs the every-minute `dr.drill_schedule` job once, as the runner would. */
  const scheduleJob = async () => {
    const def = app.server.jobSet.types.find((t) => t.name === 'dr.drill_schedule')!;
    const now = new Date();
    const info = {
      id: crypto.randomUUID(),
      name: def.name,
      attempt: 1,
      maxAttempts: 1,
      runAt: now,
      createdAt: now,
    };
    await def.handler(app.server.ctx, {}, { ...info, signal: new AbortController().signal });
  };

  const item = async (classKey: string, name: string) => {
    const r = await admin().post('/api/v1/cis', { classKey, name, status: 'deployed' });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const relate = async (from: string, type: string, to: string) => {
    const r = await admin().post(`/api/v1/cis/${from}/relationships`, { type, toId: to });
    expect(r.statusCode, r.body).toBe(201);
  };
  /** Backs a folder of files up into the device's repository with the real engine. */
  const backUp = async (m: { ciId: string; token: string }, name: string) => {
    const access = await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${m.token}` });
    expect(access.statusCode, access.body).toBe(200);
    const src = join(dir, 'machines', name);
    mkdirSync(join(src, 'etc'), { recursive: true });
    writeFileSync(join(src, 'etc', 'service.conf'), `name=${name}\n`);
    writeFileSync(join(src, 'data.bin'), randomBytes(200_000));
    const backend = await openBackend(join(dir, 'store', `steward-${m.ciId}`), {});
    const repo = await Repository.open(backend, access.json().repositoryPassword as string);
    await backup(repo, { targets: [src], hostname: name, workers: false });
    await backend.close();
  };
  const get = async (id: string) => (await admin().get(`/api/v1/dr/drills/${id}`)).json<Drill>();
  /** Waits until the drill's restores are done (it then finishes, or waits for people). */
  const settled = async (id: string): Promise<Drill> => {
    for (let i = 0; i < 1200; i++) {
      const d = await get(id);
      const busy = d.steps.some((s) => s.kind === 'restore' && ['pending', 'running'].includes(s.status));
      // A failed restore ends the drill; all passed, it waits for its manual steps.
      const failed = d.steps.some((s) => s.status === 'failed');
      if (d.status !== 'running' || (!busy && !failed && d.steps.some((s) => s.kind === 'manual'))) return d;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the drill did not settle');
  };

  /** The evidence check once the drill's audit entry is sealed (the sealer runs after commits, in batches). */
  const sealedCheck = async (id: string): Promise<DrillEvidenceCheck> => {
    for (let i = 0; ; i++) {
      await app.server.sealer.kick();
      const c = (await admin().get(`/api/v1/dr/drills/${id}/evidence/verify`)).json<DrillEvidenceCheck>();
      if (c.sealed || i === 100) return c;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-drills-'));
    app = await setup({ STEWARD_JOBS: 'off', STEWARD_UPLOAD_DIR: join(dir, 'scratch') });
    mkdirSync(join(dir, 'scratch'));
    [tom, rita, mia] = await Promise.all([
      app.user('agent', { name: 'Tom Technician' }),
      app.user('requester', { name: 'Rita Requester' }),
      app.user('manager', { name: 'Mia Manager' }),
    ]);
    const target = await admin().post('/api/v1/backup/targets', {
      name: 'Disk',
      location: join(dir, 'store'),
    });
    expect(target.statusCode, target.body).toBe(201);
    for (const [key, name] of [
      ['host', 'pay-host'],
      ['db', 'pay-db'],
      ['app', 'pay-app'],
    ] as const) {
      machines[key] = await enrolDevice(app, name);
      const r = await admin().put(`/api/v1/backup/repositories/${machines[key].ciId}`, {
        targetId: target.json().id,
      });
      expect(r.statusCode, r.body).toBe(201);
      await backUp(machines[key], name);
    }
    payroll = await item('service', 'Payroll');
    await relate(payroll, 'runs_on', machines.app.ciId);
    await relate(machines.app.ciId, 'depends_on', machines.db.ciId);
    await relate(machines.db.ciId, 'runs_on', machines.host.ciId);
    const plan = await admin().post('/api/v1/dr/plans', {
      serviceId: payroll,
      name: 'Payroll',
      rtoMinutes: 240,
      rpoMinutes: 60,
      reviewDue: '2027-06-30',
      steps: [{ title: 'Check the pay run', ownerId: tom.id }],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    planId = plan.json().id;
    runner = new JobRunner(app.server.ctx, { pollMs: 50, jobs: drillJobs() });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drills green: restores the three machines in recovery order, verified, then waits for the runbook', async () => {
    const started = await app.as(mia).post(`/api/v1/dr/plans/${planId}/drills`);
    expect(started.statusCode, started.body).toBe(202);
    const d0 = started.json<Drill>();
    expect(d0).toMatchObject({
      status: 'running',
      planName: 'Payroll',
      serviceName: 'Payroll',
      startedBy: mia.email,
    });
    expect(d0.steps.map((s) => s.title)).toEqual([
      'Restore pay-host',
      'Restore pay-db',
      'Restore pay-app',
      'Check the pay run',
    ]);
    const d = await settled(d0.id);
    expect(d.status).toBe('running');
    for (const s of d.steps.slice(0, 3)) {
      expect(s, JSON.stringify(s)).toMatchObject({
        status: 'passed',
        files: 2,
        verifiedFiles: 2,
        mismatches: 0,
      });
      expect(s.snapshotId).toMatch(/^[0-9a-f]{64}$/);
      expect(s.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // In recovery order: each restore started after the one before it finished.
    expect(d.steps[0]!.finishedAt! <= d.steps[1]!.startedAt!).toBe(true);
    expect(d.steps[1]!.finishedAt! <= d.steps[2]!.startedAt!).toBe(true);
    // The scratch folders are gone.
    expect(existsSync(join(dir, 'scratch', 'steward-drills', d.id))).toBe(false);

    // People tick the runbook off; an agent of IT reads it but may not tick (403), a requester sees nothing.
    expect((await app.as(tom).get(`/api/v1/dr/drills/${d.id}`)).statusCode).toBe(200);
    expect((await app.as(tom).post(`/api/v1/dr/drills/${d.id}/steps/4/tick`, {})).statusCode).toBe(403);
    expect((await app.as(rita).get(`/api/v1/dr/drills/${d.id}`)).statusCode).toBe(404);
    expect((await app.as(rita).post(`/api/v1/dr/drills/${d.id}/steps/4/tick`, {})).statusCode).toBe(404);
    expect((await admin().post(`/api/v1/dr/drills/${d.id}/steps/1/tick`, {})).statusCode).toBe(409);
    expect((await admin().post(`/api/v1/dr/drills/${d.id}/steps/9/tick`, {})).statusCode).toBe(404);
    const ticked = await app.as(mia).post(`/api/v1/dr/drills/${d.id}/steps/4/tick`, { note: 'pay run OK' });
    expect(ticked.statusCode, ticked.body).toBe(200);
    const done = ticked.json<Drill>();
    expect(done.status).toBe('passed');
    expect(done.steps[3]).toMatchObject({ status: 'passed', tickedBy: mia.email });
    expect(done.measuredRtoSeconds).toBeGreaterThanOrEqual(0);
    expect(done.achievedRpoSeconds).toBeGreaterThanOrEqual(0);
    expect(done.rtoTargetSeconds).toBe(240 * 60);
    expect(done.problemKey).toBeNull();
    const ev = done.evidence as { steps: { device?: string; snapshot?: { id: string } }[]; ranBy: string };
    expect(ev.ranBy).toBe(mia.email);
    expect(ev.steps.map((s) => s.device ?? null)).toEqual(['pay-host', 'pay-db', 'pay-app', null]);
    expect(ev.steps[1]!.snapshot!.id).toBe(done.steps[1]!.snapshotId);
    expect((await admin().post(`/api/v1/dr/drills/${d.id}/steps/4/tick`, {})).statusCode).toBe(409);

    // The evidence is the one in the audit chain, sealed; the plan is verified by it.
    const check = await sealedCheck(d.id);
    expect(check).toMatchObject({ ok: true, sealed: true, sha256: done.evidenceSha256 });
    const plan = (await admin().get(`/api/v1/dr/plans/${planId}`)).json();
    expect(plan.verification).toMatchObject({ needed: false, lastDrillId: d.id });

    // A finished drill cannot be changed, not even in the database.
    await expect(
      sql`UPDATE dr_drills SET evidence = '{}' WHERE id = ${d.id}`.execute(app.server.ctx.db),
    ).rejects.toThrow(/finished drill cannot be changed/);
    await expect(
      sql`UPDATE dr_drill_steps SET files = 7 WHERE drill_id = ${d.id}`.execute(app.server.ctx.db),
    ).rejects.toThrow(/finished drill cannot be changed/);
    await expect(sql`DELETE FROM dr_drills WHERE id = ${d.id}`.execute(app.server.ctx.db)).rejects.toThrow(
      /cannot be deleted/,
    );

    // Someone who switches the trigger off and edits the evidence is found out by the audit chain's copy.
    const db = app.server.ctx.db;
    await sql`ALTER TABLE dr_drills DISABLE TRIGGER dr_drills_frozen`.execute(db);
    await sql`UPDATE dr_drills SET evidence = jsonb_set(evidence, '{ranBy}', '"someone else"') WHERE id = ${d.id}`.execute(
      db,
    );
    await sql`ALTER TABLE dr_drills ENABLE TRIGGER dr_drills_frozen`.execute(db);
    expect((await admin().get(`/api/v1/dr/drills/${d.id}/evidence/verify`)).json()).toMatchObject({
      ok: false,
      detail: 'the stored evidence was changed after the drill finished',
    });

    const history = (await app.as(tom).get(`/api/v1/dr/plans/${planId}/drills`)).json<DrillHistory>();
    expect(history.items[0]).toMatchObject({ id: d.id, status: 'passed' });
    expect(history.trend).toMatchObject({ drills: 1, passed: 1, failed: 0, withinRto: 1 });
  });

  it('starts one drill of a plan however many ask at once, and cancels it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => admin().post(`/api/v1/dr/plans/${planId}/drills`)),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 202)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    const id = answers.find((a) => a.statusCode === 202)!.json<Drill>().id;
    const running = await app.server.ctx.db
      .selectFrom('dr_drills')
      .select('id')
      .where('plan_id', '=', planId)
      .where('status', '=', 'running')
      .execute();
    expect(running).toEqual([{ id }]);
    await settled(id);
    const cancelled = await admin().post(`/api/v1/dr/drills/${id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<Drill>()).toMatchObject({ status: 'cancelled', measuredRtoSeconds: null });
    expect((await admin().post(`/api/v1/dr/drills/${id}/cancel`)).statusCode).toBe(409);
    expect(await sealedCheck(id)).toMatchObject({ ok: true, sealed: true });
  });

  it('refuses bad input and writes nothing', async () => {
    const before = await app.server.ctx.db.selectFrom('dr_drills').select('id').execute();
    expect((await admin().post('/api/v1/dr/plans/not-a-uuid/drills')).statusCode).toBe(400);
    expect((await admin().post(`/api/v1/dr/plans/${crypto.randomUUID()}/drills`)).statusCode).toBe(404);
    expect((await app.as(rita).post(`/api/v1/dr/plans/${planId}/drills`)).statusCode).toBe(404);
    expect((await app.as(tom).post(`/api/v1/dr/plans/${planId}/drills`)).statusCode).toBe(403);
    expect((await admin().get(`/api/v1/dr/plans/${planId}/drills?cursor=bogus`)).statusCode).toBe(400);
    const id = before[0]!.id;
    expect((await admin().post(`/api/v1/dr/drills/${id}/steps/0/tick`, {})).statusCode).toBe(400);
    expect((await admin().post(`/api/v1/dr/drills/${id}/steps/4/tick`, { who: 'x' })).statusCode).toBe(400);
    expect(
      (await admin().post(`/api/v1/dr/drills/${id}/steps/4/tick`, { note: 'a\u0000b' })).statusCode,
    ).toBe(400);
    const url = `/api/v1/dr/plans/${planId}/drill-schedule`;
    expect((await admin().put(url, { cron: '0 3 * * 1' })).statusCode).toBe(428);
    expect((await admin().put(url, { cron: 'every day' }, { 'if-match': '"v0"' })).statusCode).toBe(400);
    const zone = await admin().put(
      url,
      { cron: '0 3 * * 1', timeZone: 'Mars/Olympus' },
      { 'if-match': '"v0"' },
    );
    expect(zone.statusCode).toBe(400);
    expect(zone.json().errors).toEqual([
      { path: 'body.timeZone', message: 'not a time zone (e.g. Europe/Berlin or UTC)' },
    ]);
    const both = await admin().put(url, { cron: 'x', timeZone: 'Mars' }, { 'if-match': '"v0"' });
    expect(both.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.timeZone', 'body.cron']);
    expect((await admin().put(url, { cron: '0 3 * * 1', x: 1 }, { 'if-match': '"v0"' })).statusCode).toBe(
      400,
    );
    expect((await admin().put(url, { cron: '0 3 * * 1' }, { 'if-match': 'nonsense' })).statusCode).toBe(412);
    expect(await app.server.ctx.db.selectFrom('dr_drills').select('id').execute()).toHaveLength(
      before.length,
    );
    expect((await admin().get(url)).json()).toMatchObject({ version: 0, cron: null });
  });

  it('drills a plan on its schedule', async () => {
    const url = `/api/v1/dr/plans/${planId}/drill-schedule`;
    const set = await app
      .as(mia)
      .put(url, { cron: '0 3 * * 1', timeZone: 'Europe/London' }, { 'if-match': '"v0"' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      cron: '0 3 * * 1',
      enabled: true,
      version: 1,
      description: 'Every Monday at 03:00 Europe/London',
    });
    // The schedule job (as the runner runs it) fires when the schedule is due; here made due by moving it back.
    const count = async () =>
      (await admin().get(`/api/v1/dr/plans/${planId}/drills`)).json<DrillHistory>().items.length;
    const before = await count();
    await scheduleJob();
    expect(await count()).toBe(before);
    await sql`UPDATE dr_drill_schedules SET next_run_at = now() - interval '1 second'`.execute(
      app.database.db,
    );
    await scheduleJob();
    await scheduleJob();
    expect(await count()).toBe(before + 1);
    expect((await admin().get(url)).json().nextRunAt).toBe(set.json().nextRunAt);
    const history = (await admin().get(`/api/v1/dr/plans/${planId}/drills`)).json<DrillHistory>();
    expect(history.items[0]).toMatchObject({ trigger: 'schedule', startedBy: 'drill schedule' });
    await settled(history.items[0]!.id);
    expect((await admin().post(`/api/v1/dr/drills/${history.items[0]!.id}/cancel`)).statusCode).toBe(200);
  });

  it('fails a drill whose job stopped twice without finishing, once, with the reason in words', async () => {
    await runner.stop();
    const started = await admin().post(`/api/v1/dr/plans/${planId}/drills`);
    expect(started.statusCode, started.body).toBe(202);
    const id = started.json<Drill>().id;
    const db = app.database.db;
    // Its second attempt's process dies restoring pay-host: its lease runs out and nobody finishes it.
    await sql`UPDATE dr_drill_steps SET status = 'running', started_at = now() WHERE drill_id = ${id} AND position = 1`.execute(
      db,
    );
    await sql`UPDATE jobs SET state = 'running', attempts = 2, lease_until = now() - interval '1 second',
                locked_by = 'pay-runner:4242', claim_token = gen_random_uuid()
              WHERE payload->>'drillId' = ${id}`.execute(db);
    await scheduleJob();
    expect((await get(id)).status).toBe('running'); // the job is not failed yet: the runner decides that
    // The runner reaps the expired lease: every attempt used, the job fails for good.
    await new JobRunner(app.server.ctx, { jobs: drillJobs() }).runDue();
    const job = await sql<{
      state: string;
    }>`SELECT state FROM jobs WHERE payload->>'drillId' = ${id}`.execute(db);
    expect(job.rows[0]!.state).toBe('failed');
    // The schedule job finds it; five at once fail the drill once.
    await Promise.all([1, 2, 3, 4, 5].map(() => scheduleJob()));
    const d = await get(id);
    expect(d.status).toBe('failed');
    expect(d.failure).toMatch(
      /^the drill’s job stopped twice without finishing; last seen \d{4}-\d\d-\d\d \d\d:\d\d UTC restoring pay-host$/,
    );
    expect(d.problemKey).toMatch(/^PRB-\d+$/);
    const entries = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log
      WHERE entity_id = ${id} AND action = 'dr_drill.finished'`.execute(db);
    expect(entries.rows[0]!.n).toBe(1);
    expect(await sealedCheck(id)).toMatchObject({ ok: true });
    // The plan can be drilled again.
    runner = new JobRunner(app.server.ctx, { pollMs: 50, jobs: drillJobs() });
    await runner.start();
  });

  it('turns red on a damaged snapshot and opens a problem about the service', async () => {
    // Damage the pack holding pay-db's data file (the largest one), as a failing disk would.
    const packs = join(dir, 'store', `steward-${machines.db.ciId}`, 'data');
    const files = readdirSync(packs).flatMap((sub) =>
      readdirSync(join(packs, sub)).map((f) => join(packs, sub, f)),
    );
    const largest = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
    chmodSync(largest, 0o600);
    const b = readFileSync(largest);
    b[100] = (b[100] ?? 0) ^ 0xff;
    writeFileSync(largest, b);
    const started = await admin().post(`/api/v1/dr/plans/${planId}/drills`);
    expect(started.statusCode, started.body).toBe(202);
    const d = await settled(started.json<Drill>().id);
    expect(d.status).toBe('failed');
    expect(d.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'passed', 'pending']);
    expect(d.steps[1]!.mismatches, JSON.stringify(d.steps[1])).toBeGreaterThan(0);
    expect(d.steps[1]!.problems[0]!.path).toMatch(/pay-db\/data\.bin$/);
    expect(d.steps[1]!.verifiedFiles).toBe(1);
    expect(d.failure).toBe('pay-db restore had 1 file that did not match');
    expect(d.problemKey).toMatch(/^PRB-\d+$/);
    const ticket = (await admin().get(`/api/v1/tickets/${d.problemId}`)).json();
    expect(ticket).toMatchObject({ type: 'problem' });
    expect(ticket.title).toBe(`Drill of the Payroll plan failed: ${d.failure}`);
    expect(await sealedCheck(d.id)).toMatchObject({ ok: true, sealed: true });
    const plan = (await admin().get(`/api/v1/dr/plans/${planId}`)).json();
    expect(plan.verification.lastDrillId).not.toBe(d.id);
    const history = (await admin().get(`/api/v1/dr/plans/${planId}/drills`)).json<DrillHistory>();
    expect(history.trend).toMatchObject({ passed: 1, failed: 2 });

    // The plan can go; its drills stay as evidence, still readable by IT.
    const cur = await admin().get(`/api/v1/dr/plans/${planId}`);
    const del = await admin().delete(`/api/v1/dr/plans/${planId}`, {
      'if-match': cur.headers.etag as string,
    });
    expect(del.statusCode, del.body).toBe(204);
    const kept = await admin().get(`/api/v1/dr/drills/${d.id}`);
    expect(kept.json()).toMatchObject({ planId: null, planName: 'Payroll', status: 'failed' });
    expect((await app.as(tom).get(`/api/v1/dr/drills/${d.id}`)).statusCode).toBe(200);
    expect((await app.as(rita).get(`/api/v1/dr/drills/${d.id}`)).statusCode).toBe(404);
    expect((await admin().get(`/api/v1/dr/drills/${d.id}/evidence/verify`)).json()).toMatchObject({
      ok: true,
    });
  });
});
