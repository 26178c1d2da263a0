import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

const H = 3_600_000;
/** A window `fromH` to `toH` hours after a fixed day well in the future. */
const BASE = Date.parse('2031-03-03T00:00:00Z');
const at = (h: number) => new Date(BASE + h * H).toISOString();

describe('change management', () => {
  let app: TestApp;
  let agent: TestUser;
  let manager: TestUser;
  let requester: TestUser;
  let cab: TestUser[];
  let directors: TestUser[];
  let server: string;
  let payroll: string;
  let laptop: string;
  let cabTeam: string;
  let dirTeam: string;
  let incidentKey: string;
  const admin = () => app.as(app.admin);
  const item = async (classKey: string, name: string, ownerId?: string) => {
    const r = await admin().post('/api/v1/cis', {
      classKey,
      name,
      status: 'deployed',
      ...(ownerId ? { ownerId } : {}),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const create = async (body: Record<string, unknown>, who = app.as(agent)) => {
    const r = await who.post('/api/v1/changes', body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const get = async (id: string) => (await admin().get(`/api/v1/changes/${id}`)).json();
  const patch = async (id: string, body: Record<string, unknown>, who = app.as(agent)) => {
    const cur = await admin().get(`/api/v1/changes/${id}`);
    return who.patch(`/api/v1/changes/${id}`, body, { 'if-match': cur.headers.etag as string });
  };
  const move = (id: string, to: string, extra: Record<string, unknown> = {}, who = app.as(agent)) =>
    who.post(`/api/v1/changes/${id}/transitions`, { to, ...extra });
  const vote = (id: string, u: TestUser, decision: 'approve' | 'reject', reason = '') =>
    app.as(u).post(`/api/v1/changes/${id}/approvals`, { decision, reason });
  const setRoute = async (route: string, levels: unknown[]) => {
    const list = (await admin().get('/api/v1/change-approval-routes')).json().items;
    const cur = list.find((r: { route: string }) => r.route === route);
    const r = await admin().put(
      `/api/v1/change-approval-routes/${route}`,
      { levels },
      { 'if-match': `"v${cur.version}"` },
    );
    expect(r.statusCode, r.body).toBe(200);
  };
  const plans = {
    implementationPlan: 'Patch and reboot',
    testPlan: 'Log in to payroll',
    backoutPlan: 'Restore the snapshot',
  };

  beforeAll(async () => {
    app = await setup();
    agent = await app.user('agent', { name: 'Ada Agent' });
    manager = await app.user('manager', { name: 'Max Manager' });
    requester = await app.user('requester');
    cab = await Promise.all([1, 2, 3].map((i) => app.user('agent', { name: `Cab Member ${i}` })));
    directors = await Promise.all([1, 2].map((i) => app.user('manager', { name: `Director ${i}` })));
    cabTeam = (await admin().post('/api/v1/teams', { name: 'CAB', memberIds: cab.map((u) => u.id) })).json()
      .id;
    dirTeam = (
      await admin().post('/api/v1/teams', { name: 'Directors', memberIds: directors.map((u) => u.id) })
    ).json().id;
    const levels = [
      { teamId: cabTeam, rule: 'majority' },
      { teamId: dirTeam, rule: 'all' },
    ];
    for (const route of ['low', 'moderate', 'high']) await setRoute(route, levels);
    await setRoute('emergency', [{ teamId: dirTeam, rule: 'any' }]);
    server = await item('server', 'db-1');
    payroll = await item('service', 'Payroll', requester.id);
    laptop = await item('laptop', 'Ada’s laptop');
    const rel = await admin().post(`/api/v1/cis/${payroll}/relationships`, {
      type: 'depends_on',
      toId: server,
    });
    expect(rel.statusCode, rel.body).toBe(201);
    const inc = await app
      .as(agent)
      .post('/api/v1/tickets', { type: 'incident', title: 'Payroll slow', ciIds: [payroll] });
    expect(inc.statusCode, inc.body).toBe(201);
    incidentKey = inc.json().key;
  }, 600_000);
  afterAll(async () => {
    await app?.close();
  });

  it('assesses a normal change on a server a business service depends on, with its reasons, and approves it in two levels', async () => {
    const tpl = await admin().post('/api/v1/change-templates', {
      name: 'Database patch',
      type: 'normal',
      questions: [
        { key: 'downtime', text: 'Does it need downtime?', weight: 3 },
        { key: 'tested', text: 'Is it untested elsewhere?', weight: 2 },
      ],
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const c = await create({
      templateId: tpl.json().id,
      title: 'Patch db-1',
      itemIds: [server],
      plannedStart: at(1),
      plannedEnd: at(3),
      answers: { downtime: true, tested: false },
    });
    expect(c.key).toMatch(/^CHG-\d+$/);
    expect(c.type).toBe('normal');
    expect(c.status).toBe('draft');
    const reasons = c.riskReasons.map((r: { text: string }) => r.text);
    expect(reasons).toContain('“Does it need downtime?”: yes');
    expect(reasons).toContain('Affects 1 business service: Payroll');
    expect(reasons).toContain(`1 open incident on affected items: ${incidentKey}`);
    expect(reasons).toContain('No successful backup in the last 7 days of db-1');
    expect(reasons).toContain('1 person owns affected items');
    // Each reason also comes as a code with its values, for the UI to say it in the reader's language.
    expect(c.riskReasons).toEqual(
      expect.arrayContaining([
        { code: 'question', params: { question: 'Does it need downtime?' }, text: reasons[0], points: 3 },
        expect.objectContaining({ code: 'services', params: { count: 1, names: 'Payroll', more: 0 } }),
        expect.objectContaining({ code: 'incidents', params: { count: 1, atLeast: 0, keys: incidentKey } }),
        expect.objectContaining({ code: 'no_backup', params: { names: 'db-1', more: 0 } }),
        expect.objectContaining({ code: 'owners', params: { count: 1 } }),
      ]),
    );
    // 3 (downtime) + 2 (service) + 1 (person) + 3 (incident) + 3 (backup) = 12
    expect(c.riskScore).toBe(12);
    expect(c.risk).toBe('high');

    expect((await move(c.id, 'assessment')).statusCode).toBe(200);
    const noPlans = await move(c.id, 'authorisation');
    expect(noPlans.statusCode).toBe(409);
    expect(noPlans.json().code).toBe('plans_missing');
    expect(noPlans.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'implementationPlan',
      'testPlan',
      'backoutPlan',
    ]);
    expect((await patch(c.id, plans)).statusCode).toBe(200);
    // Normal changes are not scheduled by asking.
    expect((await move(c.id, 'scheduled')).json().code).toBe('needs_approval');
    const auth = await move(c.id, 'authorisation');
    expect(auth.statusCode, auth.body).toBe(200);
    expect(
      auth
        .json()
        .approvals.map((l: { teamName: string; required: number; status: string }) => [
          l.teamName,
          l.required,
          l.status,
        ]),
    ).toEqual([
      ['CAB', 2, 'pending'],
      ['Directors', 2, 'waiting'],
    ]);
    // A director cannot vote before the CAB has decided; someone outside the teams never.
    expect((await vote(c.id, directors[0]!, 'approve')).statusCode).toBe(403);
    expect((await vote(c.id, agent, 'approve')).statusCode).toBe(403);
    expect((await vote(c.id, requester, 'approve')).statusCode).toBe(404);
    expect((await vote(c.id, cab[0]!, 'approve')).statusCode).toBe(200);
    expect((await vote(c.id, cab[0]!, 'approve')).json().code).toBe('already_voted');
    const second = await vote(c.id, cab[1]!, 'approve');
    expect(second.json().approvals.map((l: { status: string }) => l.status)).toEqual(['approved', 'pending']);
    expect((await vote(c.id, directors[0]!, 'approve')).json().status).toBe('authorisation');
    const done = (await vote(c.id, directors[1]!, 'approve')).json();
    expect(done.status).toBe('scheduled');
    expect(done.approvals[1].votes.map((v: { by: string }) => v.by)).toEqual(['Director 1', 'Director 2']);

    // Illegal moves name the allowed ones.
    const illegal = await move(c.id, 'closed', { outcome: 'successful' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().code).toBe('illegal_transition');
    expect(illegal.json().detail).toContain('allowed: implementing, cancelled');
    // Past assessment, a change is no longer edited.
    expect((await patch(c.id, { title: 'Other' })).json().code).toBe('not_editable');

    // Tasks, implementation, review with outcome and lessons, and the incident it caused.
    expect(
      (
        await app
          .as(agent)
          .post(`/api/v1/changes/${c.id}/tasks`, { title: 'Stop payroll jobs', teamId: cabTeam })
      ).statusCode,
    ).toBe(201);
    const withTasks = (
      await app.as(agent).post(`/api/v1/changes/${c.id}/tasks`, { title: 'Apply patch' })
    ).json();
    expect(
      withTasks.tasks.map((t: { position: number; title: string; teamName: string | null }) => [
        t.position,
        t.title,
        t.teamName,
      ]),
    ).toEqual([
      [1, 'Stop payroll jobs', 'CAB'],
      [2, 'Apply patch', null],
    ]);
    const ticked = await app
      .as(agent)
      .patch(`/api/v1/changes/${c.id}/tasks/${withTasks.tasks[0].id}`, { done: true });
    expect(ticked.json().tasks[0].doneBy).toBe('Ada Agent');
    expect((await move(c.id, 'implementing')).statusCode).toBe(200);
    expect((await move(c.id, 'review')).statusCode).toBe(200);
    const caused = await app
      .as(agent)
      .post('/api/v1/tickets', { type: 'incident', title: 'Payroll down after patch', ciIds: [payroll] });
    const link = await app
      .as(agent)
      .post(`/api/v1/changes/${c.id}/links`, { ticketId: caused.json().id, kind: 'caused' });
    expect(link.statusCode, link.body).toBe(201);
    expect(link.json().links).toEqual([expect.objectContaining({ key: caused.json().key, kind: 'caused' })]);
    const wrongKind = await app
      .as(agent)
      .post(`/api/v1/changes/${c.id}/links`, { ticketId: caused.json().id, kind: 'fixes' });
    expect(wrongKind.statusCode).toBe(400);
    expect((await move(c.id, 'closed')).statusCode).toBe(400);
    const closed = await move(c.id, 'closed', {
      outcome: 'partially_successful',
      lessons: 'Stop the jobs first.',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      outcome: 'partially_successful',
      lessons: 'Stop the jobs first.',
      allowedTransitions: [],
    });
    const audit = await app.server.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label'])
      .where('entity_type', '=', 'change')
      .where('entity_id', '=', c.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'change.created',
      'change.moved',
      'change.updated',
      'change.moved',
      'change.voted',
      'change.voted',
      'change.voted',
      'change.voted',
      'change.approved',
      'change.task_added',
      'change.task_added',
      'change.task_done',
      'change.moved',
      'change.moved',
      'change.linked',
      'change.moved',
    ]);
  });

  it('rejects with a reason, and a rejection without one is bad input', async () => {
    const c = await create({
      type: 'normal',
      title: 'Replace the disk',
      itemIds: [laptop],
      plannedStart: at(30),
      plannedEnd: at(31),
      ...plans,
    });
    await move(c.id, 'assessment');
    expect((await move(c.id, 'authorisation')).statusCode).toBe(200);
    const bare = await vote(c.id, cab[0]!, 'reject');
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].path).toBe('body.reason');
    // Majority of 3: one rejection leaves 2 possible approvals, still enough; a second decides.
    expect((await vote(c.id, cab[0]!, 'reject', 'No backout tested')).json().status).toBe('authorisation');
    const r = (await vote(c.id, cab[1]!, 'reject', 'Too close to payday')).json();
    expect(r.status).toBe('rejected');
    expect(r.rejectionReason).toBe('Cab Member 2: Too close to payday');
    expect((await vote(c.id, cab[2]!, 'approve')).json().code).toBe('not_awaiting_approval');
  });

  it('schedules standard changes from the catalogue without approval, and emergency ones through their route', async () => {
    const tpl = (
      await admin().post('/api/v1/change-templates', { name: 'Restart a print spooler', type: 'standard' })
    ).json();
    const noTemplate = await app.as(agent).post('/api/v1/changes', { type: 'standard', title: 'x' });
    expect(noTemplate.statusCode).toBe(400);
    expect(noTemplate.json().errors[0].path).toBe('templateId');
    const s = await create({
      templateId: tpl.id,
      title: 'Restart spooler',
      teamId: cabTeam,
      itemIds: [laptop],
      plannedStart: at(40),
      plannedEnd: at(41),
    });
    expect(s.type).toBe('standard');
    await move(s.id, 'assessment');
    expect((await move(s.id, 'authorisation')).json().code).toBe('pre_approved');
    expect((await move(s.id, 'scheduled')).json().status).toBe('scheduled');
    expect((await patch(s.id, { teamId: cabTeam })).json().code).toBe('not_editable');
    for (const to of ['implementing', 'review']) expect((await move(s.id, to)).statusCode).toBe(200);
    expect((await move(s.id, 'closed', { outcome: 'successful' })).statusCode).toBe(200);
    const stats = (await app.as(agent).get('/api/v1/change-stats')).json();
    const ends = { partiallySuccessful: 0, failed: 0, backedOut: 0 };
    expect(stats.teams).toEqual([
      { teamId: cabTeam, teamName: 'CAB', closed: 1, successful: 1, ...ends, rate: 1 },
    ]);
    expect(stats.templates).toEqual([
      {
        templateId: tpl.id,
        templateName: 'Restart a print spooler',
        closed: 1,
        successful: 1,
        ...ends,
        rate: 1,
      },
      expect.objectContaining({ templateName: 'Database patch', closed: 1, successful: 0, rate: 0 }),
    ]);
    // Over a period of closing: the last hour holds both; a period that ended yesterday holds none.
    const hourAgo = new Date(Date.now() - H).toISOString();
    const inHour = new Date(Date.now() + H).toISOString();
    const recent = await app.as(agent).get(`/api/v1/change-stats?from=${hourAgo}&to=${inHour}`);
    expect(recent.json().templates).toHaveLength(2);
    const before = (await app.as(agent).get(`/api/v1/change-stats?to=${hourAgo}`)).json();
    expect(before).toEqual({ teams: [], templates: [] });
    const reversed = await app.as(agent).get(`/api/v1/change-stats?from=${inHour}&to=${hourAgo}`);
    expect(reversed.statusCode).toBe(400);
    // Each number is a list of changes: the template's successful changes closed in the period.
    const listed = await app
      .as(agent)
      .get(
        `/api/v1/changes?templateId=${tpl.id}&outcome=successful&closedFrom=${hourAgo}&closedTo=${inHour}`,
      );
    expect(listed.json().items.map((c: { id: string }) => c.id)).toEqual([s.id]);
    const failedOnes = await app.as(agent).get(`/api/v1/changes?templateId=${tpl.id}&outcome=failed`);
    expect(failedOnes.json().items).toEqual([]);
    const byTeam = await app.as(agent).get(`/api/v1/changes?teamId=${cabTeam}&status=closed`);
    expect(byTeam.json().items.map((c: { id: string }) => c.id)).toEqual([s.id]);

    const e = await create({
      type: 'emergency',
      title: 'Block the exploit',
      itemIds: [server],
      plannedStart: at(50),
      plannedEnd: at(51),
    });
    await move(e.id, 'assessment');
    const auth = (await move(e.id, 'authorisation')).json();
    expect(auth.approvals.map((l: { teamName: string; rule: string }) => [l.teamName, l.rule])).toEqual([
      ['Directors', 'any'],
    ]);
    expect((await vote(e.id, directors[1]!, 'approve')).json().status).toBe('scheduled');
  });

  it('flags collisions: the same item, a dependent item, the implementer booked, outside the maintenance window', async () => {
    const first = await create({
      type: 'normal',
      title: 'Upgrade db-1',
      itemIds: [server],
      plannedStart: at(100),
      plannedEnd: at(104),
      implementerId: agent.id,
    });
    await move(first.id, 'assessment');
    const mw = await admin().post('/api/v1/change-windows', {
      kind: 'maintenance',
      name: 'Sunday nights',
      ciId: payroll,
      startsAt: at(200),
      endsAt: at(206),
    });
    expect(mw.statusCode, mw.body).toBe(201);
    const same = await create({
      type: 'normal',
      title: 'Move db-1',
      itemIds: [server],
      plannedStart: at(102),
      plannedEnd: at(103),
    });
    expect(same.conflicts).toEqual([
      expect.objectContaining({
        kind: 'same_item',
        changeKey: first.key,
        params: { change: first.key, title: 'Upgrade db-1', item: 'db-1' },
        message: `${first.key} “Upgrade db-1” also changes db-1 at the same time`,
      }),
    ]);
    const near = await create({
      type: 'normal',
      title: 'Payroll release',
      itemIds: [payroll],
      plannedStart: at(103),
      plannedEnd: at(105),
      implementerId: agent.id,
    });
    expect(near.conflicts.map((x: { kind: string }) => x.kind).sort()).toEqual([
      'implementer_booked',
      'outside_maintenance',
      'related_item',
    ]);
    const related = near.conflicts.find((x: { kind: string }) => x.kind === 'related_item');
    expect(related.message).toBe(
      `${first.key} “Upgrade db-1” changes db-1, which this change’s items rely on, at the same time`,
    );
    expect(related.params).toEqual({
      change: first.key,
      title: 'Upgrade db-1',
      item: 'db-1',
      side: 'upstream',
    });
    // Moved into the maintenance window and away from the others: nothing left.
    const moved = await patch(near.id, { plannedStart: at(201), plannedEnd: at(202) });
    expect(moved.json().conflicts).toEqual([]);
    // The risk counts other changes on the same or dependent items.
    expect(same.riskReasons.map((r: { text: string }) => r.text)).toContainEqual(
      expect.stringMatching(/^\d+ other changes? in progress on the same or dependent items$/),
    );
    const calendar = await app
      .as(agent)
      .get(`/api/v1/change-calendar?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(24 * 30))}`);
    expect(calendar.statusCode, calendar.body).toBe(200);
    expect(calendar.json().windows.map((w: { name: string; ciName: string }) => [w.name, w.ciName])).toEqual([
      ['Sunday nights', 'Payroll'],
    ]);
    expect(calendar.json().changes.map((x: { key: string }) => x.key)).toContain(first.key);
  });

  it('refuses a change inside a blackout without an emergency override with a reason', async () => {
    const b = await admin().post('/api/v1/change-windows', {
      kind: 'blackout',
      name: 'Year-end freeze',
      startsAt: at(300),
      endsAt: at(400),
    });
    expect(b.statusCode, b.body).toBe(201);
    const c = await create({
      type: 'normal',
      title: 'Patch in the freeze',
      itemIds: [laptop],
      plannedStart: at(310),
      plannedEnd: at(311),
      ...plans,
    });
    expect(c.conflicts.map((x: { kind: string }) => x.kind)).toEqual(['blackout']);
    expect(c.conflicts[0].params).toEqual({
      name: 'Year-end freeze',
      item: '',
      start: at(300),
      end: at(400),
    });
    expect(c.riskReasons.map((r: { text: string }) => r.text)).toContain(
      'Planned inside the blackout Year-end freeze',
    );
    await move(c.id, 'assessment');
    const refused = await move(c.id, 'authorisation');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('blackout');
    expect((await get(c.id)).status).toBe('assessment');
    expect((await patch(c.id, { plannedStart: at(305) })).json().code).toBe('blackout');
    // Agents may not override; a manager may, with a reason.
    expect((await patch(c.id, { blackoutOverride: { reason: 'Security fix' } })).statusCode).toBe(403);
    expect((await patch(c.id, { blackoutOverride: { reason: '' } }, app.as(manager))).statusCode).toBe(400);
    const ok = await patch(c.id, { blackoutOverride: { reason: 'Security fix' } }, app.as(manager));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().blackoutOverride).toEqual({ reason: 'Security fix', by: 'Max Manager' });
    expect((await move(c.id, 'authorisation')).statusCode).toBe(200);
  });

  it('decides parallel votes atomically: exactly the votes the rule needs count, and one decision', async () => {
    const night = await Promise.all(
      [...Array(8).keys()].map((i) => app.user('agent', { name: `Night ${i}` })),
    );
    const team = (
      await admin().post('/api/v1/teams', { name: 'Night shift', memberIds: night.map((u) => u.id) })
    ).json().id;
    await setRoute('emergency', [{ teamId: team, rule: 'at_least', count: 3 }]);
    const raise = async (title: string) => {
      const c = await create({ type: 'emergency', title, plannedStart: at(900), plannedEnd: at(901) });
      await move(c.id, 'assessment');
      expect((await move(c.id, 'authorisation')).statusCode).toBe(200);
      return c.id as string;
    };
    const votes = async (id: string) =>
      app.server.ctx.db.selectFrom('change_votes').selectAll().where('change_id', '=', id).execute();
    const decisions = async (id: string) =>
      app.server.ctx.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', id)
        .where('action', 'in', ['change.approved', 'change.rejected'])
        .execute();

    const a = await raise('Parallel approvals');
    const res = await Promise.all([...night, night[0]!].map((u) => vote(a, u, 'approve')));
    const codes = res.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(3);
    expect(codes.filter((c) => c === 409)).toHaveLength(6);
    expect((await get(a)).status).toBe('scheduled');
    expect(await votes(a)).toHaveLength(3);
    expect(await decisions(a)).toHaveLength(1);

    // 8 of 8 needed, one rejects among parallel approvals: always rejected, once, with every counted vote kept.
    await setRoute('emergency', [{ teamId: team, rule: 'all' }]);
    const b = await raise('Parallel with a rejection');
    const mixed = await Promise.all(
      night.map((u, i) => (i === 5 ? vote(b, u, 'reject', 'Not tonight') : vote(b, u, 'approve'))),
    );
    const got = await get(b);
    expect(got.status).toBe('rejected');
    expect(got.rejectionReason).toBe('Night 5: Not tonight');
    expect(await votes(b)).toHaveLength(mixed.filter((r) => r.statusCode === 200).length);
    expect(await decisions(b)).toHaveLength(1);
  });

  it('answers bad input with 4xx and writes nothing; requesters do not see changes', async () => {
    const count = async () =>
      (
        await app.server.ctx.db
          .selectFrom('changes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    const bad = [
      { type: 'normal', title: 'a\u0000b' },
      { type: 'normal', title: 'x', extra: 1 },
      { type: 'normal', title: 'x', plannedStart: at(5), plannedEnd: at(4) },
      { type: 'normal', title: 'x', plannedStart: 'tomorrow', plannedEnd: at(4) },
      { type: 'normal', title: 'x', itemIds: ['00000000-0000-4000-8000-000000000000'] },
      { type: 'normal', title: 'x', answers: { nope: true } },
      { type: 'normal', title: 'x', implementerId: randomUUID() },
      { title: 'no type' },
      { type: 'weird', title: 'x' },
    ];
    for (const body of bad) {
      const r = await app.as(agent).post('/api/v1/changes', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await count()).toBe(before);
    expect((await app.as(agent).get('/api/v1/changes?cursor=forged')).statusCode).toBe(400);
    expect(
      (await app.as(agent).get('/api/v1/change-calendar?from=2031-01-01T00:00:00Z&to=2031-12-01T00:00:00Z'))
        .statusCode,
    ).toBe(400);
    expect((await app.as(requester).get('/api/v1/changes')).statusCode).toBe(404);
    expect((await app.as(requester).post('/api/v1/changes', { type: 'normal', title: 'x' })).statusCode).toBe(
      404,
    );
    expect(
      (await app.as(agent).post('/api/v1/change-templates', { name: 'x', type: 'normal' })).statusCode,
    ).toBe(403);
    expect((await app.as(agent).get('/api/v1/changes/00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    const c = await create({ type: 'normal', title: 'Stale edit' });
    expect((await app.as(agent).patch(`/api/v1/changes/${c.id}`, { title: 'y' })).statusCode).toBe(428);
    expect(
      (await app.as(agent).patch(`/api/v1/changes/${c.id}`, { title: 'y' }, { 'if-match': '"v99"' }))
        .statusCode,
    ).toBe(412);
    // Paging through the list.
    const page1 = (await app.as(agent).get('/api/v1/changes?limit=2')).json();
    const page2 = (await app.as(agent).get(`/api/v1/changes?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page1.items).toHaveLength(2);
    expect(page2.items[0].key).not.toBe(page1.items[1].key);
  });
});
