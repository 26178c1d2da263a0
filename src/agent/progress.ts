/**
 * The agent's side of backup progress: a {@link ProgressSink} that posts how far the running backup is to
 * Steward every few seconds (files and bytes done and in all, a file being read, the time left), one post at a
 * time, never holding the backup up: a post that fails is dropped and the next one carries the news.
 */
import type { ReportBackupProgress } from '../contracts/index.js';
import { type BackupCounters, type ProgressSink, statusMessage } from '../backup/progress.js';
import { type AgentConfig, request } from './agent.js';

/** How often the agent posts progress while a backup runs. */
export const PROGRESS_EVERY_MS = 5000;

/** What to post for counters `c` of a run that started at `startedAt`, `elapsedMs` ago. */
export function progressOf(c: BackupCounters, elapsedMs: number, startedAt: string): ReportBackupProgress {
  const m = statusMessage(c, elapsedMs) as { percent_done: number; seconds_remaining?: number };
  const [current] = c.currentFiles;
  return {
    startedAt,
    percent: Math.min(100, Math.max(0, Math.round(m.percent_done * 10_000) / 100)),
    filesDone: c.filesDone,
    // The scan may lag the backup: totals never below what is done.
    filesTotal: Math.max(c.totalFiles, c.filesDone),
    bytesDone: c.bytesDone,
    bytesTotal: Math.max(c.totalBytes, c.bytesDone),
    currentFile: current === undefined ? null : current.slice(0, 1000),
    etaSeconds: m.seconds_remaining === undefined ? null : Math.min(m.seconds_remaining, 366 * 24 * 3600),
  };
}

/** A sink posting to Steward; `settle` waits for the post in flight (call it before reporting the run). */
export function postingProgress(
  config: AgentConfig,
  startedAt: string,
): ProgressSink & { settle(): Promise<void> } {
  let inFlight: Promise<void> | null = null;
  let last = 0;
  const post = (body: ReportBackupProgress) =>
    request<null>('POST', `${config.server}/api/v1/agents/backup/progress`, body, config.token).then(
      () => undefined,
      () => undefined,
    );
  return {
    status(c, elapsedMs) {
      const now = Date.now();
      if (inFlight || now - last < PROGRESS_EVERY_MS - 100) return;
      last = now;
      inFlight = post(progressOf(c, elapsedMs, startedAt)).finally(() => (inFlight = null));
    },
    warning() {},
    async settle() {
      await inFlight;
    },
  };
}
