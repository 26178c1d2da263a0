/**
 * The audit export: for a framework and a period, a zip with the statement of applicability (CSV and PDF), each
 * control's evidence of the period (CSV and PDF, the collected results as the canonical JSON their hashes were
 * taken of, the uploaded files), and `manifest.json` listing every file with its SHA-256. `manifest.sig` is the
 * manifest's HMAC-SHA256 under a key derived from the master key, and the manifest's own SHA-256 is written into
 * the audit chain: `steward audit verify-export` checks both (export.verify.ts).
 */
import { createHash, createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ExportQuery } from '../../../contracts/index.js';
import { canonicalJson, record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { type PdfBlock, pdfDocument } from '../../platform/pdf.js';
import { can, type Actor } from '../../platform/permissions.js';
import { type ZipEntry, zipReadable } from '../backup/index.js';
import { csvRow } from '../../platform/csv.js';
import { userNames } from '../users/index.js';
import * as repo from './compliance.repository.js';
import * as evidenceRepo from './evidence.repository.js';
import type { ControlRow } from './compliance.repository.js';

/** The manifest's format name, checked by the verifier. */
export const MANIFEST_FORMAT = 'steward-compliance-export/1';

/** One file the manifest lists. */
export interface ManifestFile {
  name: string;
  size: number;
  sha256: string;
}

/** What the export's manifest says. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  framework: { key: string; name: string };
  period: { from: string; to: string };
  createdAt: string;
  createdBy: string;
  files: ManifestFile[];
}

const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The manifest's signature: HMAC-SHA256 of its bytes, hex. */
export const signManifest = (key: Buffer, manifest: Buffer) =>
  createHmac('sha256', key).update(manifest).digest('hex');

/** A control's folder in the archive: its identifier, with anything but letters, digits, dots and dashes as _. */
const folderOf = (c: ControlRow) => `controls/${c.ref.replace(/[^A-Za-z0-9.-]/g, '_')}`;

const applicability = (a: boolean | null) => (a === null ? 'undecided' : a ? 'applicable' : 'excluded');

type Evidence = Awaited<ReturnType<typeof evidenceRepo.evidenceOfPeriod>>[number];

function soa(
  framework: string,
  period: ExportQuery,
  controls: readonly ControlRow[],
  owners: Map<string, { name: string }>,
  evidence: readonly Evidence[],
) {
  const head = [
    'ref',
    'section',
    'title',
    'applicability',
    'justification',
    'owner',
    'review every (months)',
    'next review',
    'status',
    'evidence in period',
    'failed in period',
  ];
  const rows = controls.map((c) => {
    const mine = evidence.filter((e) => e.control_id === c.id);
    return [
      c.ref,
      c.section,
      c.title,
      applicability(c.applicable),
      c.justification,
      c.owner_id ? (owners.get(c.owner_id)?.name ?? 'a former user') : '',
      c.review_months,
      c.next_review,
      c.status,
      mine.length,
      mine.filter((e) => e.passed === false).length,
    ];
  });
  const csv = Buffer.from(csvRow(head) + rows.map((r) => csvRow(r)).join(''));
  const blocks: PdfBlock[] = [
    { text: `Statement of applicability: ${framework}`, style: 'title' },
    { text: `Period ${period.from} to ${period.to}`, style: 'small' },
  ];
  let section = '';
  for (const [i, c] of controls.entries()) {
    if (c.section !== section) blocks.push({ text: (section = c.section), style: 'heading' });
    const r = rows[i]!;
    blocks.push({ text: `${c.ref} ${c.title}: ${applicability(c.applicable)}`, style: 'subheading' });
    if (c.justification) blocks.push({ text: c.justification });
    blocks.push({
      text: `Owner: ${String(r[5]) || 'nobody'} · evidence: ${c.status} · ${r[9]} pieces in the period, ${r[10]} failed`,
      style: 'small',
    });
  }
  return {
    csv,
    pdf: pdfDocument(blocks, { title: `Statement of applicability: ${framework}`, footer: framework }),
  };
}

function evidenceFiles(c: ControlRow, evidence: readonly Evidence[], framework: string) {
  const head = ['at', 'kind', 'source', 'result', 'summary', 'sha256', 'by', 'file'];
  const line = (e: Evidence) => [
    e.at.toISOString(),
    e.kind,
    e.source,
    e.passed === null ? '' : e.passed ? 'passed' : 'failed',
    e.summary,
    e.sha256,
    e.by_label,
    e.file_name,
  ];
  const csv = Buffer.from(csvRow(head) + evidence.map((e) => csvRow(line(e))).join(''));
  const blocks: PdfBlock[] = [
    { text: `${c.ref} ${c.title}`, style: 'title' },
    { text: `${framework} · ${applicability(c.applicable)}`, style: 'small' },
  ];
  for (const e of evidence) {
    const verdict = e.passed === null ? `file ${e.file_name}` : e.passed ? 'passed' : 'FAILED';
    blocks.push({
      text: `${e.at.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${e.source ?? 'upload'} · ${verdict}`,
      style: 'subheading',
    });
    blocks.push({ text: e.summary });
    blocks.push({ text: `SHA-256 ${e.sha256} · by ${e.by_label}`, style: 'small' });
  }
  return { csv, pdf: pdfDocument(blocks, { title: `${c.ref} ${c.title}`, footer: framework }) };
}

/**
 * Builds the audit export of a framework for a period (both dates included, UTC) and records it, with the
 * manifest's SHA-256, in the audit chain. Managers only. Answers the archive as a stream and its file name.
 */
export async function auditExport(
  ctx: Ctx,
  actor: Actor,
  key: Buffer,
  frameworkId: string,
  period: ExportQuery,
): Promise<{ stream: Readable; fileName: string; manifestSha256: string }> {
  can(actor, 'compliance:admin');
  const [f] = await repo.frameworks(ctx.db, frameworkId);
  if (!f) throw NotFound('framework');
  const controls = await repo.controlsOf(ctx.db, frameworkId);
  const end = new Date(Date.parse(`${period.to}T00:00:00Z`) + 86_400_000).toISOString();
  const evidence = await evidenceRepo.evidenceOfPeriod(ctx.db, frameworkId, `${period.from}T00:00:00Z`, end);
  const owners = await userNames(
    ctx.db,
    controls.flatMap((c) => (c.owner_id ? [c.owner_id] : [])),
  );
  const made: { name: string; data: Buffer }[] = [];
  const s = soa(f.name, period, controls, owners, evidence);
  made.push(
    { name: 'statement-of-applicability.csv', data: s.csv },
    { name: 'statement-of-applicability.pdf', data: s.pdf },
  );
  const uploads: (ManifestFile & { id: string })[] = [];
  for (const c of controls) {
    const mine = evidence.filter((e) => e.control_id === c.id);
    if (mine.length === 0) continue;
    const dir = folderOf(c);
    const files = evidenceFiles(c, mine, f.name);
    made.push(
      { name: `${dir}/evidence.csv`, data: files.csv },
      { name: `${dir}/evidence.pdf`, data: files.pdf },
    );
    for (const e of mine) {
      if (e.kind === 'collected')
        made.push({ name: `${dir}/collected/${e.id}.json`, data: Buffer.from(canonicalJson(e.result)) });
      else
        uploads.push({
          id: e.id,
          name: `${dir}/files/${e.id}-${e.file_name}`,
          size: Number(e.size),
          sha256: e.sha256,
        });
    }
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    framework: { key: f.key, name: f.name },
    period: { from: period.from, to: period.to },
    createdAt: new Date().toISOString(),
    createdBy: actor.label,
    files: [
      ...made.map((m) => ({ name: m.name, size: m.data.length, sha256: sha256Of(m.data) })),
      ...uploads.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
    ],
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const manifestSha256 = sha256Of(manifestBytes);
  await ctx.tx((db) =>
    record(db, actor, 'compliance.exported', { type: 'compliance_framework', id: f.id }, null, {
      period,
      files: manifest.files.length,
      manifestSha256,
    }),
  );
  const mtime = new Date(manifest.createdAt);
  const entries: ZipEntry[] = [
    ...made.map((m) => ({ name: m.name, type: 'file' as const, mtime, data: () => [m.data] })),
    ...uploads.map((u) => ({
      name: u.name,
      type: 'file' as const,
      mtime,
      size: u.size,
      data: () => evidenceRepo.evidenceChunks(ctx.db, u.id),
    })),
    { name: 'manifest.json', type: 'file', mtime, data: () => [manifestBytes] },
    {
      name: 'manifest.sig',
      type: 'file',
      mtime,
      data: () => [Buffer.from(`${signManifest(key, manifestBytes)}\n`)],
    },
  ];
  return {
    stream: zipReadable(entries),
    fileName: `${f.key}-${period.from}-${period.to}.zip`,
    manifestSha256,
  };
}
