// The families of someone else's resources for the route × role × someone-else's-id matrix, one seeding step
// per area (tickets, personal things, inventory, changes, administration, compliance, knowledge, backups):
// each makes its resources through the API and names, per role, those the role may not see.
import { mkdirSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { backup } from '../../src/backup/archiver.js';
import { openBackend } from '../../src/backup/backend/location.js';
import { Repository } from '../../src/backup/repository.js';
import type { Caller, TestApp, TestUser } from './api.js';
import { enrolDevice } from './devices.js';
import { multipart } from './multipart.js';

/** The roles that may be refused: everyone but admins. */
export type Attacker = 'requester' | 'agent' | 'manager';

/** Values for a route's path parameters (`{id}`, `{attachmentId}` …). */
export type Params = Record<string, string>;

/**
 * One family of routes: those under `key` (a route template up to a parameter, e.g. `/api/v1/tickets/{id}`).
 * `hidden[role]` lists resources of someone else that the role may not see; a role missing there sees every
 * resource of the family (categories, or an agent on the CMDB), so the family's own permission tests decide
 * what it may do (route-roles.test.ts: never a 5xx, 403 only where it sees).
 */
export interface Family {
  hidden: Partial<Record<Attacker, Params[]>>;
  /**
   * Someone else's sub-resources (an attachment, a link) named under a parent the role does see (a ticket of
   * its own): used only on routes with a second parameter.
   */
  crossed?: Partial<Record<Attacker, Params[]>>;
  /** Who sees the resource and re-reads it (default: the admin); a saved view is its owner's alone. */
  owner?: TestUser;
}

/** The people and the shared items every seeding step uses. */
export interface Seed {
  app: TestApp;
  admin: Caller;
  dir: string;
  olga: TestUser;
  oscar: TestUser;
  attackers: Record<Attacker, TestUser>;
  team: string;
  securityTeam: string;
  server: string;
  service: string;
}
export type Families = Record<string, Family>;

const everyone = (p: Params): Family => ({ hidden: { requester: [p], agent: [p], manager: [p] } });
const requesters = (p: Params): Family => ({ hidden: { requester: [p] } });
const soon = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const items = (r: Record<string, string>) => (r as unknown as { items: { id: string }[] }).items;

export function ok(res: LightMyRequestResponse, what: string): Record<string, string> {
  if (res.statusCode >= 300) throw new Error(`seeding ${what}: ${res.statusCode} ${res.body}`);
  return res.statusCode === 204 ? {} : res.json<Record<string, string>>();
}

/** Olga's ticket, queued with Oscar's team, and a security incident; each with everything a ticket holds. */
export async function tickets(s: Seed): Promise<Families> {
  const { app, admin, olga, oscar, server } = s;
  // an article (the admin's draft, for Oscar's desk) linked to each ticket: /tickets/{id}/articles/{articleId}
  const draft = {
    kind: 'how_to',
    title: 'Printer jams',
    body: 'Use tray 2.',
    audience: 'team',
    teamId: s.team,
  };
  const articleId = ok(await admin.post('/api/v1/kb/articles', draft), 'linked article').id!;
  const ticket = async (title: string, teamId: string, security: boolean): Promise<Params> => {
    const body = { type: 'incident', title, requesterId: olga.id, teamId };
    const id = ok(await admin.post('/api/v1/tickets', { ...body, assigneeId: oscar.id }), title).id!;
    const parent = ok(await admin.post('/api/v1/tickets', { ...body, title: `${title} (parent)` }), 'parent');
    const upload = multipart([{ name: 'file', filename: 'notes.txt', type: 'text/plain', data: 'notes' }]);
    const attachment = ok(
      await app.server.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${id}/attachments`,
        headers: { authorization: `Bearer ${olga.token}`, ...upload.headers },
        payload: upload.body,
      }),
      'attachment',
    );
    const link = ok(
      await admin.post(`/api/v1/tickets/${id}/links`, { kind: 'parent', targetId: parent.id }),
      'link',
    );
    ok(await admin.post(`/api/v1/tickets/${id}/cis`, { ciId: server }), 'ticket item');
    ok(await admin.post(`/api/v1/tickets/${id}/watchers`, { userId: oscar.id }), 'watcher');
    ok(await admin.post(`/api/v1/tickets/${id}/comments`, { body: 'We are on it.' }), 'reply');
    if (security) {
      ok(await admin.put(`/api/v1/tickets/${id}/security`, { security: true }), 'security flag');
      ok(await admin.post(`/api/v1/tickets/${id}/evidence`, { note: 'Firewall log saved' }), 'evidence');
    }
    ok(await admin.post(`/api/v1/tickets/${id}/articles`, { articleId }), 'linked article');
    const attachmentId = items(attachment)[0]!.id;
    return { id, attachmentId, linkId: link.id!, ciId: server, userId: oscar.id, articleId };
  };
  const plain = await ticket('Olga’s printer', s.team, false);
  const incident = await ticket('Phishing mail', s.securityTeam, true);
  // Each role's own ticket, to name Olga's attachment or link through it.
  const own = async (u: TestUser, of: Params): Promise<Params[]> => {
    const t = ok(await app.as(u).post('/api/v1/tickets', { type: 'request', title: 'My own' }), 'own ticket');
    return [{ ...of, id: t.id! }];
  };
  const { requester, agent, manager } = s.attackers;
  return {
    '/api/v1/tickets/{id}': {
      hidden: { requester: [plain, incident], agent: [plain, incident], manager: [incident] },
      crossed: {
        requester: await own(requester, plain),
        agent: await own(agent, plain),
        manager: await own(manager, incident),
      },
    },
  };
}

/**
 * What is one person's alone: notifications, tokens, saved views, personal macros, scheduled reports, personal
 * dashboards, catalogue requests (and a catalogue item only a team may request).
 */
export async function personal({ app, admin, olga, oscar, team }: Seed): Promise<Families> {
  const notification = items(ok(await app.as(olga).get('/api/v1/notifications'), 'notifications'))[0]?.id;
  if (!notification) throw new Error('seeding: Olga has no notification');
  const token = ok(await app.as(olga).post('/api/v1/tokens', { name: 'olga laptop' }), 'token').id!;
  const view = ok(await app.as(olga).post('/api/v1/views', { name: 'Olga’s view', filters: {} }), 'view').id!;
  const macro = ok(await app.as(oscar).post('/api/v1/macros', { name: 'Oscar’s', body: 'Hi' }), 'macro').id!;
  const report = ok(
    await app.as(oscar).post('/api/v1/reports', {
      name: 'Oscar’s weekly backlog',
      kpis: ['backlog'],
      period: 'last_week',
      formats: ['csv'],
      userIds: [oscar.id],
      schedule: { frequency: 'weekly', day: 1, hour: 7 },
    }),
    'report',
  ).id!;
  const dashboard = ok(
    await app.as(oscar).post('/api/v1/dashboards', {
      name: 'Oscar’s morning',
      cards: [{ kind: 'kpi', kpi: 'backlog' }],
    }),
    'dashboard',
  ).id!;
  const teamItem = ok(
    await admin.post('/api/v1/catalogue/items', {
      name: 'Desk-only gadget',
      audience: 'teams',
      teamIds: [team],
    }),
    'team-only item',
  ).id!;
  const openItem = ok(
    await admin.post('/api/v1/catalogue/items', { name: 'Stapler', audience: 'everyone' }),
    'catalogue item',
  ).id!;
  const request = ok(
    await app.as(olga).post(`/api/v1/catalogue/items/${openItem}/requests`, { values: {} }),
    'catalogue request',
  ).id!;
  return {
    '/api/v1/dashboards/{id}': { ...everyone({ id: dashboard }), owner: oscar },
    '/api/v1/catalogue/items/{id}': everyone({ id: teamItem }),
    '/api/v1/catalogue/requests/{id}': { ...everyone({ id: request }), owner: olga },
    '/api/v1/notifications/{id}': everyone({ id: notification }),
    '/api/v1/tokens/{id}': everyone({ id: token }),
    '/api/v1/views/{id}': { ...everyone({ id: view }), owner: olga },
    '/api/v1/macros/{id}': { ...everyone({ id: macro }), owner: oscar },
    '/api/v1/reports/{id}': { ...everyone({ id: report }), owner: oscar },
    // Everyone reads the categories: none is someone else's.
    '/api/v1/categories/{id}': { hidden: {} },
    // Custom fields, ticket templates and schedules are shared service-desk settings: only admins change them
    // (403), agents read fields and templates; none is someone else's.
    '/api/v1/ticket-fields/{id}': { hidden: {} },
    '/api/v1/ticket-templates/{id}': { hidden: {} },
    '/api/v1/ticket-recurrences/{id}': { hidden: {} },
    '/api/v1/users/{id}': requesters({ id: olga.id }),
  };
}

/** The CMDB: a class, an item with a relationship, a credential with its secret shared with Oscar. */
export async function inventory({ admin, oscar, team, server, service }: Seed): Promise<Families> {
  const ciClass = ok(
    await admin.post('/api/v1/ci-classes', { key: 'olga_kind', name: 'Olga kind', kind: 'computer' }),
    'class',
  ).key!;
  const relId = ok(
    await admin.post(`/api/v1/cis/${service}/relationships`, { type: 'depends_on', toId: server }),
    'relationship',
  ).id!;
  const credential = ok(
    await admin.post('/api/v1/cis', { classKey: 'credential', name: 'Router', custom: { system: 'router' } }),
    'credential',
  ).id!;
  ok(
    await admin.put(`/api/v1/vault/${credential}/secret`, { username: 'root', password: 'Secret-1' }),
    'secret',
  );
  const shares = [{ userId: oscar.id, level: 'manage' }];
  ok(await admin.put(`/api/v1/vault/${credential}/shares`, { shares }), 'shares');
  return {
    '/api/v1/teams/{id}': requesters({ id: team }),
    '/api/v1/ci-classes/{id}': requesters({ id: ciClass }),
    '/api/v1/cis/{id}': requesters({ id: service, relId }),
    '/api/v1/vault/{id}': requesters({ id: credential }),
  };
}

/** Oscar's change with a task, and change administration. */
export async function changes({ app, admin, oscar, team, server }: Seed): Promise<Families> {
  const body = { type: 'normal', title: 'Patch db-1', itemIds: [server], teamId: team };
  const change = ok(await app.as(oscar).post('/api/v1/changes', body), 'change').id!;
  const taskId = ok(
    await app.as(oscar).post(`/api/v1/changes/${change}/tasks`, { title: 'Stop jobs' }),
    'task',
  ).id!;
  const template = ok(
    await admin.post('/api/v1/change-templates', { name: 'Restart', type: 'standard' }),
    'template',
  ).id!;
  const window = ok(
    await admin.post('/api/v1/change-windows', {
      kind: 'blackout',
      name: 'Freeze',
      startsAt: soon(100),
      endsAt: soon(200),
    }),
    'window',
  ).id!;
  const delegation = ok(
    await admin.post('/api/v1/change-delegations', {
      userId: oscar.id,
      delegateId: app.admin.id,
      startsAt: soon(1),
      endsAt: soon(50),
    }),
    'delegation',
  ).id!;
  return {
    '/api/v1/changes/{id}': requesters({ id: change, taskId, ciId: server }),
    '/api/v1/change-templates/{id}': requesters({ id: template }),
    '/api/v1/change-windows/{id}': requesters({ id: window }),
    '/api/v1/change-delegations/{id}': {
      hidden: { requester: [{ id: delegation }], agent: [{ id: delegation }] },
    },
    '/api/v1/change-approval-routes/{route}': requesters({}),
  };
}

/** Routing, SLA, disaster recovery, jobs and discovery agents. */
export async function administration({ admin, oscar, team, service }: Seed): Promise<Families> {
  const rule = ok(
    await admin.post('/api/v1/routing-rules', { name: 'Olga rule', actions: { setTeam: team } }),
    'rule',
  ).id!;
  const week = Array.from({ length: 7 }, () => [[0, 1440]]);
  const calendar = ok(
    await admin.post('/api/v1/sla/calendars', { name: '24x7', timezone: 'UTC', week }),
    'calendar',
  ).id!;
  const policy = ok(
    await admin.post('/api/v1/sla/policies', {
      name: 'Problems',
      ticketType: 'problem',
      calendarId: calendar,
      targets: { '3': { firstResponseMinutes: 60, resolutionMinutes: 240 } },
    }),
    'sla policy',
  ).id!;
  const plan = ok(
    await admin.post('/api/v1/dr/plans', {
      serviceId: service,
      name: 'Payroll',
      rtoMinutes: 240,
      rpoMinutes: 60,
      reviewDue: '2027-06-30',
      steps: [{ title: 'Check the pay run', ownerId: oscar.id }],
    }),
    'dr plan',
  ).id!;
  const drill = ok(await admin.post(`/api/v1/dr/plans/${plan}/drills`), 'drill').id!;
  const job = items(ok(await admin.get('/api/v1/admin/jobs'), 'jobs'))[0]?.id;
  if (!job) throw new Error('seeding: no job queued');
  return {
    '/api/v1/routing-rules/{id}': requesters({ id: rule }),
    '/api/v1/sla/calendars/{id}': requesters({ id: calendar }),
    '/api/v1/sla/policies/{id}': requesters({ id: policy }),
    '/api/v1/dr/plans/{id}': requesters({ id: plan }),
    '/api/v1/dr/drills/{id}': requesters({ id: drill }),
    '/api/v1/admin/jobs/{id}': everyone({ id: job }),
  };
}

/**
 * A compliance framework with a control owned by Oscar, mapped to the audit-chain evidence query and collected
 * once: requesters may not read the register, and an agent sees only frameworks where they own a control.
 * Managers keep the register and see all of it.
 */
export async function compliance({ admin, oscar }: Seed): Promise<Families> {
  const framework = ok(
    await admin.post('/api/v1/compliance/frameworks', { key: 'iso9001-2015' }),
    'framework',
  ).framework as unknown as { id: string };
  const controls = ok(await admin.get(`/api/v1/compliance/frameworks/${framework.id}/controls`), 'controls');
  const control = (controls.items as unknown as { id: string; version: number }[])[0]!;
  ok(
    await admin.patch(`/api/v1/compliance/controls/${control.id}`, {
      version: control.version,
      ownerId: oscar.id,
    }),
    'control owner',
  );
  const mapping = ok(
    await admin.post(`/api/v1/compliance/controls/${control.id}/mappings`, {
      source: 'audit_chain',
      effectiveFrom: new Date().toISOString().slice(0, 10),
    }),
    'mapping',
  );
  const collected = ok(await admin.post(`/api/v1/compliance/controls/${control.id}/collect`), 'collect');
  const evidence = (collected.mappings as unknown as { latest: { id: string } }[])[0]!.latest.id;
  const params = { id: control.id, mappingId: mapping.id!, evidenceId: evidence };
  return {
    '/api/v1/compliance/frameworks/{id}': {
      hidden: { requester: [{ id: framework.id }], agent: [{ id: framework.id }] },
    },
    '/api/v1/compliance/controls/{id}': { hidden: { requester: [params], agent: [params] } },
  };
}

/** A published policy for Oscar's desk only, with an acknowledgement campaign; an access review. */
export async function knowledgeAndReviews({ app, admin, oscar, team, server }: Seed): Promise<Families> {
  const body = { kind: 'policy', title: 'Desk only', body: 'Lock the room.', audience: 'team', teamId: team };
  const article = ok(await app.as(oscar).post('/api/v1/kb/articles', body), 'article').id!;
  const move = async (to: string) =>
    ok(await app.as(oscar).post(`/api/v1/kb/articles/${article}/transitions`, { to }), to);
  await move('in_review');
  ok(await admin.post(`/api/v1/kb/articles/${article}/approvals`, { decision: 'approve' }), 'approval');
  await move('published');
  ok(
    await app.as(oscar).post(`/api/v1/kb/articles/${article}/targets`, { type: 'item', id: server }),
    'target',
  );
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const m = multipart([{ name: 'file', filename: 'desk.png', type: 'image/png', data: png }]);
  const imageId = ok(
    await app.as(oscar).post(`/api/v1/kb/articles/${article}/images`, m.body, m.headers),
    'image',
  ).id!;
  const campaign = { target: 'team', teamId: team, dueOn: '2031-01-31' };
  ok(await admin.put(`/api/v1/kb/articles/${article}/campaign`, campaign), 'campaign');
  const review = ok(
    await admin.post('/api/v1/reviews', {
      name: 'Q4 review',
      scope: ['team', 'role', 'credential'],
      due: soon(7 * 24).slice(0, 10),
    }),
    'review',
  ).id!;
  const itemId = items(ok(await admin.get(`/api/v1/reviews/${review}/items`), 'review items'))[0]!.id;
  return {
    '/api/v1/kb/articles/{id}': {
      hidden: {
        requester: [{ id: article, imageId, targetId: server }],
        agent: [{ id: article, imageId, targetId: server }],
      },
    },
    '/api/v1/reviews/{id}': requesters({ id: review, itemId }),
  };
}

/** A backed-up device of Olga's, with a snapshot, a restore she asked for, a policy and its agent. */
export async function backups({ app, admin, dir, olga, service }: Seed): Promise<Families> {
  const device = await enrolDevice(app, 'olga-laptop');
  const ci = await admin.get(`/api/v1/cis/${device.ciId}`);
  const etag = { 'if-match': ci.headers.etag as string };
  ok(await admin.patch(`/api/v1/cis/${device.ciId}`, { ownerId: olga.id }, etag), 'owner');
  const location = join(dir, 'store');
  const target = ok(await admin.post('/api/v1/backup/targets', { name: 'Disk', location }), 'target').id!;
  ok(await admin.put(`/api/v1/backup/repositories/${device.ciId}`, { targetId: target }), 'repository');
  const access = await app.anonymous.get('/api/v1/agents/backup', {
    authorization: `Bearer ${device.token}`,
  });
  const src = join(dir, 'home');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'todo.txt'), 'todo');
  const backend = await openBackend(join(location, `steward-${device.ciId}`), {});
  const password = access.json<{ repositoryPassword: string }>().repositoryPassword;
  const repo = await Repository.open(backend, password);
  const { snapshotId } = await backup(repo, { targets: [src], hostname: 'olga-laptop', workers: false });
  await backend.close();
  const restore = ok(
    await app.as(olga).post('/api/v1/backup/restores', {
      sourceCiId: device.ciId,
      snapshotId,
      paths: [join(src, 'todo.txt')],
      destinationFolder: join(dir, 'out'),
    }),
    'restore',
  ).id!;
  const policy = ok(
    await admin.post('/api/v1/backup/policies', {
      name: 'Daily',
      schedule: { kind: 'cron', cron: '0 12 * * *', timeZone: 'UTC' },
      retention: { daily: 7 },
      rpoMinutes: 1440,
    }),
    'backup policy',
  ).id!;
  const assignmentId = ok(
    await admin.post(`/api/v1/backup/policies/${policy}/assignments`, { scope: 'item', ref: device.ciId }),
    'assignment',
  ).id!;
  const agent = items(ok(await admin.get('/api/v1/agents'), 'agents'))[0]!.id;
  const browse = { ciId: device.ciId, snapshotId, from: snapshotId, to: snapshotId };
  return {
    '/api/v1/agents/{id}': requesters({ id: agent }),
    '/api/v1/backup/browse/{ciId}': requesters(browse),
    '/api/v1/backup/restores/{id}': requesters({ id: restore }),
    '/api/v1/backup/targets/{id}': everyone({ id: target }),
    '/api/v1/backup/policies/{id}': everyone({ id: policy, assignmentId }),
    '/api/v1/backup/repositories/{ciId}': everyone({ ciId: device.ciId }),
    '/api/v1/backup/services/{ciId}': everyone({ ciId: service }),
    '/api/v1/backup/status/{ciId}': requesters({ ciId: device.ciId }),
  };
}
