// Someone else's resources, made through the API, for the route × role × someone-else's-id matrix
// (src/server/platform/route-ids.test.ts): for each family of routes that take an id, the real ids of a
// resource that each non-admin role may not see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp, TestUser } from './api.js';
import {
  administration,
  backups,
  changes,
  compliance,
  type Attacker,
  type Families,
  type Family,
  inventory,
  knowledgeAndReviews,
  ok,
  personal,
  type Seed,
  tickets,
} from './foreign-families.js';

export type { Attacker, Family, Params } from './foreign-families.js';

/** What {@link seedForeign} returns: the families, and the folder to remove at the end. */
export interface Foreign {
  families: Record<string, Family>;
  attackers: Record<Attacker, TestUser>;
  close(): void;
}

/** Every resource the matrix needs, owned by Olga (a requester) or Oscar (an agent in a team of his own). */
export async function seedForeign(app: TestApp): Promise<Foreign> {
  const admin = app.as(app.admin);
  const dir = mkdtempSync(join(tmpdir(), 'steward-foreign-'));
  const [olga, oscar, requester, agent, manager] = await Promise.all([
    app.user('requester', { name: 'Olga Owner' }),
    app.user('agent', { name: 'Oscar Owner' }),
    app.user('requester', { name: 'Rick Requester' }),
    app.user('agent', { name: 'Abe Agent' }),
    app.user('manager', { name: 'Max Manager' }),
  ]);
  const team = ok(await admin.post('/api/v1/teams', { name: 'Oscar’s desk', memberIds: [oscar.id] }), 'team');
  const securityTeam = ok(
    await admin.post('/api/v1/teams', { name: 'Security', security: true, memberIds: [oscar.id] }),
    'security team',
  );
  const ci = async (classKey: string, name: string) =>
    ok(await admin.post('/api/v1/cis', { classKey, name }), name).id!;
  const s: Seed = {
    app,
    admin,
    dir,
    olga,
    oscar,
    attackers: { requester, agent, manager },
    team: team.id!,
    securityTeam: securityTeam.id!,
    server: await ci('server', 'db-1'),
    service: await ci('service', 'Payroll'),
  };
  const families: Families = {
    ...(await tickets(s)),
    ...(await personal(s)),
    ...(await inventory(s)),
    ...(await changes(s)),
    ...(await administration(s)),
    ...(await knowledgeAndReviews(s)),
    ...(await backups(s)),
    ...(await compliance(s)),
  };
  return { attackers: s.attackers, families, close: () => rmSync(dir, { recursive: true, force: true }) };
}
