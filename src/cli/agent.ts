import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AgentError, enrol, readConfig, reportOnce } from '../agent/agent.js';
import { CliError, out, outJson } from './io.js';

const DEFAULT_CONFIG = join(homedir(), '.config', 'steward', 'agent.json');

/** `steward agent enrol|run`: the discovery agent. */
export function registerAgentCommands(program: Command): void {
  const agent = program
    .command('agent')
    .description('the discovery agent: report this machine to a Steward server');
  agent
    .command('enrol')
    .description('enrol this machine with an enrolment token from an admin')
    .requiredOption('--server <url>', 'the Steward server, e.g. https://steward.example.com')
    .requiredOption('--token <token>', 'the enrolment token')
    .option('--config <path>', 'where to keep the agent config', DEFAULT_CONFIG)
    .action(async (opts: { server: string; token: string; config: string }) => {
      try {
        const c = await enrol(opts.server, opts.token, opts.config);
        out(`enrolled as agent ${c.agentId}; config in ${opts.config}`);
      } catch (e) {
        throw e instanceof AgentError ? new CliError(e.message, 1) : e;
      }
    });
  agent
    .command('run')
    .description('collect this machine and report it (once, or every --interval seconds)')
    .option('--config <path>', 'the agent config', DEFAULT_CONFIG)
    .option('--once', 'report once and exit')
    .option('--interval <seconds>', 'seconds between reports when running as a service', '3600')
    .option('--json', 'JSON output')
    .action(async (opts: { config: string; once?: boolean; interval: string; json?: boolean }) => {
      const interval = Number(opts.interval);
      if (!Number.isInteger(interval) || interval < 60)
        throw new CliError('--interval must be at least 60 seconds', 2);
      const config = (() => {
        try {
          return readConfig(opts.config);
        } catch (e) {
          throw e instanceof AgentError ? new CliError(e.message, 1) : e;
        }
      })();
      for (;;) {
        try {
          const r = await reportOnce(config);
          if (opts.json) outJson(r);
          else
            out(
              r.unchanged
                ? `reported: nothing changed (item ${r.ciId})`
                : `reported: item ${r.ciId}${r.created ? ' (new)' : ''}; software +${r.software.added} -${r.software.removed} =${r.software.kept}`,
            );
        } catch (e) {
          if (opts.once || !(e instanceof AgentError))
            throw e instanceof AgentError ? new CliError(e.message, 1) : e;
          out(`report failed, will try again: ${e.message}`);
        }
        if (opts.once) return;
        await new Promise((r) => setTimeout(r, interval * 1000));
      }
    });
}
