/**
 * The backup watch: a device whose recovery point breaches its policy's target, or whose last runs all failed,
 * gets one incident about it (never two, however many evaluations race: the open alert is decided by a unique
 * index in the same transaction that opens the ticket), its owner and team are told, and the incident is
 * resolved with a comment saying why once the device is healthy again. Evaluated after each run report and
 * every minute by a job.
 */
import type { DeviceBackupStatus, Ticket } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { deviceContacts } from '../cmdb/index.js';
import { notify, type NotifyEvent } from '../notifications/index.js';
import { createTicketIn, resolveTicketIn } from '../tickets/index.js';
import * as rpoRepo from './rpo.repository.js';
import { fleetStatus } from './runs.service.js';

/** Who opens and resolves backup incidents: `backups` on ticket timelines and in the audit trail. */
const WATCH: Actor = { userId: null, role: 'admin', label: 'backups', via: 'system' };

/** Failed runs in a row that open an incident even within the RPO target. */
export const FAILURES_IN_A_ROW = 3;

type Reason = 'rpo_breached' | 'failing';

/** "26 hours", "45 minutes", "3 days": how people say an age. */
export function ageText(minutes: number): string {
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} hours`;
  return `${Math.floor(minutes / 1440)} days`;
}

/** "24 h", "30 min", "7 days": a target as policies are written. */
export function targetText(minutes: number): string {
  if (minutes >= 2880 && minutes % 1440 === 0) return `${minutes / 1440} days`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** What is wrong with a device's backups, or null. */
function problemOf(d: DeviceBackupStatus, failing: boolean): Reason | null {
  if (d.state === 'no_policy') return null;
  if (d.state === 'breached') return 'rpo_breached';
  return failing ? 'failing' : null;
}

/** Healthy again: a good run within the target (or no longer covered by any policy). */
function recovery(d: DeviceBackupStatus | undefined): string | null {
  if (!d) return null;
  if (d.state === 'no_policy') return `${d.name} is no longer covered by a backup policy.`;
  if (d.state !== 'ok' || d.lastRunStatus === 'failed' || d.atRiskMinutes === null) return null;
  return `Backups of ${d.name} are healthy again: the last good snapshot (${d.lastGoodAt}) is ${ageText(
    d.atRiskMinutes,
  )} old, within the target of ${targetText(d.rpoTargetMinutes ?? 0)}.`;
}

function titleOf(d: DeviceBackupStatus, reason: Reason): string {
  const title =
    reason === 'rpo_breached'
      ? `Backups of ${d.name} are ${ageText(d.atRiskMinutes ?? 0)} old (target ${targetText(d.rpoTargetMinutes ?? 0)})`
      : `Backups of ${d.name} failed ${FAILURES_IN_A_ROW} times in a row`;
  return title.slice(0, 200);
}

/** What went wrong, in a sentence for the notification. */
function whatOf(d: DeviceBackupStatus, reason: Reason, lastError: string | null): string {
  if (reason === 'rpo_breached') {
    const allows = `its policy ${d.policy ? `“${d.policy}” ` : ''}allows ${targetText(d.rpoTargetMinutes ?? 0)}`;
    return d.lastGoodAt && d.atRiskMinutes !== null
      ? `The last good backup of ${d.name} is ${ageText(d.atRiskMinutes)} old; ${allows}.`
      : `${d.name} has no good backup yet; ${allows} between backups.`;
  }
  const why = lastError ? ` The last error: ${lastError.slice(0, 300)}` : '';
  return `The last ${FAILURES_IN_A_ROW} backups of ${d.name} failed.${why}`;
}

function descriptionOf(d: DeviceBackupStatus, lastError: string | null): string {
  const lines = [
    `Steward opened this incident because the backups of **${d.name}** need attention.`,
    '',
    `- Policy: ${d.policy ?? 'none'} (recovery point target ${targetText(d.rpoTargetMinutes ?? 0)})`,
    `- Last good snapshot: ${d.lastGoodAt ?? 'never'}`,
    `- Last run: ${d.lastRunAt ?? 'never'} (${d.lastRunStatus ?? 'none'})`,
  ];
  if (d.changedFiles !== null) lines.push(`- Files changed since the last good snapshot: ${d.changedFiles}`);
  if (lastError) lines.push('', `Last error: ${lastError.slice(0, 2000)}`);
  lines.push('', 'It is resolved by itself when a backup succeeds within the target again.');
  return lines.join('\n');
}

async function openIncident(ctx: Ctx, d: DeviceBackupStatus, reason: Reason, lastError: string | null) {
  return ctx.tx(async (db) => {
    const alertId = await rpoRepo.openAlert(db, d.ciId, reason);
    if (!alertId) return 0;
    const who = await deviceContacts(db, d.ciId);
    const requesterId = who?.ownerId ?? who?.adminId;
    let ticket: Ticket | undefined;
    if (who && requesterId) {
      ticket = await createTicketIn(db, WATCH, {
        type: 'incident',
        title: titleOf(d, reason),
        description: descriptionOf(d, lastError),
        requesterId,
        ...(who.teamId ? { teamId: who.teamId } : {}),
        // One server down affects more people than one laptop; a breach is more urgent than failures within it.
        impact: who.classKey === 'server' ? 4 : 3,
        urgency: reason === 'rpo_breached' ? 4 : 3,
        ciIds: [d.ciId],
      });
      await rpoRepo.setAlertTicket(db, alertId, ticket);
      await tell(db, ticket, who.ownerId, {
        event: reason === 'rpo_breached' ? 'backup_overdue' : 'backup_failing',
        item: { name: d.name },
        what: whatOf(d, reason, lastError),
      });
    }
    await record(db, WATCH, 'backup.alert_opened', { type: 'ci', id: d.ciId }, null, {
      device: d.name,
      reason,
      incident: ticket?.key ?? null,
    });
    return 1;
  });
}

/**
 * Tells the device's owner and its team (the incident's team), and the requester, of the new incident: "backups
 * overdue" or "backups failing", naming the device and what is wrong.
 */
async function tell(
  db: Db,
  t: Ticket,
  ownerId: string | null,
  about: Pick<NotifyEvent, 'event' | 'item' | 'what'>,
): Promise<void> {
  await notify(db, {
    ...about,
    ticket: {
      id: t.id,
      key: t.key,
      title: t.title,
      status: t.status,
      priority: t.priority,
      requesterId: t.requesterId,
      assigneeId: t.assigneeId,
      teamId: t.teamId,
    },
    actor: WATCH,
    to: ['requester', 'team', ...(ownerId ? [{ userId: ownerId }] : [])],
  });
}

async function resolveIncident(ctx: Ctx, d: DeviceBackupStatus, why: string) {
  return ctx.tx(async (db) => {
    const alert = await rpoRepo.closeAlert(db, d.ciId, why);
    if (!alert) return 0;
    const ticket = alert.ticket_id ? await resolveTicketIn(db, WATCH, alert.ticket_id, why) : undefined;
    await record(db, WATCH, 'backup.alert_resolved', { type: 'ci', id: d.ciId }, null, {
      device: d.name,
      reason: alert.reason,
      incident: ticket?.key ?? null,
      why,
    });
    return 1;
  });
}

/**
 * Opens and resolves backup incidents for every computer in use (or just `only`); returns how many it
 * opened and resolved. Safe to run any number of times at once.
 */
export async function evaluate(ctx: Ctx, only?: string): Promise<{ opened: number; resolved: number }> {
  const ids = only ? [only] : undefined;
  const [fleet, failing, open] = await Promise.all([
    fleetStatus(ctx, WATCH, only),
    rpoRepo.failingStreaks(ctx.db, FAILURES_IN_A_ROW, ids),
    rpoRepo.openAlerts(ctx.db, ids),
  ]);
  let opened = 0;
  let resolved = 0;
  for (const d of fleet) {
    const reason = problemOf(d, failing.has(d.ciId));
    if (reason && !open.has(d.ciId)) {
      const lastError = reason === 'failing' ? await rpoRepo.lastError(ctx.db, d.ciId) : null;
      opened += await openIncident(ctx, d, reason, lastError);
    } else if (!reason && open.has(d.ciId)) {
      const why = recovery(d);
      if (why) resolved += await resolveIncident(ctx, d, why);
    }
  }
  return { opened, resolved };
}
