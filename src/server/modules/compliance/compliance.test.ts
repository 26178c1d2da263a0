import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { backupRunOf, enrolDevice } from '../../../../test/support/devices.js';
import { multipart } from '../../../../test/support/multipart.js';
import { sendReviewReminders } from './index.js';

describe('compliance register', () => {
  let app: TestApp;
  let mia: TestUser; // manager: keeps the register
  let otto: TestUser; // agent: owns the backup control
  let tina: TestUser; // agent: owns nothing
  let rob: TestUser; // requester
  let framework: string;
  let backup: { id: string; version: number }; // A.8.13
  const admin = () => app.as(app.admin);
  const today = () => new Date().toISOString().slice(0, 10);
  const importFile = (body: Buffer | string, query: string, type = 'application/octet-stream') =>
    admin().post(`/api/v1/compliance/import?${query}`, body, { 'content-type': type });
  const frameworkCount = async () =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM compliance_frameworks`.execute(app.database.db))
        .rows[0]!.n,
    );
  const controlByRef = async (ref: string) => {
    const r = await admin().get(`/api/v1/compliance/frameworks/${framework}/controls`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().items as { id: string; ref: string; version: number; status: string }[]).find(
      (c) => c.ref === ref,
    )!;
  };
  const runReport = (token: string, status: 'succeeded' | 'failed', n: number) =>
    app.anonymous.post('/api/v1/agents/backup/runs', backupRunOf(status, n), {
      authorization: `Bearer ${token}`,
    });
  const reminders = async (u: TestUser, event = 'reminder') => {
    const r = await app.as(u).get('/api/v1/notifications?limit=200');
    return (r.json().items as { event: string; title: string; body: string }[]).filter(
      (n) => n.event === event,
    );
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    mia = await app.user('manager', { name: 'Mia Manager' });
    otto = await app.user('agent', { name: 'Otto Owner' });
    tina = await app.user('agent', { name: 'Tina Tech' });
    rob = await app.user('requester', { name: 'Rob Requester' });
  });
  afterAll(async () => app.close());

  it('loads a shipped control set, then a licensed file with full texts over it; bad files write nothing', async () => {
    const list = await app.as(mia).get('/api/v1/compliance/frameworks');
    expect(
      list
        .json()
        .catalogue.map((c: { key: string }) => c.key)
        .sort(),
    ).toEqual(['iso20000-1-2018', 'iso27001-2022', 'iso9001-2015']);
    const loaded = await app.as(mia).post('/api/v1/compliance/frameworks', { key: 'iso27001-2022' });
    expect(loaded.statusCode, loaded.body).toBe(201);
    expect(loaded.json()).toMatchObject({
      added: 93,
      updated: 0,
      framework: { controls: 93, undecided: 93 },
    });
    framework = loaded.json().framework.id;
    expect((await app.as(mia).post('/api/v1/compliance/frameworks', { key: 'nist' })).statusCode).toBe(400);

    const licensed = JSON.stringify({
      framework: { key: 'iso27001-2022', name: 'ISO/IEC 27001:2022 Annex A' },
      controls: [
        {
          ref: 'A.8.13',
          title: 'Backups taken and tested',
          section: 'Technological controls',
          text: 'Licensed text.',
        },
      ],
    });
    const ok = await importFile(licensed, 'format=json');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ added: 0, updated: 1, framework: { fullText: true, controls: 93 } });
    const csv =
      'ref,title,section,text\r\nQ.1,"Quality, first",Ops,"Full text, licensed"\r\nQ.2,Second,,\r\n';
    const c = await importFile(csv, 'format=csv&key=house-rules&name=House%20rules', 'text/csv');
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ added: 2, framework: { name: 'House rules', controls: 2 } });

    const before = await frameworkCount();
    const bad = async (body: Buffer | string, query: string, status: number, message: RegExp) => {
      const r = await importFile(body, query);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.body).toMatch(message);
    };
    const set = (controls: unknown[], key = 'new-set') =>
      JSON.stringify({ framework: { key, name: 'New set' }, controls });
    await bad(
      Buffer.from(set([{ ref: 'X.1', title: 'ab' }]).replace('ab', 'a\u0000b')),
      'format=json',
      400,
      /NUL/,
    );
    await bad(set([{ ref: 'X.1', title: 'One', text: 'a\u0000b' }]), 'format=json', 400, /NUL/);
    await bad(
      Buffer.concat([Buffer.from('ref,title\r\nX.1,'), Buffer.from([0xc3, 0x28]), Buffer.from('\r\n')]),
      'format=csv&key=x&name=X',
      400,
      /not UTF-8/,
    );
    await bad(
      set([
        { ref: 'X.1', title: 'One' },
        { ref: 'x.1', title: 'Again' },
      ]),
      'format=json',
      400,
      /already listed/,
    );
    await bad(set([{ ref: 'X.1', title: '' }]), 'format=json', 400, /controls\.0\.title/);
    await bad(set([{ ref: 'X.1', title: 'One', colour: 'red' }]), 'format=json', 400, /unknown field/);
    await bad(set([{ ref: 'X.1', title: 'One' }], 'Not A Key'), 'format=json', 400, /framework\.key/);
    await bad('{"framework":', 'format=json', 400, /not JSON/);
    await bad('ref,title\r\nX.1,One\r\n', 'format=csv', 400, /query\.key/);
    await bad('ref,title,colour\r\nX.1,One,red\r\n', 'format=csv&key=x&name=X', 400, /unknown column/);
    await bad('ref,title\r\nX.1,One\r\nX.2\r\n', 'format=csv&key=x&name=X', 400, /line 3/);
    const asJson = await admin().post(
      '/api/v1/compliance/import?format=json',
      JSON.parse(set([{ ref: 'X.1', title: 'One' }])),
    );
    expect(asJson.statusCode).toBe(415);
    expect(await frameworkCount()).toBe(before);
    // Importing is for those who keep the register.
    expect(
      (await app.as(otto).post('/api/v1/compliance/frameworks', { key: 'iso9001-2015' })).statusCode,
    ).toBe(403);
    expect(
      (await app.as(rob).post('/api/v1/compliance/frameworks', { key: 'iso9001-2015' })).statusCode,
    ).toBe(404);
  });

  it('keeps the statement of applicability: a decision needs its reason; owners are IT staff; stale edits lose', async () => {
    backup = await controlByRef('A.8.13');
    const patch = (body: Record<string, unknown>, who = mia) =>
      app.as(who).patch(`/api/v1/compliance/controls/${backup.id}`, { version: backup.version, ...body });
    const noReason = await patch({ applicable: false });
    expect(noReason.statusCode, noReason.body).toBe(400);
    expect(noReason.body).toContain('justification');
    expect((await patch({ ownerId: rob.id, applicable: true, justification: 'x' })).statusCode).toBe(400);
    const ok = await patch({
      applicable: true,
      justification: 'We hold customer data',
      ownerId: otto.id,
      reviewMonths: 12,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      applicable: true,
      owner: { name: 'Otto Owner' },
      reviewMonths: 12,
      version: 2,
    });
    expect(ok.json().nextReview > today()).toBe(true);
    const stale = await patch({ justification: 'other' });
    expect(stale.statusCode).toBe(409);
    backup = ok.json();
    // Clearing the reason of a decided control is refused too.
    expect((await patch({ justification: '' })).statusCode).toBe(400);
    expect((await patch({ applicable: true }, otto)).statusCode).toBe(403);
    const soa = (await app.as(mia).get(`/api/v1/compliance/frameworks/${framework}`)).json();
    expect(soa).toMatchObject({ applicable: 1, undecided: 92 });
  });

  it('shows a control to its owner and managers only: everyone else gets 404', async () => {
    const path = `/api/v1/compliance/controls/${backup.id}`;
    expect((await app.as(otto).get(path)).statusCode).toBe(200);
    expect((await app.as(tina).get(path)).statusCode).toBe(404);
    expect((await app.as(rob).get(path)).statusCode).toBe(404);
    expect((await app.as(rob).get('/api/v1/compliance/frameworks')).statusCode).toBe(404);
    expect((await app.as(tina).get(`${path}/evidence`)).statusCode).toBe(404);
    expect((await app.as(tina).post(`${path}/collect`)).statusCode).toBe(404);
    expect((await app.as(tina).get(`/api/v1/compliance/frameworks/${framework}/controls`)).statusCode).toBe(
      404,
    );
    expect((await app.as(tina).get('/api/v1/compliance/frameworks')).json().items).toEqual([]);
    const mine = await app.as(otto).get(`/api/v1/compliance/frameworks/${framework}/controls`);
    expect(mine.json().items.map((c: { ref: string }) => c.ref)).toEqual(['A.8.13']);
    expect(
      (
        await app
          .as(otto)
          .get(`/api/v1/compliance/frameworks/${framework}/export?from=2026-01-01&to=2026-12-31`)
      ).statusCode,
    ).toBe(403);
  });

  it('collects backup evidence: green while backups succeed, red and the owner told once when they fail', async () => {
    const dev = await enrolDevice(app, 'finance-laptop');
    for (let n = 1; n <= 3; n++) expect((await runReport(dev.token, 'succeeded', n)).statusCode).toBe(201);
    const path = `/api/v1/compliance/controls/${backup.id}`;
    const add = await app.as(mia).post(`${path}/mappings`, {
      source: 'backup_success',
      params: { days: 7, minPercent: 90 },
      effectiveFrom: today(),
    });
    expect(add.statusCode, add.body).toBe(201);
    // One mapping per source in force: a second at once is refused, whoever comes first.
    const twice = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.as(mia).post(`${path}/mappings`, { source: 'backup_success', effectiveFrom: today() }),
      ),
    );
    expect(twice.map((r) => r.statusCode)).toEqual(Array(10).fill(409));
    const bad = await app
      .as(mia)
      .post(`${path}/mappings`, { source: 'backup_success', params: { days: 0 }, effectiveFrom: today() });
    expect(bad.statusCode).toBe(400);

    const green = await app.as(otto).post(`${path}/collect`);
    expect(green.statusCode, green.body).toBe(200);
    expect(green.json()).toMatchObject({ status: 'green', mappings: [{ latest: { passed: true } }] });
    expect(green.json().mappings[0].latest.summary).toContain('3 of 3 backups');

    for (let n = 4; n <= 6; n++) expect((await runReport(dev.token, 'failed', n)).statusCode).toBe(201);
    // Many collections at once: the control turns red once, and its owner hears of it once.
    const all = await Promise.all(Array.from({ length: 12 }, () => app.as(mia).post(`${path}/collect`)));
    expect(all.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
    const red = (await app.as(otto).get(path)).json();
    expect(red).toMatchObject({ status: 'red', mappings: [{ latest: { passed: false } }] });
    expect(red.mappings[0].latest.summary).toContain('3 of 6 backups');
    const told = await reminders(otto, 'evidence_failed');
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toMatch(/^Evidence failed: control A\.8\.13 /);
    expect(told[0]!.body).toContain('3 of 6 backups');
    expect(await reminders(tina, 'evidence_failed')).toHaveLength(0);
  });

  it('freezes evidence: its hash is in the audit chain, its content hashes to it, and no row can change', async () => {
    const page = await app.as(otto).get(`/api/v1/compliance/controls/${backup.id}/evidence?limit=2`);
    expect(page.statusCode, page.body).toBe(200);
    const [latest] = page.json().items as { id: string; sha256: string; downloadUrl: string }[];
    const next = await app
      .as(otto)
      .get(`/api/v1/compliance/controls/${backup.id}/evidence?limit=2&cursor=${page.json().nextCursor}`);
    expect(next.json().items).toHaveLength(2);
    expect(next.json().items[0].id).not.toBe(latest!.id);
    const content = await app.as(otto).get(latest!.downloadUrl);
    expect(createHash('sha256').update(content.rawPayload).digest('hex')).toBe(latest!.sha256);
    await app.server.sealer.kick();
    const audited = await sql<{ sha: string; sealed: boolean }>`
      SELECT after->>'sha256' AS sha, seq IS NOT NULL AS sealed FROM audit_log
      WHERE action = 'compliance.evidence_collected' AND after->>'evidence' = ${latest!.id}`.execute(
      app.database.db,
    );
    expect(audited.rows).toEqual([{ sha: latest!.sha256, sealed: true }]);
    await expect(
      sql`UPDATE compliance_evidence SET passed = true WHERE id = ${latest!.id}`.execute(app.database.db),
    ).rejects.toThrow(/frozen/);
    await expect(
      sql`DELETE FROM compliance_evidence WHERE id = ${latest!.id}`.execute(app.database.db),
    ).rejects.toThrow(/frozen/);
  });

  it('keeps uploaded evidence files beside the collected evidence', async () => {
    const m = multipart([
      { name: 'note', data: 'Restore test signed off by the CFO' },
      { name: 'file', filename: 'restore-test.txt', type: 'text/plain', data: 'restored 12 files' },
    ]);
    const up = await app
      .as(otto)
      .post(`/api/v1/compliance/controls/${backup.id}/evidence`, m.body, m.headers);
    expect(up.statusCode, up.body).toBe(201);
    const e = up.json().items[0];
    expect(e).toMatchObject({
      kind: 'upload',
      fileName: 'restore-test.txt',
      summary: 'Restore test signed off by the CFO',
    });
    expect(e.sha256).toBe(createHash('sha256').update('restored 12 files').digest('hex'));
    const got = await app.as(mia).get(e.downloadUrl);
    expect(got.body).toBe('restored 12 files');
    const none = multipart([{ name: 'note', data: 'nothing' }]);
    expect(
      (await app.as(otto).post(`/api/v1/compliance/controls/${backup.id}/evidence`, none.body, none.headers))
        .statusCode,
    ).toBe(400);
    const t = multipart([{ name: 'file', filename: 'x.txt', data: 'x' }]);
    expect(
      (await app.as(tina).post(`/api/v1/compliance/controls/${backup.id}/evidence`, t.body, t.headers))
        .statusCode,
    ).toBe(404);
  });

  it('judges the other sources: the audit chain, changes, the inventory, access reviews and drills', async () => {
    const pairs: [string, string, boolean][] = [
      ['A.8.15', 'audit_chain', true],
      ['A.8.32', 'approved_changes', true],
      ['A.5.9', 'inventory_coverage', true],
      ['A.5.18', 'access_reviews', false],
      ['A.5.30', 'dr_drills', false],
    ];
    for (const [ref, source] of pairs) {
      const c = await controlByRef(ref);
      const add = await app
        .as(mia)
        .post(`/api/v1/compliance/controls/${c.id}/mappings`, { source, effectiveFrom: today() });
      expect(add.statusCode, add.body).toBe(201);
    }
    // One the future: not collected before its effective date.
    const later = await controlByRef('A.8.14');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await app.as(mia).post(`/api/v1/compliance/controls/${later.id}/mappings`, {
      source: 'audit_chain',
      effectiveFrom: tomorrow,
    });
    // The scheduled job, as the runner runs it (with this server's audit keys).
    const job = app.server.jobSet.types.find((t) => t.name === 'compliance.collect')!;
    const count = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM compliance_evidence WHERE kind = 'collected'`.execute(app.database.db)
        ).rows[0]!.n,
      );
    const before = await count();
    await job.handler(app.server.ctx, {}, {} as Parameters<typeof job.handler>[2]);
    expect((await count()) - before).toBe(6);
    for (const [ref, , passed] of pairs)
      expect((await controlByRef(ref)).status, ref).toBe(passed ? 'green' : 'red');
    expect((await controlByRef('A.8.14')).status).toBe('none');
  });

  it('reminds owners of reviews due within a week, once a day', async () => {
    await sql`UPDATE compliance_controls SET next_review = current_date + 3 WHERE id = ${backup.id}`.execute(
      app.database.db,
    );
    const before = (await reminders(otto)).length;
    expect(await sendReviewReminders(app.server.ctx)).toBe(1);
    expect(await sendReviewReminders(app.server.ctx)).toBe(0);
    expect((await reminders(otto)).length).toBe(before + 1);
    const reviewed = await app.as(otto).post(`/api/v1/compliance/controls/${backup.id}/reviewed`);
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json().nextReview > today()).toBe(true);
  });
});
