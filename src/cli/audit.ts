import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AuditVerification } from '../contracts/index.js';
import { checkpointAudit, verifyAudit, verifyExport } from '../server/admin.js';
import { loadConfig } from '../server/config.js';
import { CliError, out, outJson } from './io.js';

/** The one-line verdict: intact, tampered at entry N, or truncated. */
function verdict(r: AuditVerification): string {
  if (r.ok) return 'the chain is intact';
  if (r.status === 'truncated') return 'the chain was TRUNCATED: its newest entries were deleted';
  const seqs = r.problems.flatMap((p) => (p.seq && p.kind !== 'checkpoint' ? [BigInt(p.seq)] : []));
  const first = seqs.reduce<bigint | null>((m, s) => (m === null || s < m ? s : m), null);
  return `the chain was TAMPERED with${first !== null ? ` at entry ${first}` : ''}`;
}

/** `steward audit verify`: checks the audit hash chain for edits and deletions made behind Steward's back. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description(
      'verify the audit hash chain with the master key, and against signed checkpoints kept outside the ' +
        'database (exit 1 when any entry was edited, deleted, backdated or the chain truncated)',
    )
    .option(
      '--checkpoints <file>',
      "checkpoint file to compare with (default: the server's STEWARD_AUDIT_CHECKPOINT_FILE, if it exists)",
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean; checkpoints?: string }) => {
      const r = await verifyAudit(loadConfig(), opts.checkpoints && resolve(opts.checkpoints));
      if (opts.json) outJson(r);
      else {
        for (const p of r.problems) out(`entry ${p.seq ?? '?'}${p.id ? ` (id ${p.id})` : ''}: ${p.problem}`);
        if (r.legacy > 0)
          out(
            `${r.legacy} entries were sealed before the chain was keyed: anyone with database access could rewrite them`,
          );
        out(
          r.checkpoints
            ? `${r.checkpoints.valid} checkpoints read from ${r.checkpoints.file} (latest: entry ${r.checkpoints.latestSeq ?? '-'})`
            : 'no checkpoint file: truncation of the newest entries cannot be detected',
        );
        out(`${r.checked} entries checked, ${r.unsealed} not yet sealed: ${verdict(r)}`);
      }
      if (!r.ok) throw new CliError('the audit trail was tampered with', 1);
    });
  audit
    .command('verify-export')
    .description(
      'verify a compliance audit export (zip): the manifest signed with the master key, and every file against ' +
        'its SHA-256 in the manifest (exit 1 when anything was altered, added or removed)',
    )
    .argument('<zip>', 'the export file')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const r = await verifyExport(loadConfig(), resolve(file));
      if (opts.json) outJson(r);
      else {
        if (r.framework) out(`${r.framework}, ${r.period}`);
        for (const p of r.problems) out(p);
        out(
          r.ok
            ? `${r.checked} files checked against the signed manifest: the export is intact`
            : `${r.checked} files checked: the export was TAMPERED with`,
        );
      }
      if (!r.ok) throw new CliError('the audit export does not verify', 1);
    });
  audit
    .command('checkpoint')
    .description(
      'append a signed checkpoint of the chain (entry, hash, time) to a file kept outside the database, as the ' +
        'server does every 5 minutes',
    )
    .option('--file <file>', "checkpoint file (default: the server's STEWARD_AUDIT_CHECKPOINT_FILE)")
    .action(async (opts: { file?: string }) => {
      const config = loadConfig();
      const file = opts.file ? resolve(opts.file) : config.auditCheckpointFile;
      const c = await checkpointAudit(config, file);
      out(
        c ? `checkpoint at entry ${c.seq} appended to ${file}` : 'nothing sealed yet: no checkpoint written',
      );
    });
}
