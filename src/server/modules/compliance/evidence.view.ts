/** Evidence as the API shows it, and a control's status from the latest evidence of its mappings in force. */
import type { ComplianceEvidence, EvidenceSource } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import * as repo from './compliance.repository.js';
import * as evidenceRepo from './evidence.repository.js';
import type { ControlRow } from './compliance.repository.js';
import type { EvidenceRow } from './evidence.repository.js';

/** One piece of evidence for the API. */
export function evidenceView(e: EvidenceRow): ComplianceEvidence {
  return {
    id: e.id,
    kind: e.kind,
    source: e.source as EvidenceSource | null,
    passed: e.passed,
    summary: e.summary,
    sha256: e.sha256,
    by: e.by_label,
    at: e.at.toISOString(),
    fileName: e.file_name,
    contentType: e.content_type,
    size: e.size === null ? null : Number(e.size),
    downloadUrl: `/api/v1/compliance/controls/${e.control_id}/evidence/${e.id}/content`,
  };
}

/**
 * Sets the control's status from the latest evidence of each mapping in force and effective on `today`: red
 * when one failed, green when at least one passed and none failed, none otherwise. The caller holds the
 * control's row lock, so two collections at once see one another's result. Returns the status before and after.
 */
export async function refreshStatus(
  db: Db,
  c: Pick<ControlRow, 'id' | 'status'>,
  today: string,
): Promise<{ before: ControlRow['status']; after: ControlRow['status'] }> {
  const mappings = await repo.mappingsToCollect(db, today, c.id);
  const latest = await evidenceRepo.latestOf(
    db,
    mappings.map((m) => m.id),
  );
  const after = latest.some((e) => e.passed === false)
    ? 'red'
    : latest.some((e) => e.passed === true)
      ? 'green'
      : 'none';
  if (after !== c.status) await repo.setStatus(db, c.id, after);
  return { before: c.status, after };
}
