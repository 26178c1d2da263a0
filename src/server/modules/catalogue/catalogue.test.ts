import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('service catalogue', () => {
  let app: TestApp;
  let rita: TestUser;
  let manny: TestUser;
  let orphan: TestUser;
  let agent: TestUser;
  let outsider: TestUser;
  let finance: TestUser[];
  let financeTeam: string;
  let hwTeam: string;
  let deskTeam: string;
  const admin = () => app.as(app.admin);
  const laptopForm = [
    {
      key: 'device',
      label: 'Device',
      type: 'choice',
      required: true,
      choices: [
        { value: 'laptop', label: 'Laptop' },
        { value: 'tablet', label: 'Tablet' },
      ],
    },
    {
      key: 'screen',
      label: 'Screen size',
      type: 'number',
      min: 12,
      max: 17,
      integer: true,
      showWhen: { field: 'device', equals: ['laptop'] },
      requiredWhen: { field: 'device', equals: ['laptop'] },
    },
    { key: 'reason', label: 'Reason', type: 'text', required: true, minLength: 3, maxLength: 200 },
    { key: 'cost_centre', label: 'Cost centre', type: 'text', pattern: 'CC-[0-9]{4}' },
    { key: 'needed_by', label: 'Needed by', type: 'date', min: '2026-01-01' },
    { key: 'for_whom', label: 'For whom', type: 'user' },
    { key: 'photo', label: 'Photo', type: 'attachment' },
  ];
  const item = async (body: Record<string, unknown>) => {
    const r = await admin().post('/api/v1/catalogue/items', { audience: 'everyone', ...body });
    expect(r.statusCode, r.body).toBe(201);
    const made: { id: string; version: number } = r.json();
    return made;
  };
  const submit = (who: { token: string }, itemId: string, values: Record<string, unknown>) =>
    app.as(who).post(`/api/v1/catalogue/items/${itemId}/requests`, { values });
  const vote = (who: { token: string }, id: string, decision: 'approve' | 'reject', reason = '') =>
    app.as(who).post(`/api/v1/catalogue/requests/${id}/votes`, { decision, reason });
  const complete = (who: { token: string }, id: string, position: number) =>
    app.as(who).post(`/api/v1/catalogue/requests/${id}/tasks/${position}/complete`, {});
  const ticketOf = async (id: string) => {
    const r = (await admin().get(`/api/v1/catalogue/requests/${id}`)).json();
    return (await admin().get(`/api/v1/tickets/${r.ticketId}`)).json();
  };

  beforeAll(async () => {
    app = await setup();
    manny = await app.user('manager', { name: 'Manny Manager' });
    rita = await app.user('requester', { name: 'Rita Requester' });
    orphan = await app.user('requester', { name: 'Olli Orphan' });
    agent = await app.user('agent', { name: 'Hank Hardware' });
    outsider = await app.user('agent', { name: 'Otto Outsider' });
    finance = await Promise.all([1, 2, 3].map((i) => app.user('agent', { name: `Fin Approver ${i}` })));
    financeTeam = (
      await admin().post('/api/v1/teams', { name: 'Finance', memberIds: finance.map((u) => u.id) })
    ).json().id;
    hwTeam = (await admin().post('/api/v1/teams', { name: 'Hardware', memberIds: [agent.id] })).json().id;
    deskTeam = (await admin().post('/api/v1/teams', { name: 'Desk', memberIds: [outsider.id] })).json().id;
    const set = await admin().patch(
      `/api/v1/users/${rita.id}`,
      { managerId: manny.id },
      { 'if-match': '"v1"' },
    );
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().managerId).toBe(manny.id);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
  });

  it('keeps a user from being their own manager', async () => {
    const u = (await admin().get(`/api/v1/users/${orphan.id}`)).json();
    const r = await admin().patch(
      `/api/v1/users/${orphan.id}`,
      { managerId: orphan.id },
      { 'if-match': `"v${u.version}"` },
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('body.managerId');
  });

  it('refuses bad form definitions with the field named', async () => {
    const bad = async (fields: unknown[], path: string) => {
      const r = await admin().post('/api/v1/catalogue/items', {
        name: `Bad ${path}`,
        audience: 'everyone',
        fields,
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(JSON.stringify(r.json().errors)).toContain(path);
    };
    await bad(
      [
        { key: 'a', label: 'A', type: 'text' },
        { key: 'a', label: 'B', type: 'text' },
      ],
      'key',
    );
    await bad([{ key: 'a', label: 'A', type: 'text', showWhen: { field: 'b' } }], 'showWhen');
    await bad([{ key: 'a', label: 'A', type: 'text', pattern: '(' }], 'pattern');
    await bad([{ key: 'a', label: 'A', type: 'number', min: 5, max: 1 }], 'min');
    await bad([{ key: 'a', label: 'A', type: 'colour' }], 'type');
    const r = await admin().post('/api/v1/catalogue/items', { name: 'X', audience: 'teams' });
    expect(r.statusCode).toBe(400);
    const t = await admin().post('/api/v1/catalogue/items', {
      name: 'Y',
      audience: 'everyone',
      tasks: [{ title: 'Do', teamId: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(t.statusCode).toBe(400);
    expect(t.json().errors[0].path).toBe('body.tasks.0.teamId');
  });

  it('validates submissions against the form: types, ranges, patterns, choices, conditions, unknown fields', async () => {
    const it1 = await item({ name: 'New laptop', category: 'Hardware', fields: laptopForm });
    const problems = async (values: Record<string, unknown>) => {
      const r = await submit(rita, it1.id, values);
      expect(r.statusCode, r.body).toBe(400);
      return Object.fromEntries(
        (r.json().errors as { path: string; message: string }[]).map((e) => [e.path, e.message]),
      );
    };
    expect(await problems({ reason: 'need one' })).toMatchObject({ 'values.device': 'Device is required' });
    expect(await problems({ device: 'laptop', reason: 'need one' })).toMatchObject({
      'values.screen': 'Screen size is required',
    });
    expect(await problems({ device: 'laptop', screen: '14', reason: 'ok!' })).toMatchObject({
      'values.screen': 'must be a number',
    });
    expect(await problems({ device: 'laptop', screen: 19, reason: 'ok!' })).toMatchObject({
      'values.screen': 'must be at most 17',
    });
    expect(await problems({ device: 'tablet', screen: 14, reason: 'ok!' })).toMatchObject({
      'values.screen': expect.stringContaining('hidden'),
    });
    expect(await problems({ device: 'phone', reason: 'ok!' })).toMatchObject({
      'values.device': 'must be one of: laptop, tablet',
    });
    expect(await problems({ device: 'tablet', reason: 'ok!', colour: 'red' })).toMatchObject({
      'values.colour': 'no such field in this form',
    });
    expect(await problems({ device: 'tablet', reason: 'ok!', cost_centre: 'CC-12' })).toMatchObject({
      'values.cost_centre': expect.stringContaining('pattern'),
    });
    expect(await problems({ device: 'tablet', reason: 'ok!', needed_by: '2025-12-31' })).toMatchObject({
      'values.needed_by': 'must be on or after 2026-01-01',
    });
    expect(await problems({ device: 'tablet', reason: 'ok!', needed_by: '2026-02-30' })).toMatchObject({
      'values.needed_by': 'must be a date, YYYY-MM-DD',
    });
    expect(await problems({ device: 'tablet', reason: 'ok!', for_whom: 'nobody@example.com' })).toMatchObject(
      {
        'values.for_whom': 'no such active person',
      },
    );
    expect(await problems({ device: 'tablet', reason: 'a\u0001b' })).toMatchObject({
      'values.reason': 'must not contain control characters',
    });
    const nul = await submit(rita, it1.id, { device: 'tablet', reason: 'a\u0000b' });
    expect(nul.statusCode).toBe(400);
    const wrongShape = await app
      .as(rita)
      .post(`/api/v1/catalogue/items/${it1.id}/requests`, { values: { reason: { a: 1 } } });
    expect(wrongShape.statusCode).toBe(400);
    const before = (await app.as(rita).get('/api/v1/catalogue/requests')).json().items.length;
    expect(before).toBe(0);
    const ok = await submit(rita, it1.id, {
      device: 'laptop',
      screen: 14,
      reason: 'My old one broke',
      cost_centre: 'CC-1234',
      needed_by: '2027-01-10',
      for_whom: rita.email,
      photo: { fileName: 'broken.txt', contentBase64: Buffer.from('cracked screen').toString('base64') },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const req = ok.json();
    expect(req.status).toBe('fulfilled');
    expect(req.answers.map((a: { display: string }) => a.display)).toEqual([
      'Laptop',
      '14',
      'My old one broke',
      'CC-1234',
      '2027-01-10',
      'Rita Requester',
      'broken.txt',
    ]);
    const ticket = await ticketOf(req.id);
    expect(ticket.type).toBe('request');
    expect(ticket.status).toBe('resolved');
  });

  it('shows items only to those who may request them, and requests only to those involved (404 otherwise)', async () => {
    const forFinance = await item({ name: 'Finance share', audience: 'teams', teamIds: [financeTeam] });
    const forAgents = await item({ name: 'Admin console', audience: 'roles', roles: ['agent'] });
    const hidden = await item({ name: 'Retired thing', active: false });
    const names = async (who: { token: string }) =>
      (await app.as(who).get('/api/v1/catalogue/items')).json().items.map((i: { name: string }) => i.name);
    expect(await names(finance[0]!)).toEqual(expect.arrayContaining(['Finance share', 'Admin console']));
    expect(await names(rita)).not.toContain('Finance share');
    expect(await names(rita)).not.toContain('Admin console');
    expect(await names(app.admin)).not.toContain('Retired thing');
    expect((await app.as(rita).get(`/api/v1/catalogue/items/${forFinance.id}`)).statusCode).toBe(404);
    expect((await submit(rita, forAgents.id, {})).statusCode).toBe(404);
    expect((await submit(finance[0]!, hidden.id, {})).statusCode).toBe(404);
    expect((await app.as(rita).get('/api/v1/catalogue/items?scope=all')).statusCode).toBe(403);
    const all = (await admin().get('/api/v1/catalogue/items?scope=all'))
      .json()
      .items.map((i: { name: string }) => i.name);
    expect(all).toContain('Retired thing');
    const mine = (await submit(finance[0]!, forFinance.id, {})).json();
    expect((await app.as(rita).get(`/api/v1/catalogue/requests/${mine.id}`)).statusCode).toBe(404);
    expect((await app.as(outsider).get(`/api/v1/catalogue/requests/${mine.id}`)).statusCode).toBe(404);
    expect((await vote(outsider, mine.id, 'approve')).statusCode).toBe(404);
    expect((await app.as(finance[0]!).get(`/api/v1/catalogue/requests/${mine.id}`)).statusCode).toBe(200);
  });

  it('takes a request through the manager and a majority of Finance, then tasks in order; the ticket follows', async () => {
    const it2 = await item({
      name: 'Access to the finance share',
      approvals: [{ kind: 'manager' }, { kind: 'team', teamId: financeTeam, rule: 'majority' }],
      tasks: [
        { title: 'Create the account', teamId: hwTeam },
        { title: 'Grant the share', teamId: deskTeam },
      ],
      fields: [{ key: 'why', label: 'Why', type: 'text', required: true }],
    });
    expect((await submit(orphan, it2.id, { why: 'x' })).json().code).toBe('no_manager');
    const r = (await submit(rita, it2.id, { why: 'Month end' })).json();
    expect(r.status).toBe('approval');
    expect(r.level).toBe(1);
    expect(r.approvals.map((a: { status: string }) => a.status)).toEqual(['pending', 'waiting']);
    // Finance may not vote before the manager; Rita may not vote at all.
    expect((await vote(finance[0]!, r.id, 'approve')).json().code).toBe('not_your_level');
    expect((await vote(rita, r.id, 'approve')).statusCode).toBe(403);
    const inbox = (await app.as(manny).get('/api/v1/catalogue/requests?scope=approvals')).json().items;
    expect(inbox.map((x: { id: string }) => x.id)).toContain(r.id);
    expect((await vote(manny, r.id, 'approve')).json().level).toBe(2);
    expect((await vote(manny, r.id, 'approve')).json().code).toBe('not_your_level');
    expect((await vote(finance[0]!, r.id, 'approve')).json().status).toBe('approval');
    expect((await vote(finance[0]!, r.id, 'approve')).json().code).toBe('already_voted');
    const approved = (await vote(finance[1]!, r.id, 'approve')).json();
    expect(approved.status).toBe('fulfilment');
    expect(approved.tasks.map((t: { status: string }) => t.status)).toEqual(['open', 'waiting']);
    expect((await vote(finance[2]!, r.id, 'approve')).json().code).toBe('not_in_approval');
    let ticket = await ticketOf(r.id);
    expect(ticket.teamId).toBe(hwTeam);
    expect(ticket.status).toBe('in_progress');
    // Task 2 waits for task 1; only the task's team works it.
    expect((await complete(outsider, r.id, 2)).json().code).toBe('task_not_open');
    expect((await complete(outsider, r.id, 1)).statusCode).toBe(403);
    expect(
      (await app.as(agent).get('/api/v1/catalogue/requests?scope=tasks'))
        .json()
        .items.map((x: { id: string }) => x.id),
    ).toContain(r.id);
    const one = (await complete(agent, r.id, 1)).json();
    expect(one.tasks.map((t: { status: string }) => t.status)).toEqual(['done', 'open']);
    expect(one.tasks[0].doneBy).toBe('Hank Hardware');
    ticket = await ticketOf(r.id);
    expect(ticket.teamId).toBe(deskTeam);
    expect(ticket.status).not.toBe('resolved');
    const done = (await complete(outsider, r.id, 2)).json();
    expect(done.status).toBe('fulfilled');
    expect((await complete(outsider, r.id, 2)).json().code).toBe('task_not_open');
    ticket = await ticketOf(r.id);
    expect(ticket.status).toBe('resolved');
    const mine = (await app.as(rita).get('/api/v1/catalogue/requests')).json().items;
    expect(mine.find((x: { id: string }) => x.id === r.id).status).toBe('fulfilled');
  });

  it('applies all / at least N per level; a rejection ends the request and cancels its ticket', async () => {
    const allOf = await item({
      name: 'All of finance',
      approvals: [{ kind: 'team', teamId: financeTeam, rule: 'all' }],
    });
    const a = (await submit(rita, allOf.id, {})).json();
    await vote(finance[0]!, a.id, 'approve');
    await vote(finance[1]!, a.id, 'approve');
    expect((await app.as(rita).get(`/api/v1/catalogue/requests/${a.id}`)).json().status).toBe('approval');
    expect((await vote(finance[2]!, a.id, 'reject')).statusCode).toBe(400);
    const rejected = (await vote(finance[2]!, a.id, 'reject', 'Not in budget')).json();
    expect(rejected.status).toBe('rejected');
    expect((await ticketOf(a.id)).status).toBe('cancelled');
    const two = await item({
      name: 'Two of finance',
      approvals: [{ kind: 'team', teamId: financeTeam, rule: 'at_least', count: 2 }],
    });
    const b = (await submit(rita, two.id, {})).json();
    expect((await vote(finance[0]!, b.id, 'approve')).json().status).toBe('approval');
    expect((await vote(finance[1]!, b.id, 'approve')).json().status).toBe('fulfilled');
    const four = await admin().post('/api/v1/catalogue/items', {
      name: 'Four of finance',
      audience: 'everyone',
      approvals: [{ kind: 'team', teamId: financeTeam, rule: 'at_least', count: 4 }],
    });
    expect((await submit(rita, four.json().id, {})).json().code).toBe('no_approvers');
  });

  it('decides parallel votes once', async () => {
    const anyOf = await item({
      name: 'Any of finance',
      approvals: [{ kind: 'team', teamId: financeTeam, rule: 'any' }],
      tasks: [{ title: 'Ship it', teamId: hwTeam }],
    });
    const r = (await submit(rita, anyOf.id, {})).json();
    const votes = await Promise.all(
      Array.from({ length: 51 }, (_, i) => vote(finance[i % 3]!, r.id, 'approve')),
    );
    expect(votes.filter((v) => v.statusCode === 200)).toHaveLength(1);
    const after = (await app.as(rita).get(`/api/v1/catalogue/requests/${r.id}`)).json();
    expect(after.approvals[0].votes).toHaveLength(1);
    expect(after.tasks.map((t: { status: string }) => t.status)).toEqual(['open']);
    const completions = await Promise.all(Array.from({ length: 50 }, () => complete(agent, r.id, 1)));
    expect(completions.filter((c) => c.statusCode === 200)).toHaveLength(1);
  });

  it('edits an item with If-Match; requests in flight keep the form they were made with', async () => {
    const x = await item({
      name: 'Monitor',
      fields: [{ key: 'size', label: 'Size', type: 'number' }],
      approvals: [{ kind: 'manager' }],
    });
    const r = (await submit(rita, x.id, { size: 27 })).json();
    const body = {
      name: 'Monitor',
      audience: 'everyone',
      fields: [{ key: 'model', label: 'Model', type: 'text' }],
    };
    expect((await admin().put(`/api/v1/catalogue/items/${x.id}`, body)).statusCode).toBe(428);
    expect(
      (await admin().put(`/api/v1/catalogue/items/${x.id}`, body, { 'if-match': '"v9"' })).statusCode,
    ).toBe(412);
    const saved = await admin().put(`/api/v1/catalogue/items/${x.id}`, body, {
      'if-match': `"v${x.version}"`,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await app.as(rita).get(`/api/v1/catalogue/requests/${r.id}`)).json().answers[0].label).toBe(
      'Size',
    );
    expect(
      (await app.as(rita).put(`/api/v1/catalogue/items/${x.id}`, body, { 'if-match': '"v2"' })).statusCode,
    ).toBe(403);
  });
});
