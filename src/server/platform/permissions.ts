import type { Role } from '../../contracts/index.js';
import { Forbidden, NotFound } from './errors.js';

/** Everything a role may be allowed to do. Later modules add their permissions here. */
export const PERMISSIONS = [
  'user:read',
  'user:write',
  'people:find',
  'team:read',
  'team:write',
  'audit:read',
  'token:own',
  'ticket:create',
  'ticket:work',
  'ticket:see_all',
  'category:read',
  'category:write',
  'settings:read',
  'settings:write',
  'view:own',
  'job:admin',
  'routing:read',
  'routing:write',
  'sla:read',
  'sla:write',
  'ci:read',
  'ci:write',
  'ci:admin',
  'backup:admin',
  'backup:restore',
  'backup:browse',
  'dr:read',
  'dr:write',
  'change:read',
  'change:write',
  'change:admin',
  'change:override',
  'macro:use',
  'macro:team',
  'review:read',
  'review:admin',
  'kb:read',
  'kb:write',
  'kb:admin',
  'catalogue:request',
  'catalogue:admin',
  'kpi:read',
  'kpi:share',
  'kpi:admin',
  'compliance:read',
  'compliance:admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The permission matrix, in one place: which roles hold each permission.
 * Requesters manage only their own tokens; agents see people and teams (to assign work);
 * managers also see the audit trail; admins administer identity.
 */
const MATRIX: Record<Permission, readonly Role[]> = {
  'user:read': ['agent', 'manager', 'admin'],
  // The staff directory: anyone signed in finds a colleague by name or e-mail (whom a request is for), seeing
  // only the name and e-mail of active people, a few at a time.
  'people:find': ['requester', 'agent', 'manager', 'admin'],
  'user:write': ['admin'],
  'team:read': ['agent', 'manager', 'admin'],
  'team:write': ['admin'],
  'audit:read': ['manager', 'admin'],
  'token:own': ['requester', 'agent', 'manager', 'admin'],
  // Service desk: everyone opens tickets; agents work them (route, prioritise, internal notes, bulk, on behalf
  // of a requester); managers and admins see every ticket. Which tickets one sees is tickets/visibility.ts.
  'ticket:create': ['requester', 'agent', 'manager', 'admin'],
  'ticket:work': ['agent', 'manager', 'admin'],
  'ticket:see_all': ['manager', 'admin'],
  'category:read': ['requester', 'agent', 'manager', 'admin'],
  'category:write': ['admin'],
  'settings:read': ['agent', 'manager', 'admin'],
  'settings:write': ['admin'],
  'view:own': ['requester', 'agent', 'manager', 'admin'],
  // Background jobs (list, retry, discard) and routing rules are administration; agents may read the rules
  // to understand why a ticket landed with them.
  'job:admin': ['admin'],
  'routing:read': ['agent', 'manager', 'admin'],
  'routing:write': ['admin'],
  // SLA calendars and policies: agents read them (to know what a due time means), admins edit them.
  'sla:read': ['agent', 'manager', 'admin'],
  'sla:write': ['admin'],
  // The CMDB: agents and above read and keep items and their relationships; admins edit the classes.
  'ci:read': ['agent', 'manager', 'admin'],
  'ci:write': ['agent', 'manager', 'admin'],
  'ci:admin': ['admin'],
  // Company backups: storage targets, device repositories and their passwords are administration.
  'backup:admin': ['admin'],
  // Restores onto any device (the service desk gets people's files back); requesters restore their own devices.
  'backup:restore': ['agent', 'manager', 'admin'],
  // Browsing and downloading any device's backups is IT's work; a requester browses only their own devices
  // (backup/browse.service.ts decides that, not this matrix).
  'backup:browse': ['agent', 'manager', 'admin'],
  // Disaster-recovery plans: IT reads them (they are what people follow on the day); admins and managers keep
  // them (targets, runbooks, contacts).
  'dr:read': ['agent', 'manager', 'admin'],
  'dr:write': ['manager', 'admin'],
  // Change management: IT reads and raises changes (approving is for the approver teams' members); managers
  // and admins keep the templates, approval routes and calendar, and alone may override a blackout.
  'change:read': ['agent', 'manager', 'admin'],
  'change:write': ['agent', 'manager', 'admin'],
  'change:admin': ['manager', 'admin'],
  'change:override': ['manager', 'admin'],
  // Macros: agents keep personal ones and use their teams'; managers and admins keep the teams' macros.
  'macro:use': ['agent', 'manager', 'admin'],
  'macro:team': ['manager', 'admin'],
  // Access reviews: IT staff decide the holdings they own (team leads, credential managers); admins run campaigns.
  'review:read': ['agent', 'manager', 'admin'],
  'review:admin': ['admin'],
  // Knowledge: everyone reads what is published for them; IT writes articles; managers and admins set who
  // approves, approve policies, see every audience and run policy acknowledgement campaigns.
  'kb:read': ['requester', 'agent', 'manager', 'admin'],
  'kb:write': ['agent', 'manager', 'admin'],
  'kb:admin': ['manager', 'admin'],
  // The service catalogue: everyone requests what an item's audience lets them; admins keep the items (forms,
  // approvals, tasks) and see every request. Approvers and task teams see the requests they work on.
  'catalogue:request': ['requester', 'agent', 'manager', 'admin'],
  'catalogue:admin': ['admin'],
  // KPIs and dashboards: IT reads the figures and keeps personal dashboards; managers and admins share
  // dashboards with everyone; admins set the targets.
  'kpi:read': ['agent', 'manager', 'admin'],
  'kpi:share': ['manager', 'admin'],
  'kpi:admin': ['admin'],
  // The compliance register: control owners (any IT staff) see and evidence their controls; managers and admins
  // keep the frameworks, the statement of applicability, owners, evidence queries and audit exports.
  'compliance:read': ['agent', 'manager', 'admin'],
  'compliance:admin': ['manager', 'admin'],
};

/** Who is acting: a signed-in user (session or token), or the system/CLI. */
export interface Actor {
  userId: string | null;
  role: Role;
  /** For the audit trail: the user's e-mail, or `cli:<os user>`, or `system`. */
  label: string;
  via: 'session' | 'token' | 'cli' | 'system' | 'mail';
  sessionId?: string;
  ip?: string | null;
}

/** True when the actor's role holds the permission. */
export function allows(actor: Actor, permission: Permission): boolean {
  return MATRIX[permission].includes(actor.role);
}

/**
 * The permission that lets a role see that a family of resources exists at all (users, the audit trail, jobs,
 * the CMDB...): the family's read permission, or its only one.
 */
const SEES: Record<string, Permission> = {
  user: 'user:read',
  people: 'people:find',
  team: 'team:read',
  audit: 'audit:read',
  token: 'token:own',
  ticket: 'ticket:create',
  category: 'category:read',
  settings: 'settings:read',
  view: 'view:own',
  job: 'job:admin',
  routing: 'routing:read',
  sla: 'sla:read',
  ci: 'ci:read',
  dr: 'dr:read',
  change: 'change:read',
  macro: 'macro:use',
  review: 'review:read',
  kb: 'kb:read',
  catalogue: 'catalogue:request',
  kpi: 'kpi:read',
  compliance: 'compliance:read',
};

/**
 * Throws unless the actor's role holds the permission. The one rule for every route (README, "The API"): what
 * a caller may not see is 404, so a role that cannot see the permission's family at all (a requester on users,
 * teams, the audit trail, jobs, routing rules, SLA or the CMDB; an agent on the audit trail or jobs) gets 404,
 * lists included; a role that sees the family but may not do this (an agent editing a routing rule) gets 403.
 */
export function can(actor: Actor, permission: Permission): void {
  if (allows(actor, permission)) return;
  const sees = SEES[permission.slice(0, permission.indexOf(':'))];
  if (sees === undefined || !allows(actor, sees)) throw NotFound();
  throw Forbidden(`your role (${actor.role}) may not ${permission.replace(':', ' ')}`);
}

/** The matrix as data, for documentation and the UI. */
export function permissionMatrix(): Record<Permission, readonly Role[]> {
  return MATRIX;
}
