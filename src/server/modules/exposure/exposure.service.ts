/** What people read: exposures by severity, per item and per business service, and the remediation SLA. */
import type { Exposure, ExposureQuery, ExposureSeverity, ExposureSla } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import { can, type Actor } from '../../platform/permissions.js';
import { itemNames, serviceDependencies } from '../cmdb/index.js';
import { ticketKeys, visibleTicketIds } from '../tickets/index.js';
import { EXPOSURE_SEVERITIES } from '../../../contracts/index.js';
import * as repo from './exposure.repository.js';
import { listExposures, openCounts, type ExposureRow } from './list.repository.js';

/** A page of exposures (agents and above: CMDB readers). */
export async function listExposuresFor(ctx: Ctx, actor: Actor, q: ExposureQuery) {
  can(actor, 'ci:read');
  const after = decodeCursor(q.cursor, ['smallint', 'timestamp', 'uuid']);
  const rows = await listExposures(
    ctx.db,
    { open: q.status === 'open', severity: q.severity, computerId: q.computerId },
    after,
    q.limit + 1,
  );
  const [names, tickets] = await Promise.all([
    itemNames(ctx, [...new Set(rows.map((r) => r.computer_id))]),
    remediationTicketsOf(ctx, actor, rows),
  ]);
  const now = Date.now();
  return pageFrom(
    rows,
    q.limit,
    (r: ExposureRow): Exposure => ({
      id: r.id,
      advisory: {
        id: r.advisory_id,
        summary: r.summary,
        aliases: r.aliases,
        cvssScore: r.cvss_score === null ? null : Number(r.cvss_score),
      },
      severity: r.severity as ExposureSeverity,
      computer: { id: r.computer_id, name: names.get(r.computer_id) ?? '' },
      ecosystem: r.ecosystem,
      package: r.package,
      installedVersion: r.installed_version,
      fixedVersion: r.fixed_version,
      openedAt: r.opened_at.toISOString(),
      dueAt: r.due_at.toISOString(),
      overdue: !r.closed_at && r.due_at.getTime() < now,
      closedAt: r.closed_at?.toISOString() ?? null,
      closedVersion: r.closed_version,
      tickets: tickets(r),
    }),
    (r) => [r.rank, r.due_key, r.id],
  );
}

/**
 * The remediation tickets of each row's advisory for the services that depend on the row's computer (remediation
 * opens one per advisory and service), as far as the actor may see them.
 */
async function remediationTicketsOf(ctx: Ctx, actor: Actor, rows: readonly ExposureRow[]) {
  const pairs = await repo.ticketsOfAdvisories(ctx.db, [...new Set(rows.map((r) => r.advisory_id))]);
  if (pairs.length === 0) return () => [];
  const computers = new Set(rows.map((r) => r.computer_id));
  const servicesOf = new Map<string, Set<string>>();
  const serviceNames = new Map<string, string>();
  for (const d of await serviceDependencies(ctx)) {
    if (!d.deviceId || !computers.has(d.deviceId)) continue;
    servicesOf.set(d.deviceId, (servicesOf.get(d.deviceId) ?? new Set()).add(d.serviceId));
    serviceNames.set(d.serviceId, d.serviceName);
  }
  const visible = new Set(
    await visibleTicketIds(
      ctx.db,
      actor,
      pairs.map((p) => p.ticket_id),
    ),
  );
  const keys = await ticketKeys(ctx.db, [...visible]);
  return (r: ExposureRow) =>
    pairs
      .filter((p) => p.advisory_id === r.advisory_id && visible.has(p.ticket_id))
      .filter((p) => servicesOf.get(r.computer_id)?.has(p.service_id))
      .map((p) => ({
        id: p.ticket_id,
        key: keys.get(p.ticket_id) ?? '',
        service: serviceNames.get(p.service_id) ?? '',
        resolved: p.resolved_at !== null,
      }));
}

/** Each business service's open exposures by severity, through the computers it depends on. */
export async function serviceExposure(ctx: Ctx, actor: Actor) {
  can(actor, 'ci:read');
  const [deps, counts] = await Promise.all([serviceDependencies(ctx), openCounts(ctx.db)]);
  const byComputer = new Map<string, typeof counts>();
  for (const c of counts) byComputer.set(c.computer_id, [...(byComputer.get(c.computer_id) ?? []), c]);
  const services = new Map<string, { name: string; computers: Set<string> }>();
  for (const d of deps) {
    const s = services.get(d.serviceId) ?? { name: d.serviceName, computers: new Set<string>() };
    if (d.deviceId) s.computers.add(d.deviceId);
    services.set(d.serviceId, s);
  }
  return {
    items: [...services].map(([id, s]) => {
      const open = Object.fromEntries(EXPOSURE_SEVERITIES.map((k) => [k, 0])) as Record<
        ExposureSeverity,
        number
      >;
      let overdue = 0;
      for (const c of s.computers) {
        for (const n of byComputer.get(c) ?? []) {
          open[n.severity as ExposureSeverity] += n.n;
          overdue += n.overdue;
        }
      }
      return { service: { id, name: s.name }, computers: s.computers.size, open, overdue };
    }),
  };
}

/** The remediation SLA (days per severity). */
export async function getSla(ctx: Ctx, actor: Actor): Promise<ExposureSla> {
  can(actor, 'ci:read');
  return repo.slaDays(ctx.db);
}

/** Changes the remediation SLA (admins); applies to exposures opened from now on. */
export async function setSla(ctx: Ctx, actor: Actor, days: ExposureSla): Promise<ExposureSla> {
  can(actor, 'ci:admin');
  return ctx.tx(async (db) => {
    const before = await repo.slaDays(db);
    await repo.setSlaDays(db, days);
    await record(
      db,
      actor,
      'exposure.sla_changed',
      { type: 'exposure', id: null },
      { ...before },
      { ...days },
    );
    return repo.slaDays(db);
  });
}
