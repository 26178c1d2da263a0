import { Cron } from 'croner';

/**
 * The first firing of `cron` in `timezone` strictly after `after`, or null when the pattern never fires again.
 * Pure (no timers). Across daylight-saving changes croner fires each wall-clock time once: a time skipped in
 * spring fires at the same offset after the jump (02:30 becomes 03:30), a repeated autumn hour fires once.
 * Throws on an invalid pattern or an unknown IANA time zone.
 */
export function nextRunAfter(cron: string, timezone: string, after: Date): Date | null {
  const next = new Cron(cron, { timezone, paused: true }).nextRun(after);
  return next ?? null;
}

/** Throws an Error naming the problem unless `cron` is a valid pattern and `timezone` a known time zone. */
export function checkCron(cron: string, timezone: string): void {
  try {
    nextRunAfter(cron, timezone, new Date(0));
  } catch (err) {
    throw new Error(`invalid schedule "${cron}" in ${timezone}: ${(err as Error).message}`, { cause: err });
  }
}
