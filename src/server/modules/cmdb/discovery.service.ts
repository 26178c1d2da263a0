/**
 * Discovery: enrolment of agents and reconciliation of their reports into the inventory. A report becomes one
 * computer (matched by system UUID, serial or MAC address, so never a duplicate) and its software
 * installations (added, retired when gone, brought back when reinstalled; one entry in the computer's history
 * per report lists them, see installations.ts) and its peripherals (peripherals.ts), each change in the items'
 * history.
 * An identical report changes nothing. Agent tokens are per device, stored as hashes, revocable, and bound to
 * the system UUID the device enrolled with: a report about another machine is refused.
 */
import { createHash } from 'node:crypto';
import type {
  AgentReport,
  CreateEnrolmentToken,
  EnrolAgent,
  ReportOutcome,
} from '../../../contracts/index.js';
import { canonicalJson, record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, Forbidden, NotFound, Unauthenticated } from '../../platform/errors.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import type { Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import { randomSecret, sha256 } from '../../platform/secrets.js';
import { ciView } from './cis.service.js';
import * as cis from './cmdb.repository.js';
import * as repo from './discovery.repository.js';
import { SOFTWARE_CHANGED, type SoftwareChange } from './installations.js';
import { reconcilePeripherals, wantedPeripherals } from './peripherals.js';

const AGENT_TOKEN = /^stw_agent_[A-Za-z0-9_-]{43}$/;

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

/** A device trades an enrolment token for its own agent token (401 for a bad, used-up or expired one). */
export async function enrolAgent(ctx: Ctx, input: EnrolAgent): Promise<{ agentId: string; token: string }> {
  const token = `stw_agent_${randomSecret(32)}`;
  return ctx.tx(async (db) => {
    if (!(await repo.spendEnrolmentToken(db, sha256(input.enrolmentToken)))) {
      throw Unauthenticated('the enrolment token is unknown, used up or expired');
    }
    const agentId = await repo.insertAgent(db, {
      hash: sha256(token),
      hostname: input.hostname,
      systemUuid: input.systemUuid,
    });
    const actor: Actor = { userId: null, role: 'agent', label: `agent:${input.hostname}`, via: 'token' };
    await record(db, actor, 'agent.enrolled', { type: 'agent', id: agentId }, null, {
      hostname: input.hostname,
      systemUuid: input.systemUuid,
    });
    return { agentId, token };
  });
}

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
}

const macOk = (m: string) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(m) && m !== '00:00:00:00:00:00';

/** Applies a report from the agent holding `token` (see the module comment). */
export async function ingestReport(ctx: Ctx, token: string, report: AgentReport): Promise<ReportOutcome> {
  if (!AGENT_TOKEN.test(token)) throw Unauthenticated('not an agent token');
  // The same software twice (several architectures of one package) is one installation.
  const software = [
    ...new Map(report.software.map((s) => [`${s.name.toLowerCase()}\0${s.version}`, s])).values(),
  ];
  const macs = [...new Set(report.network.map((n) => n.mac.toLowerCase()).filter(macOk))].sort();
  const hash = createHash('sha256')
    .update(canonicalJson({ ...report, software, network: report.network }))
    .digest('hex');
  return ctx.tx(async (db) => {
    const agent = await repo.agentByToken(db, sha256(token));
    if (!agent || agent.revoked_at) throw Unauthenticated('the agent token is unknown or revoked');
    if (agent.system_uuid.toLowerCase() !== report.system.uuid.toLowerCase()) {
      throw Forbidden('this agent reports about its own machine only');
    }
    const actor: Actor = { userId: null, role: 'agent', label: `agent:${agent.hostname}`, via: 'token' };
    if (agent.ci_id && agent.last_report_hash === hash) {
      await repo.seen(db, agent.id);
      return {
        ciId: agent.ci_id,
        unchanged: true,
        created: false,
        software: { added: 0, removed: 0, kept: software.length },
        peripherals: { added: 0, removed: 0, kept: wantedPeripherals(report.peripherals).length },
      };
    }
    const { id: ciId, created } = await upsertComputer(db, actor, agent, report, macs);
    const sw = await reconcileSoftware(db, actor, ciId, software);
    const peripherals = await reconcilePeripherals(db, actor, ciId, report.peripherals);
    await repo.reported(db, agent.id, ciId, hash);
    return { ciId, unchanged: false, created, software: sw, peripherals };
  });
}

async function upsertComputer(
  db: Db,
  actor: Actor,
  agent: repo.AgentRow,
  r: AgentReport,
  macs: string[],
): Promise<{ id: string; created: boolean }> {
  const existingId =
    (agent.ci_id && (await cis.findCi(db, agent.ci_id)) ? agent.ci_id : undefined) ??
    (await repo.matchComputer(db, { uuid: r.system.uuid, serial: r.system.serial, macs }));
  const existing = existingId ? await cis.findCi(db, existingId, true) : undefined;
  const custom = {
    ...(existing?.custom ?? {}),
    system_uuid: r.system.uuid,
    os: [r.os.distro, r.os.release, `(${r.os.platform} ${r.os.arch}, kernel ${r.os.kernel})`]
      .filter(Boolean)
      .join(' '),
    cpu: `${r.cpu.manufacturer} ${r.cpu.brand} (${r.cpu.cores} cores)`.trim(),
    memory_mb: Math.round(r.memoryBytes / 1_048_576),
    disks: r.disks
      .map((d) => `${d.name} ${d.type} ${Math.round(d.sizeBytes / 1e9)} GB`)
      .join('; ')
      .slice(0, 2000),
    macs: macs.join(','),
    ip_addresses: [...new Set(r.network.flatMap((n) => n.ipv4))].join(',').slice(0, 2000),
  };
  const fields: cis.CiFields = {
    asset_tag: existing?.asset_tag ?? null,
    name: r.hostname.slice(0, 200),
    serial: r.system.serial || existing?.serial || null,
    model: r.system.model || existing?.model || null,
    manufacturer: r.system.manufacturer || existing?.manufacturer || null,
    status:
      existing && existing.status !== 'ordered' && existing.status !== 'in_stock'
        ? existing.status
        : 'deployed',
    owner_id: existing?.owner_id ?? null,
    team_id: existing?.team_id ?? null,
    location_id: existing?.location_id ?? null,
    purchase_date: existing?.purchase_date ?? null,
    cost: existing?.cost ?? null,
    warranty_end: existing?.warranty_end ?? null,
    notes: existing?.notes ?? '',
    custom,
  };
  if (!existing) {
    const row = await cis.insertCi(db, r.system.kind, fields);
    await record(db, actor, 'ci.discovered', { type: 'ci', id: row.id }, null, { ...ciView(row) });
    return { id: row.id, created: true };
  }
  const row = await cis.updateCi(db, existing.id, existing.version, fields);
  if (!row) throw new AppError(409, 'conflict', 'Conflict', 'the computer changed meanwhile; report again');
  const [before, after] = [ciView(existing), ciView(row)];
  if (
    canonicalJson({ ...before, version: 0, updatedAt: '' }) !==
    canonicalJson({ ...after, version: 0, updatedAt: '' })
  ) {
    await record(db, actor, 'ci.updated', { type: 'ci', id: row.id }, { ...before }, { ...after });
  }
  return { id: row.id, created: false };
}

async function reconcileSoftware(
  db: Db,
  actor: Actor,
  computerId: string,
  software: readonly { name: string; version: string }[],
): Promise<ReportOutcome['software']> {
  const key = (name: string, version: string) => `${name.toLowerCase()}\0${version}`;
  const have = await repo.installationsOf(db, computerId);
  const byKey = new Map(have.map((h) => [key(h.product, h.version), h]));
  const wanted = new Set(software.map((s) => key(s.name, s.version)));
  const add = software.filter((s) => !byKey.has(key(s.name, s.version)));
  const back = have.filter((h) => wanted.has(key(h.product, h.version)) && h.status === 'retired');
  const gone = have.filter((h) => !wanted.has(key(h.product, h.version)) && h.status !== 'retired');
  const added = await repo.addInstallations(db, computerId, add);
  await repo.setStatuses(
    db,
    back.map((h) => h.id),
    'deployed',
  );
  await repo.setStatuses(
    db,
    gone.map((h) => h.id),
    'retired',
  );
  if (added.length + back.length + gone.length > 0) {
    const ref = (h: { id: string; product: string; version: string | null }) => ({
      id: h.id,
      product: h.product,
      version: h.version ?? '',
    });
    const change: SoftwareChange = {
      added: added.map(ref),
      reinstalled: back.map(ref),
      removed: gone.map(ref),
    };
    await record(db, actor, SOFTWARE_CHANGED, { type: 'ci', id: computerId }, null, { ...change });
  }
  const kept = have.filter((h) => wanted.has(key(h.product, h.version)) && h.status !== 'retired').length;
  return { added: added.length + back.length, removed: gone.length, kept };
}
