import { randomBytes } from 'node:crypto';

/** The variable that carries one vitest run's id from its global setup to its workers. */
export const TEST_RUN_VARIABLE = 'STEWARD_TEST_RUN';

/**
 * This vitest run's id, part of every PostgreSQL database name the run makes, so that the end of one run drops
 * its own databases and never those of another run going on beside it. Set by the global setup; a worker
 * started without it (a single file run by hand) makes one of its own.
 */
export function testRun(): string {
  return (process.env[TEST_RUN_VARIABLE] ??= randomBytes(4).toString('hex'));
}
