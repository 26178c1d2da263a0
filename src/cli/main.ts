import { Command, CommanderError } from 'commander';
import { ConfigError } from '../server/config.js';
import { VERSION } from '../server/main.js';
import { registerAdminCommands } from './admin.js';
import { registerAgentCommands } from './agent.js';
import { registerAuditCommands } from './audit.js';
import { registerChangeCommands } from './change.js';
import { registerDrCommands } from './dr.js';
import { registerExposureCommands } from './exposure.js';
import { CliError, endQuietlyOnClosedPipe, err } from './io.js';
import { registerJobCommands } from './job.js';
import { registerRepoCommands } from './repo.js';
import { registerServerBackupCommands, registerServerCommands } from './server.js';
import { registerTeamCommands } from './team.js';
import { registerTokenCommands } from './token.js';
import { registerUserCommands } from './user.js';
import { registerVaultCommands } from './vault.js';
import { registerKbCommands } from './kb.js';
import { registerCatalogueCommands } from './catalogue.js';
import { registerComplianceCommands } from './compliance.js';
import { registerReportCommands } from './report.js';
import { registerReviewCommands } from './review.js';
import { registerIncidentCommands } from './incident.js';
import { registerTicketTemplateCommands } from './ticket-templates.js';

/**
 * The `steward` command. Exit codes: 0 success, 1 failure, 2 usage error; `repo` follows restic's codes.
 */
export function buildProgram(): Command {
  const program = new Command('steward')
    .description('Steward: self-hosted IT service management')
    .version(VERSION, '-V, --version', 'print the version of Steward')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServerCommands(program);
  registerServerBackupCommands(program);
  registerAdminCommands(program);
  registerUserCommands(program);
  registerTeamCommands(program);
  registerTokenCommands(program);
  registerAuditCommands(program);
  registerJobCommands(program);
  registerDrCommands(program);
  registerVaultCommands(program);
  registerKbCommands(program);
  registerCatalogueCommands(program);
  registerComplianceCommands(program);
  registerExposureCommands(program);
  registerChangeCommands(program);
  registerReviewCommands(program);
  registerReportCommands(program);
  registerIncidentCommands(program);
  registerTicketTemplateCommands(program);
  registerRepoCommands(program);
  registerAgentCommands(program);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI with `argv` and sets process.exitCode. */
export async function run(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof CliError) {
      err(`steward: ${e.message}`);
      process.exitCode = e.code;
      return;
    }
    if (e instanceof ConfigError || (e instanceof Error && e.name === 'DataDirLockedError')) {
      err(`steward: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    err(`steward: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

await run(process.argv);
