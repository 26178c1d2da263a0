import type { Command } from 'commander';
import { verifyAudit } from '../server/admin.js';
import { loadConfig } from '../server/config.js';
import { CliError, out, outJson } from './io.js';

/** `steward audit verify`: checks the audit hash chain for edits and deletions made behind Steward's back. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description('verify the audit hash chain (exit 1 when any entry was edited or deleted)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await verifyAudit(loadConfig());
      if (opts.json) outJson(r);
      else {
        for (const p of r.problems) out(`entry ${p.seq ?? '?'}${p.id ? ` (id ${p.id})` : ''}: ${p.problem}`);
        out(
          `${r.checked} entries checked, ${r.unsealed} not yet sealed: ${r.ok ? 'the chain is intact' : `${r.problems.length} problem(s)`}`,
        );
      }
      if (!r.ok) throw new CliError('the audit trail was tampered with', 1);
    });
}
