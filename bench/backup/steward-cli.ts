/**
 * The `steward repo …` commands alone, for the benchmark: the same command code as `steward repo`
 * (src/cli/repo.ts), without the server, admin and user commands that `src/cli/main.ts` also loads.
 * run.ts bundles this file with esbuild (packages external), so the child runs compiled JavaScript
 * built from the current working tree, like `dist/` would be, and its peak RSS is the engine's own.
 */
import { Command, CommanderError } from 'commander';
import { CliError } from '../../src/cli/io.js';
import { registerRepoCommands } from '../../src/cli/repo.js';

async function main(argv: string[]): Promise<void> {
  const program = new Command('steward').exitOverride();
  registerRepoCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`steward: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = e instanceof CliError ? e.code : 1;
  }
}

await main(process.argv);
