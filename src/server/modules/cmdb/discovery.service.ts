/**
 * Discovery agents: enrolment tokens, enrolment, the agents list and revocation (reports: report.service.ts).
 * Agent tokens are per device, stored as hashes, revocable, and bound to the system UUID the device enrolled
 * with. A system UUID has at most one active agent (compared case-insensitively, decided by a unique index):
 * enrolling a machine that already has one, or that is the computer of one, is refused (409, audited) until an
 * admin revokes the old agent.
 */
import type { CreateEnrolmentToken, EnrolAgent } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, Conflict, NotFound, Unauthenticated } from '../../platform/errors.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import type { Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import { forgetAgent } from './devices.js';
import { randomSecret, sha256 } from '../../platform/secrets.js';
import * as repo from './discovery.repository.js';

/** Makes an enrolment token (admins); the secret is shown this once. */
export async function createEnrolmentToken(ctx: Ctx, actor: Actor, input: CreateEnrolmentToken) {
  canCmdb(actor, 'ci:admin');
  const token = `stw_enrol_${randomSecret(32)}`;
  const expiresAt = new Date(Date.now() + input.expiresInHours * 3_600_000);
  return ctx.tx(async (db) => {
    const id = await repo.insertEnrolmentToken(db, {
      hash: sha256(token),
      note: input.note,
      uses: input.uses,
      expiresAt,
      createdBy: actor.userId,
    });
    await record(db, actor, 'agent.enrolment_token_created', { type: 'agent_enrolment_token', id }, null, {
      note: input.note,
      uses: input.uses,
      expiresAt: expiresAt.toISOString(),
    });
    return { id, token, usesLeft: input.uses, expiresAt: expiresAt.toISOString() };
  });
}

/**
 * A device trades an enrolment token for its own agent token (401 for a bad, used-up or expired one; 409 when
 * its system UUID has an active agent already: the token's use is spent and the refusal audited).
 */
export async function enrolAgent(ctx: Ctx, input: EnrolAgent): Promise<{ agentId: string; token: string }> {
  const token = `stw_agent_${randomSecret(32)}`;
  const actor: Actor = { userId: null, role: 'agent', label: `agent:${input.hostname}`, via: 'token' };
  const details = { hostname: input.hostname, systemUuid: input.systemUuid };
  const outcome = await ctx.tx(async (db) => {
    if (!(await repo.spendEnrolmentToken(db, sha256(input.enrolmentToken)))) {
      throw Unauthenticated('the enrolment token is unknown, used up or expired');
    }
    const holder = await repo.uuidHolder(db, input.systemUuid);
    const agentId = holder ? undefined : await repo.insertAgent(db, { hash: sha256(token), ...details });
    if (agentId) {
      await record(db, actor, 'agent.enrolled', { type: 'agent', id: agentId }, null, details);
      return { agentId, token };
    }
    // Refused; when another enrolment won the race, the unique index said so and its agent is committed now.
    const h = holder ?? (await repo.uuidHolder(db, input.systemUuid));
    await record(db, actor, 'agent.enrolment_refused', { type: 'agent', id: h?.agentId ?? null }, null, {
      ...details,
      heldBy: h?.hostname ?? null,
    });
    return alreadyEnrolled(h);
  });
  // A refusal is returned, not thrown, so that its audit entry and the spent use commit.
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}

const alreadyEnrolled = (h: repo.Holder | undefined) =>
  Conflict(
    (h?.computer
      ? `this machine is already enrolled: the computer "${h.computer}" reports through the agent of "${h.hostname}". `
      : `this machine is already enrolled, as "${h?.hostname ?? 'another agent'}" (not reported yet). `) +
      'If it was re-installed or replaced, an admin revokes that agent first (Inventory, Agents), then it enrols again.',
    'already_enrolled',
  );

/** A page of enrolled agents, newest enrolment first (agents and above). */
export async function listAgents(ctx: Ctx, actor: Actor, q: { cursor?: string | undefined; limit: number }) {
  canCmdb(actor, 'ci:read');
  const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
  return pageFrom(
    await repo.listAgents(ctx.db, after, q.limit + 1),
    q.limit,
    (a) => ({
      id: a.id,
      hostname: a.hostname,
      systemUuid: a.system_uuid,
      ciId: a.ci_id,
      lastReportAt: a.last_report_at?.toISOString() ?? null,
      revokedAt: a.revoked_at?.toISOString() ?? null,
      createdAt: a.created_at.toISOString(),
    }),
    (a) => [a.created_key, a.id],
  );
}

/** Revokes an agent's token (admins): its next report is refused. */
export async function revokeAgent(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  canCmdb(actor, 'ci:admin');
  await ctx.tx(async (db) => {
    if (!(await repo.revokeAgent(db, id))) throw NotFound('agent');
    await record(db, actor, 'agent.revoked', { type: 'agent', id }, null, { revoked: true });
  });
  forgetAgent(ctx, id);
}
