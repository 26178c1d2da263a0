import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where skipped suites are reported; scripts/test.mjs prints this file after the run. */
export const SKIP_REPORT = join(process.cwd(), '.tmp', 'skipped-suites.txt');

/** True when a program is on the PATH (it runs with `--version` or the given probe arguments). */
export function hasProgram(cmd: string, probeArgs: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, probeArgs, { stdio: 'ignore', timeout: 20_000 });
  return r.error === undefined && r.status !== null;
}

/**
 * Decides whether a suite that needs an outside component may run. Returns true when it may.
 * When the component is missing, the suite is skipped and the reason recorded for the closing report;
 * under CI (`CI=true`) a missing component is a failure, never a skip, so this throws.
 */
export function requireComponent(suite: string, available: boolean, why: string): boolean {
  if (available) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${suite}: required component missing under CI: ${why}`);
  }
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
  appendFileSync(SKIP_REPORT, `${suite}: ${why}\n`);
  return false;
}
