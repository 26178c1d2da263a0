/**
 * Evidence: collected on a schedule (or on demand) from the evidence queries mapped to controls, and frozen —
 * the result is stored with the SHA-256 of its canonical JSON, and that hash is written into the audit chain in
 * the same transaction; the rows never change (a trigger refuses). Uploaded files sit beside it, stored in chunks
 * as ticket attachments are. A control whose evidence fails turns red and its owner is told, once per turn.
 */
import { createHash } from 'node:crypto';
import type { ComplianceControl, ComplianceEvidencePage } from '../../../contracts/index.js';
import { canonicalJson, type ChainKeys, record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { decodeCursor, pageFrom } from '../../platform/pagination.js';
import type { Actor } from '../../platform/permissions.js';
import { notifyAbout } from '../notifications/index.js';
import { safeFileName, servingOf, sniffContentType } from '../../platform/files/sniff.js';
import type { Upload } from '../../platform/files/spool.js';
import * as repo from './compliance.repository.js';
import * as evidenceRepo from './evidence.repository.js';
import type { ControlRow, MappingRow } from './compliance.repository.js';
import { controlViews, visibleControl } from './compliance.service.js';
import { evidenceView, refreshStatus } from './evidence.view.js';
import { runQuery } from './sources.js';

/** What collecting needs: the audit chain's keys (the logging evidence verifies it) and a clock. */
export interface EvidenceDeps {
  keys: ChainKeys;
  clock?: () => Date;
}

/** Who collects on the schedule. */
export const COLLECTOR: Actor = { userId: null, role: 'admin', label: 'system', via: 'system' };

const controlEntity = (id: string) => ({ type: 'compliance_control', id });
const sha256Of = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const controlName = (c: Pick<ControlRow, 'ref' | 'title'>) => `${c.ref} ${c.title}`;

/** Tells the owner that the control's evidence failed (in Steward and by e-mail, by their preferences). */
async function tellOwner(db: Db, c: ControlRow, summary: string, today: string): Promise<void> {
  if (!c.owner_id) return;
  await notifyAbout(db, 'evidence_failed', {
    to: [c.owner_id],
    item: { name: `control ${controlName(c)} (${c.framework_name})`, path: `/compliance/controls/${c.id}` },
    what: `${summary} (collected ${today})`,
  });
}

/**
 * Collects one mapping's evidence: the query runs first (reads only), then, holding the control's row lock,
 * the result is frozen, its hash audited, the status refreshed and the owner told if it turned red.
 */
async function collectMapping(ctx: Ctx, deps: EvidenceDeps, actor: Actor, m: MappingRow): Promise<boolean> {
  const now = deps.clock?.() ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const source = m.source;
  const params = m.params as Record<string, number>;
  const found = await runQuery(ctx.db, source, params, { keys: deps.keys, now });
  return ctx.tx(async (db) => {
    const c = await repo.findControl(db, m.control_id, true);
    if (!c) return false;
    const result = {
      framework: c.framework_name,
      control: c.ref,
      title: c.title,
      source,
      rule: params,
      effectiveFrom: m.effective_from,
      collectedAt: now.toISOString(),
      passed: found.passed,
      summary: found.summary,
      facts: found.facts,
    };
    const sha256 = sha256Of(canonicalJson(result));
    const e = await evidenceRepo.insertEvidence(db, {
      controlId: c.id,
      kind: 'collected',
      mappingId: m.id,
      source,
      passed: found.passed,
      summary: found.summary.slice(0, 2000),
      result,
      sha256,
      by: actor.label,
      at: now,
    });
    await record(db, actor, 'compliance.evidence_collected', controlEntity(c.id), null, {
      evidence: e.id,
      control: c.ref,
      source,
      passed: found.passed,
      sha256,
    });
    const s = await refreshStatus(db, c, today);
    if (s.after === 'red' && s.before !== 'red') await tellOwner(db, c, found.summary, today);
    return found.passed;
  });
}

/** Collects the evidence of every mapping in force and effective today (the scheduled job). */
export async function collectAll(
  ctx: Ctx,
  deps: EvidenceDeps,
): Promise<{ collected: number; failed: number }> {
  const today = (deps.clock?.() ?? new Date()).toISOString().slice(0, 10);
  let collected = 0;
  let failed = 0;
  for (const m of await repo.mappingsToCollect(ctx.db, today)) {
    collected++;
    if (!(await collectMapping(ctx, deps, COLLECTOR, m))) failed++;
  }
  return { collected, failed };
}

/** Collects one control's evidence now (its owner, or a manager). */
export async function collectControl(
  ctx: Ctx,
  deps: EvidenceDeps,
  actor: Actor,
  id: string,
): Promise<ComplianceControl> {
  await visibleControl(ctx.db, actor, id);
  const today = (deps.clock?.() ?? new Date()).toISOString().slice(0, 10);
  const mappings = await repo.mappingsToCollect(ctx.db, today, id);
  if (mappings.length === 0)
    throw Invalid('the control has no evidence query in effect today', [
      { path: 'params.id', message: 'map an evidence query to it first (or wait for its effective date)' },
    ]);
  for (const m of mappings) await collectMapping(ctx, deps, actor, m);
  return (await controlViews(ctx.db, actor, [(await repo.findControl(ctx.db, id))!]))[0]!;
}

/** Throws (404) unless the actor may add evidence to the control: checked before an upload is read. */
export async function mayUpload(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  await visibleControl(ctx.db, actor, id);
}

/** Stores uploaded evidence files beside the collected evidence, each hashed and audited. */
export async function uploadEvidence(
  ctx: Ctx,
  actor: Actor,
  id: string,
  uploads: readonly Upload[],
  note: string | undefined,
): Promise<ComplianceEvidencePage['items']> {
  if (uploads.length === 0)
    throw Invalid('send at least one file', [{ path: 'body.file', message: 'no file' }]);
  return ctx.tx(async (db) => {
    await visibleControl(db, actor, id, true);
    const out: ComplianceEvidencePage['items'] = [];
    for (const u of uploads) {
      const fileName = safeFileName(u.fileName);
      const e = await evidenceRepo.insertEvidence(db, {
        controlId: id,
        kind: 'upload',
        summary: note?.trim() || fileName,
        sha256: u.sha256,
        by: actor.label,
        fileName,
        contentType: sniffContentType(u.head, fileName),
        size: u.size,
      });
      await evidenceRepo.storeEvidenceBytes(db, e.id, u.chunks());
      await record(db, actor, 'compliance.evidence_uploaded', controlEntity(id), null, {
        evidence: e.id,
        fileName,
        size: u.size,
        sha256: u.sha256,
      });
      out.push(evidenceView(e));
    }
    return out;
  });
}

/** A page of a control's evidence, newest first. */
export async function evidencePage(
  ctx: Ctx,
  actor: Actor,
  id: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<ComplianceEvidencePage> {
  await visibleControl(ctx.db, actor, id);
  const after = decodeCursor(q.cursor, ['timestamp', 'uuid'] as const);
  const rows = await evidenceRepo.evidencePage(ctx.db, id, q.limit + 1, after);
  return pageFrom(rows, q.limit, evidenceView, (r) => [r.at_key, r.id]);
}

/**
 * A piece of evidence's content: an upload's bytes, or a collected result as the canonical JSON its SHA-256
 * was taken of (so anyone can check the hash).
 */
export async function evidenceContent(ctx: Ctx, actor: Actor, id: string, evidenceId: string) {
  await visibleControl(ctx.db, actor, id);
  const e = await evidenceRepo.findEvidence(ctx.db, id, evidenceId);
  if (!e) throw NotFound('evidence');
  if (e.kind === 'collected') {
    const text = Buffer.from(canonicalJson(e.result));
    return {
      data: [text] as Iterable<Buffer> | AsyncIterable<Buffer>,
      size: text.length,
      sha256: e.sha256,
      type: 'application/json',
      disposition: `attachment; filename="evidence-${e.id}.json"`,
    };
  }
  return {
    data: evidenceRepo.evidenceChunks(ctx.db, e.id),
    size: Number(e.size),
    sha256: e.sha256,
    ...servingOf(e.content_type ?? 'application/octet-stream', e.file_name ?? 'evidence'),
  };
}
