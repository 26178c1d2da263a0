/**
 * Discovery reports: a report becomes one computer (matched by system UUID, serial or MAC address, so never a
 * duplicate) and its software installations (added, retired when gone, brought back when reinstalled; one
 * entry in the computer's history per report lists them, see installations.ts) and its peripherals
 * (peripherals.ts), each change in the items' history. An identical report changes nothing.
 *
 * An agent reports only its own machine: its token is bound to the system UUID it enrolled with, and its first
 * report binds it to one computer, which must not belong to another active agent nor carry another system
 * UUID (a new agent naming another machine's serial or MAC is refused, 403, and the refusal audited). The
 * binding is decided under locks (the machine's identifiers, then the computer's row) and a unique index, so
 * of many agents claiming one machine at once one wins. What a report may add is bounded by the discovery
 * settings (new software per report; over it the report is refused whole, 413).
 */
import { createHash } from 'node:crypto';
import type { AgentReport, ReportOutcome } from '../../../contracts/index.js';
import { canonicalJson, record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { AppError, Unauthenticated } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { sha256 } from '../../platform/secrets.js';
import * as settings from '../settings/index.js';
import { ciView } from './cis.service.js';
import * as cis from './cmdb.repository.js';
import { forgetAgent } from './devices.js';
import * as repo from './discovery.repository.js';
import { SOFTWARE_CHANGED, type SoftwareChange } from './installations.js';
import { reconcilePeripherals, wantedPeripherals } from './peripherals.js';
import { reconcileSources, sourcesOf } from './sources.js';

/** Told after a report's transaction commits when the computer's source packages changed (exposure re-matches). */
export type SourcesChanged = (computerId: string) => Promise<void>;

const AGENT_TOKEN = /^stw_agent_[A-Za-z0-9_-]{43}$/;
const macOk = (m: string) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(m) && m !== '00:00:00:00:00:00';
const swKey = (name: string, version: string) => `${name.toLowerCase()}\0${version}`;

/**
 * Applies a report from the agent holding `token` (see the module comment); then, when the computer's source
 * packages changed, awaits `sourcesChanged` with it.
 */
export async function ingestReport(
  ctx: Ctx,
  token: string,
  report: AgentReport,
  sourcesChanged?: SourcesChanged,
): Promise<ReportOutcome> {
  if (!AGENT_TOKEN.test(token)) throw Unauthenticated('not an agent token');
  // The same software twice (several architectures of one package) is one installation.
  const software = [...new Map(report.software.map((s) => [swKey(s.name, s.version), s])).values()];
  const macs = [...new Set(report.network.map((n) => n.mac.toLowerCase()).filter(macOk))].sort();
  const hash = createHash('sha256')
    .update(canonicalJson({ ...report, software, network: report.network }))
    .digest('hex');
  let relinked: string | undefined;
  let changedSources: string | undefined;
  const outcome = await ctx.tx(async (db): Promise<ReportOutcome | AppError> => {
    const agent = await repo.agentByToken(db, sha256(token));
    if (!agent || agent.revoked_at) throw Unauthenticated('the agent token is unknown or revoked');
    if (agent.system_uuid.toLowerCase() !== report.system.uuid.toLowerCase()) {
      throw new AppError(
        403,
        'another_machine',
        'Forbidden',
        'this agent reports about its own machine only',
      );
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
    const existing = await computerOf(db, actor, agent, report, macs);
    if (existing instanceof AppError) return existing;
    const plan = planSoftware(existing ? await repo.installationsOf(db, existing.id) : [], software);
    await checkQuota(db, plan.add.length);
    const { id: ciId, created } = await upsertComputer(db, actor, existing, report, macs);
    const sw = await applySoftware(db, actor, ciId, plan);
    const peripherals = await reconcilePeripherals(db, actor, ciId, report.peripherals);
    if (await reconcileSources(db, ciId, sourcesOf(report))) changedSources = ciId;
    await repo.reported(db, agent.id, ciId, hash);
    if (agent.ci_id !== ciId) relinked = agent.id;
    return { ciId, unchanged: false, created, software: sw, peripherals };
  });
  if (relinked) forgetAgent(ctx, relinked);
  // A refusal is returned, not thrown, so that its audit entry commits.
  if (outcome instanceof AppError) throw outcome;
  if (changedSources && sourcesChanged) await sourcesChanged(changedSources);
  return outcome;
}

/**
 * The computer a report updates: the agent's own, else the one the report matches if the agent may have it,
 * else none (a new computer). A match that another active agent owns, or that has another system UUID, is
 * refused: the refusal (audited) is returned.
 */
async function computerOf(
  db: Db,
  actor: Actor,
  agent: repo.AgentRow,
  r: AgentReport,
  macs: string[],
): Promise<cis.CiRow | undefined | AppError> {
  const own = agent.ci_id ? await cis.findCi(db, agent.ci_id, true) : undefined;
  if (own) return own;
  const { uuid, serial } = r.system;
  await repo.lockIdentifiers(db, [
    `uuid:${uuid}`,
    ...(serial ? [`serial:${serial}`] : []),
    ...macs.map((m) => `mac:${m}`),
  ]);
  const match = await repo.matchComputer(db, { uuid, serial, macs });
  // Locked, then its owner read by a statement of its own: an agent that bound it meanwhile has committed.
  const found = match && (await cis.findCi(db, match.id, true));
  if (!match || !found) return undefined;
  const owner = await repo.ownerOf(db, match.id, agent.id);
  const otherUuid = !!match.systemUuid && match.systemUuid.toLowerCase() !== uuid.toLowerCase();
  if (!owner && !otherUuid) return found;
  const how = `same ${match.matchedBy}`;
  const detail = owner
    ? `the computer "${match.name}" (${how}) belongs to another agent ("${owner.hostname}"): an agent ` +
      'reports only its own machine. If this machine replaced it, an admin revokes that agent first.'
    : `the computer "${match.name}" (${how}) has another system UUID: it is another machine. If it is ` +
      'the same machine, an admin clears the item’s System UUID first.';
  await record(db, actor, 'agent.report_refused', { type: 'agent', id: agent.id }, null, {
    computer: match.name,
    computerId: match.id,
    matchedBy: match.matchedBy,
    reason: owner ? 'belongs to another agent' : 'another system UUID',
    hostname: r.hostname,
    systemUuid: uuid,
    serial,
  });
  return new AppError(403, 'another_machine', 'Forbidden', detail);
}

/** Refuses a report adding more new software than the discovery settings allow (413, nothing written). */
async function checkQuota(db: Db, added: number): Promise<void> {
  const { maxNewSoftwarePerReport: max } = await settings.discoveryLimitsOf(db);
  if (added <= max) return;
  throw new AppError(
    413,
    'report_quota',
    'Report over quota',
    `the report adds ${added} new software installations; at most ${max} are accepted per report ` +
      '(the discovery setting "new software per report", which an admin can raise). Nothing was recorded.',
  );
}

async function upsertComputer(
  db: Db,
  actor: Actor,
  existing: cis.CiRow | undefined,
  r: AgentReport,
  macs: string[],
): Promise<{ id: string; created: boolean }> {
  const fields = computerFields(existing, r, macs);
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

/** A computer's fields from a report, keeping what people entered that the report does not say. */
function computerFields(existing: cis.CiRow | undefined, r: AgentReport, macs: string[]): cis.CiFields {
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
  return {
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
}

type Installation = Awaited<ReturnType<typeof repo.installationsOf>>[number];

/** What a report changes in a computer's software: new installations, ones back, ones gone, ones kept. */
interface SoftwarePlan {
  add: AgentReport['software'];
  back: Installation[];
  gone: Installation[];
  kept: number;
}

function planSoftware(have: readonly Installation[], software: AgentReport['software']): SoftwarePlan {
  const byKey = new Map(have.map((h) => [swKey(h.product, h.version), h]));
  const wanted = new Set(software.map((s) => swKey(s.name, s.version)));
  const there = (h: Installation) => wanted.has(swKey(h.product, h.version));
  return {
    add: software.filter((s) => !byKey.has(swKey(s.name, s.version))),
    back: have.filter((h) => there(h) && h.status === 'retired'),
    gone: have.filter((h) => !there(h) && h.status !== 'retired'),
    kept: have.filter((h) => there(h) && h.status !== 'retired').length,
  };
}

async function applySoftware(
  db: Db,
  actor: Actor,
  computerId: string,
  { add, back, gone, kept }: SoftwarePlan,
): Promise<ReportOutcome['software']> {
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
  return { added: added.length + back.length, removed: gone.length, kept };
}
