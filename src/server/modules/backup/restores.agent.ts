/**
 * The agent's side of restores: it claims the oldest queued restore onto its device (one agent per request,
 * decided by the database), reads the source device's repository through the endpoint (read-only while the
 * claim runs, when it is another device's), reports progress every few seconds and then the outcome, which
 * goes on the request's ticket: a comment with the result, and resolved when it succeeded.
 */
import type {
  RestoreClaim,
  RestoreOutcome,
  RestoreProgress,
  RestoreProgressAnswer,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, Conflict, NotFound, Unauthenticated } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { type AgentIdentity, agentOfToken, computerName } from '../cmdb/index.js';
import { addCommentIn, moveTicketIn } from '../tickets/index.js';
import * as repo from './backup.repository.js';
import { repositoryPassword } from './repositories.service.js';
import * as restores from './restores.repository.js';
import { viewOf } from './restores.service.js';
import type { TargetDeps } from './targets.service.js';

const agentActor = (a: AgentIdentity): Actor => ({
  userId: null,
  role: 'agent',
  label: `agent:${a.hostname}`,
  via: 'token',
});

/** Steward working a restore's ticket: it sees every ticket, and writes as the device's backup agent. */
const ticketActor = (device: string): Actor => ({
  userId: null,
  role: 'manager',
  label: `Backup agent on ${device}`,
  via: 'system',
});

async function agentOf(ctx: Ctx, token: string): Promise<AgentIdentity & { ciId: string }> {
  const agent = await agentOfToken(ctx, token);
  if (!agent) throw Unauthenticated('the agent token is unknown or revoked');
  if (!agent.ciId) throw Conflict('report the machine first: this agent has no device yet', 'not_reported');
  return agent as AgentIdentity & { ciId: string };
}

/**
 * Claims the next restore onto the agent's device, or null when there is none. The claim carries the source
 * repository's path on the endpoint and its password; the ticket, if any, moves to in progress.
 */
export async function claimRestore(deps: TargetDeps, token: string): Promise<RestoreClaim | null> {
  const agent = await agentOf(deps.ctx, token);
  const device = (await computerName(deps.ctx, agent.ciId)) ?? agent.hostname;
  const row = await deps.ctx.tx(async (db) => {
    const r = await restores.claimNext(db, agent.ciId, agent.agentId);
    if (!r) return undefined;
    await record(
      db,
      agentActor(agent),
      'backup.restore_started',
      { type: 'backup_restore', id: r.id },
      null,
      {
        onto: device,
        folder: r.dest_folder,
      },
    );
    if (r.ticket_id) await moveTicketIn(db, ticketActor(device), r.ticket_id, 'in_progress');
    return r;
  });
  if (!row) return null;
  const source = await repo.repositoryOf(deps.ctx.db, row.source_ci_id);
  if (!source) {
    await finishIn(deps.ctx, agent, row.id, failure('the source device’s backup repository is gone'));
    return null;
  }
  return {
    restore: await viewOf(deps.ctx, ticketActor(device), row),
    repositoryPath: `/api/v1/backup/devices/${row.source_ci_id}/`,
    username: agent.agentId,
    repositoryPassword: repositoryPassword(deps, source),
    readOnly: row.source_ci_id !== agent.ciId,
  };
}

const failure = (error: string): RestoreOutcome => ({
  state: 'failed',
  filesDone: 0,
  filesTotal: 0,
  bytesDone: 0,
  bytesTotal: 0,
  skipped: [],
  verified: false,
  problems: [],
  error,
});

/** Records progress of a restore the agent holds; answers its state (cancelled: stop). 404 if not its own. */
export async function reportProgress(
  ctx: Ctx,
  token: string,
  id: string,
  p: RestoreProgress,
): Promise<RestoreProgressAnswer> {
  const agent = await agentOf(ctx, token);
  const row = await restores.updateProgress(ctx.db, id, agent.agentId, {
    files_done: p.filesDone,
    files_total: p.filesTotal,
    bytes_done: p.bytesDone,
    bytes_total: p.bytesTotal,
  });
  if (row) return { state: row.state };
  const current = await restores.findRestore(ctx.db, id);
  if (!current || current.claimed_by !== agent.agentId) throw NotFound('restore');
  return { state: current.state };
}

/** Records the outcome of a restore the agent holds and tells its ticket. */
export async function finishRestore(ctx: Ctx, token: string, id: string, o: RestoreOutcome) {
  const agent = await agentOf(ctx, token);
  const row = await finishIn(ctx, agent, id, o);
  return viewOf(ctx, ticketActor(agent.hostname), row);
}

async function finishIn(ctx: Ctx, agent: AgentIdentity, id: string, o: RestoreOutcome) {
  const device = (agent.ciId && (await computerName(ctx, agent.ciId))) ?? agent.hostname;
  return ctx.tx(async (db) => {
    const r = await restores.findRestore(db, id, true);
    if (!r || r.claimed_by !== agent.agentId) throw NotFound('restore');
    if (r.state === 'cancelled') return stopped(db, agent, device, r, o);
    if (r.state !== 'running') throw Conflict(`the restore has ${r.state} already`, 'restore_finished');
    const row = await restores.finish(db, id, {
      state: o.state,
      files_done: o.filesDone,
      files_total: o.filesTotal,
      bytes_done: o.bytesDone,
      bytes_total: o.bytesTotal,
      skipped: JSON.stringify(o.skipped),
      verified: o.verified,
      problems: JSON.stringify(o.problems),
      error: o.error,
      finished_at: new Date(),
    });
    await record(db, agentActor(agent), 'backup.restore_finished', { type: 'backup_restore', id }, null, {
      onto: device,
      state: o.state,
      files: o.filesDone,
      skipped: o.skipped.length,
      verified: o.verified,
      error: o.error,
    });
    if (r.ticket_id) await tellTicket(db, device, row);
    return row;
  });
}

/**
 * The agent's word that it stopped a restore cancelled while it ran: the request stays cancelled, keeps why it
 * stopped (what the agent says it left behind) and the end is audited, once however often the agent repeats it.
 */
async function stopped(
  db: Db,
  agent: AgentIdentity,
  device: string,
  r: restores.RestoreRow,
  o: RestoreOutcome,
) {
  if (r.error !== null) return r;
  const row = await restores.finish(db, r.id, { error: o.error ?? 'stopped' });
  await record(db, agentActor(agent), 'backup.restore_stopped', { type: 'backup_restore', id: r.id }, null, {
    onto: device,
    files: o.filesDone,
    error: row.error,
  });
  return row;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const size = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} bytes`;

/** The result in words, for the requester. */
export function resultText(device: string, r: restores.RestoreRow): string {
  const lines: string[] = [];
  if (r.state === 'succeeded') {
    lines.push(
      `Your files are back: ${plural(r.files_done, 'file')} (${size(Number(r.bytes_done))}) restored on ${device} into “${r.dest_folder}”.`,
    );
    lines.push(
      r.verified
        ? 'Every restored file was read back and matches the backup.'
        : 'Some files did not match the backup when read back: IT will look at them.',
    );
  } else {
    lines.push(`The restore onto ${device} into “${r.dest_folder}” failed: ${r.error ?? 'unknown error'}.`);
    lines.push('The ticket stays open for IT.');
  }
  if (r.skipped.length > 0)
    lines.push(
      `${plural(r.skipped.length, 'file')} already there ${r.skipped.length === 1 ? 'was' : 'were'} left as ${r.skipped.length === 1 ? 'it was' : 'they were'}: ${r.skipped.slice(0, 20).join(', ')}${r.skipped.length > 20 ? ', …' : ''}.`,
    );
  if (r.problems.length > 0) lines.push(`Problems: ${r.problems.slice(0, 20).join('; ')}`);
  return lines.join('\n\n');
}

/** A comment with the result on the ticket; resolved when the restore succeeded and verified. */
async function tellTicket(db: Db, device: string, r: restores.RestoreRow): Promise<void> {
  const actor = ticketActor(device);
  const ticketId = r.ticket_id!;
  await moveTicketIn(db, actor, ticketId, 'in_progress');
  const t = await addCommentIn(db, actor, ticketId, { body: resultText(device, r), internal: false }).catch(
    (e: unknown) => {
      if (e instanceof AppError && e.status === 409) return undefined; // the ticket is closed or cancelled
      throw e;
    },
  );
  if (t && r.state === 'succeeded' && r.verified) await moveTicketIn(db, actor, ticketId, 'resolved');
}
