/**
 * Remediation: one ticket per advisory and business service while any computer the service depends on (through
 * the CMDB's service dependencies) is exposed to it, naming the computers, installed and fixed versions and the
 * SLA due date; resolved with a comment once none is. Each pair is decided under a transaction-scoped lock, so
 * concurrent matches open one ticket, never two.
 */
import type { Ctx } from '../../platform/context.js';
import { deviceContacts, itemNames, serviceDependencies } from '../cmdb/index.js';
import { createTicketIn, resolveTicketIn } from '../tickets/index.js';
import type { Severity } from './cvss.js';
import * as repo from './exposure.repository.js';
import { EXPOSURE } from './match.service.js';

const URGENCY: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, unknown: 3 };

type Open = Awaited<ReturnType<typeof repo.openOn>>[number];

function description(advisory: string, service: string, rows: readonly Open[], names: Map<string, string>) {
  const due = rows.reduce((d, r) => (r.due_at < d ? r.due_at : d), rows[0]!.due_at);
  return [
    `Steward opened this ticket because computers that **${service}** depends on run packages affected by ` +
      `**${advisory}** (severity ${rows[0]!.severity}). Fix by ${due.toISOString().slice(0, 10)}.`,
    '',
    ...rows.map(
      (r) =>
        `- ${names.get(r.computer_id) ?? 'a computer'}: ${r.package} ${r.installed_version}` +
        (r.fixed_version ? ` (fixed in ${r.fixed_version})` : ' (no fixed version yet)'),
    ),
    '',
    'It is resolved by itself once the agents report fixed versions.',
  ]
    .join('\n')
    .slice(0, 20_000);
}

/**
 * Opens tickets for exposed (advisory, service) pairs without an open one, and resolves those whose service is
 * no longer exposed. `onlyComputer` limits the work to the services depending on that computer.
 */
export async function remediate(
  ctx: Ctx,
  onlyComputer?: string,
): Promise<{ opened: number; resolved: number }> {
  const deps = (await serviceDependencies(ctx)).filter((d) => d.deviceId);
  const services = new Map<string, { name: string; computers: Set<string> }>();
  for (const d of deps) {
    const s = services.get(d.serviceId) ?? { name: d.serviceName, computers: new Set<string>() };
    s.computers.add(d.deviceId!);
    services.set(d.serviceId, s);
  }
  if (onlyComputer) {
    for (const [id, s] of services) if (!s.computers.has(onlyComputer)) services.delete(id);
  }
  if (services.size === 0) return { opened: 0, resolved: 0 };
  const computers = [...new Set([...services.values()].flatMap((s) => [...s.computers]))];
  const open = await repo.openOn(ctx.db, computers);
  const names = await itemNames(ctx, computers);
  const want = new Map<string, Open[]>();
  for (const [serviceId, s] of services) {
    for (const e of open) {
      if (!s.computers.has(e.computer_id)) continue;
      const key = `${e.advisory_id}\0${serviceId}`;
      want.set(key, [...(want.get(key) ?? []), e]);
    }
  }
  let opened = 0;
  let resolved = 0;
  for (const [key, rows] of want) {
    const [advisoryId, serviceId] = key.split('\0') as [string, string];
    const service = services.get(serviceId)!;
    opened += await ctx.tx(async (db) => {
      await repo.lockPair(db, advisoryId, serviceId);
      const have = await repo.ticketOf(db, advisoryId, serviceId);
      if (have && !have.resolved_at) return 0;
      const who = await deviceContacts(db, serviceId);
      const requesterId = who?.ownerId ?? who?.adminId;
      if (!who || !requesterId) return 0;
      const pkgs = [...new Set(rows.map((r) => r.package))].join(', ');
      const n = new Set(rows.map((r) => r.computer_id)).size;
      const ticket = await createTicketIn(db, EXPOSURE, {
        type: 'request',
        title: `Fix ${advisoryId} (${pkgs}) for ${service.name}: ${n} computer${n === 1 ? '' : 's'}`.slice(
          0,
          200,
        ),
        description: description(advisoryId, service.name, rows, names),
        requesterId,
        ...(who.teamId ? { teamId: who.teamId } : {}),
        impact: Math.min(5, 2 + Math.ceil(Math.log10(n + 1))),
        urgency: URGENCY[rows[0]!.severity as Severity] ?? 3,
        ciIds: [serviceId, ...[...new Set(rows.map((r) => r.computer_id))].slice(0, 9)],
      });
      await repo.setTicket(db, advisoryId, serviceId, ticket.id);
      return 1;
    });
  }
  for (const t of await repo.remediationTickets(ctx.db)) {
    if (t.resolved_at || !services.has(t.service_id) || want.has(`${t.advisory_id}\0${t.service_id}`))
      continue;
    const service = services.get(t.service_id)!;
    resolved += await ctx.tx(async (db) => {
      await repo.lockPair(db, t.advisory_id, t.service_id);
      if (!(await repo.markResolved(db, t.advisory_id, t.service_id))) return 0;
      await resolveTicketIn(
        db,
        EXPOSURE,
        t.ticket_id,
        `No computer ${service.name} depends on is exposed to ${t.advisory_id} any more: the agents report fixed versions (or the packages are gone).`,
      );
      return 1;
    });
  }
  return { opened, resolved };
}
