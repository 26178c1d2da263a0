/**
 * Recovery point monitoring beyond one device: business services' worst recovery point over every computer
 * they depend on in the CMDB, and the agents' counts of files changed since their last good snapshot.
 */
import type {
  DeviceBackupStatus,
  ReportBackupChanges,
  ServiceBackupDetail,
  ServiceBackupStatus,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Invalid, NotFound, Unauthenticated } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { agentOfToken, serviceDependencies } from '../cmdb/index.js';
import * as rpoRepo from './rpo.repository.js';
import { byRisk, fleetStatus } from './runs.service.js';

/** Clocks of agents drift: a count may be dated at most this far in the future. */
const SKEW_MS = 5 * 60_000;

/** Records what the agent holding `token` counted as changed since its last good snapshot. */
export async function reportChanges(ctx: Ctx, token: string, c: ReportBackupChanges): Promise<void> {
  const agent = await agentOfToken(ctx, token);
  if (!agent) throw Unauthenticated('the agent token is unknown or revoked');
  const ciId = agent.ciId;
  if (!ciId) throw Conflict('report the machine first: this agent has no device yet', 'not_reported');
  const at = Date.parse(c.countedAt);
  if (at > Date.now() + SKEW_MS)
    throw Invalid('the count is dated in the future: check the device’s clock', [
      { path: 'countedAt', message: 'in the future' },
    ]);
  if (c.since && Date.parse(c.since) > at)
    throw Invalid('the count starts after it was made', [{ path: 'since', message: 'after countedAt' }]);
  const actor: Actor = { userId: null, role: 'agent', label: `agent:${agent.hostname}`, via: 'token' };
  await ctx.tx(async (db) => {
    const stored = await rpoRepo.putChanges(db, {
      ci_id: ciId,
      since: c.since ? new Date(c.since) : null,
      files: c.files,
      seen_at: new Date(at),
    });
    if (stored)
      await record(db, actor, 'backup.changes_counted', { type: 'ci', id: ciId }, null, {
        device: agent.hostname,
        files: c.files,
        since: c.since,
      });
  });
}

/** Devices that need attention: breached, never backed up, or with an open incident. */
const atRisk = (d: DeviceBackupStatus) =>
  d.state === 'breached' || d.state === 'never_backed_up' || d.incident !== null;

function rollUp(id: string, name: string, deps: DeviceBackupStatus[]): ServiceBackupStatus {
  const worst = deps[0];
  return {
    ciId: id,
    name,
    devices: deps.length,
    state: worst?.state ?? 'no_policy',
    worst: worst
      ? {
          ciId: worst.ciId,
          name: worst.name,
          atRiskMinutes: worst.atRiskMinutes,
          rpoTargetMinutes: worst.rpoTargetMinutes,
          risk: worst.risk,
        }
      : null,
    atRisk: deps.filter(atRisk).length,
  };
}

/** Each service with the statuses of its computers, riskiest first (one walk of the CMDB for all services). */
async function servicesWithDevices(ctx: Ctx, actor: Actor, only?: string) {
  can(actor, 'backup:admin');
  const [pairs, fleet] = await Promise.all([serviceDependencies(ctx, only), fleetStatus(ctx, actor)]);
  const byId = new Map(fleet.map((d) => [d.ciId, d]));
  const services = new Map<string, { name: string; deps: DeviceBackupStatus[] }>();
  for (const p of pairs) {
    let s = services.get(p.serviceId);
    if (!s) services.set(p.serviceId, (s = { name: p.serviceName, deps: [] }));
    const d = p.deviceId ? byId.get(p.deviceId) : undefined;
    if (d) s.deps.push(d);
  }
  return [...services].map(([id, s]) => {
    s.deps.sort(byRisk);
    return { ...rollUp(id, s.name, s.deps), dependencies: s.deps };
  });
}

const ORDER: Record<ServiceBackupStatus['state'], number> = {
  never_backed_up: 0,
  breached: 1,
  ok: 2,
  no_policy: 3,
};

/** Every business service's recovery point (its worst computer's), riskiest first. */
export async function servicesStatus(ctx: Ctx, actor: Actor): Promise<ServiceBackupStatus[]> {
  const all = await servicesWithDevices(ctx, actor);
  return all
    .map(({ dependencies: _, ...s }) => s)
    .sort(
      (a, b) =>
        ORDER[a.state] - ORDER[b.state] ||
        (b.worst?.risk ?? 0) - (a.worst?.risk ?? 0) ||
        b.atRisk - a.atRisk ||
        a.name.localeCompare(b.name),
    );
}

/** One business service with each computer it depends on, riskiest first; 404 when it is not a service. */
export async function serviceStatus(ctx: Ctx, actor: Actor, ciId: string): Promise<ServiceBackupDetail> {
  const [s] = await servicesWithDevices(ctx, actor, ciId);
  if (!s) throw NotFound('service');
  return s;
}
