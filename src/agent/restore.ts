/**
 * The agent's restores: it asks Steward for restore work onto this machine (one claim at a time, decided by
 * Steward), reads the snapshot through Steward's backup endpoint (the device's own repository, or another
 * device's read-only while the claim runs), restores the picked files and folders into the chosen folder with
 * the backup engine, keeping what is there unless the request says otherwise, reports progress every few
 * seconds, re-reads every restored file against the snapshot's content hashes, and reports the outcome.
 * It takes no repository lock: it only reads, and may not write to another device's repository at all.
 */
import type { RestoreClaim, RestoreOutcome, RestoreProgressAnswer } from '../contracts/index.js';
import { parentOf } from '../contracts/index.js';
import { openBackend } from '../backup/backend/location.js';
import { errorMessage } from '../backup/errors.js';
import { Repository } from '../backup/repository.js';
import { type RestoreProgress, type RestoreResult, restoreSnapshot } from '../backup/restore.js';
import { type AgentConfig, request } from './agent.js';
import { discard, moveIntoPlace, prepare } from './restore-place.js';

/** Claims the next restore onto this machine, or null when there is none. */
export function claimRestore(config: AgentConfig): Promise<RestoreClaim | null> {
  return request<RestoreClaim | null>(
    'POST',
    `${config.server}/api/v1/agents/backup/restores/claim`,
    {},
    config.token,
  );
}

/** A name as a restic pattern that matches only itself. */
const literal = (name: string) => name.replace(/[*?[\\]/g, (c) => `\\${c}`);

/** The tree of folder `path` in the snapshot whose root tree is `root`. */
async function treeAt(repo: Repository, root: string, path: string): Promise<string> {
  let tree = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    const node = (await repo.loadTree(tree)).nodes.find((n) => n.name.toString('utf8') === part);
    if (!node?.subtree) throw new Error(`${path} is not a folder in the backup`);
    tree = node.subtree;
  }
  return tree;
}

/**
 * Reports progress at most every `everyMs`, one report in flight, and every `everyMs` even when nothing moved
 * (reading trees, verifying): the answer says whether Steward cancelled the restore, and `onCancel` is called
 * once when it did.
 */
function progressReporter(config: AgentConfig, id: string, everyMs: number, onCancel: () => void) {
  let last = 0;
  let inFlight: Promise<void> | undefined;
  let latest: RestoreProgress | undefined;
  const state = { cancelled: false };
  const send = (p: RestoreProgress) => {
    last = Date.now();
    inFlight = request<RestoreProgressAnswer>(
      'POST',
      `${config.server}/api/v1/agents/backup/restores/${id}/progress`,
      p,
      config.token,
    )
      .then((a) => {
        if (a.state === 'cancelled' && !state.cancelled) {
          state.cancelled = true;
          onCancel();
        }
      })
      .catch(() => undefined) // a missed report is not a failed restore
      .finally(() => (inFlight = undefined));
  };
  const none = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  const timer = setInterval(() => {
    if (!inFlight && Date.now() - last >= everyMs) send(latest ?? none);
  }, everyMs);
  timer.unref();
  return {
    state,
    latest: () => latest,
    update(p: RestoreProgress) {
      latest = p;
      const now = Date.now();
      if (inFlight || now - last < everyMs) return;
      send(p);
    },
    /** Reports now and waits for the answer (after a failure: was it cancelled?). */
    async ask() {
      await inFlight;
      send(latest ?? none);
      await inFlight;
    },
    async flush() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/** A restore's problems as people read them: paths in the destination, not in the staging folder. */
const issues = (r: RestoreResult, staging: string, dest: string) => {
  const shown = (p: string) => (p.startsWith(staging) ? dest + p.slice(staging.length) : p);
  return [
    ...r.errors.map((e) => `${shown(e.path)}: ${e.message}`),
    ...r.verifyErrors.map((e) => `${shown(e.path)}: does not match the backup (${e.message})`),
  ];
};

/** Why a cancelled restore stopped, in its outcome (Steward keeps the request cancelled). */
export const CANCELLED =
  'cancelled in Steward: stopped, and nothing of it was left in the destination folder';

const cut = (list: string[]) => list.slice(0, 1000).map((s) => s.slice(0, 4096));

/**
 * Restores what a claim names and returns the outcome (never throws: a failure is an outcome). The engine
 * writes into a staging folder in the destination and verifies there; complete, verified files are then moved
 * into place (restore-place.ts). Cancelled in Steward (learnt from a progress report's answer), the restore
 * stops and the staging folder is removed: nothing half-written is left.
 */
export async function carryOut(
  config: AgentConfig,
  claim: RestoreClaim,
  progressMs = 2000,
): Promise<RestoreOutcome> {
  const r = claim.restore;
  const stop = new AbortController();
  const progress = progressReporter(config, r.id, progressMs, () => stop.abort(new Error(CANCELLED)));
  const outcome: RestoreOutcome = {
    state: 'failed',
    filesDone: 0,
    filesTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    skipped: [],
    verified: false,
    problems: [],
    error: null,
  };
  const dest = r.destinationFolder;
  let place: { staging: string; made: string | undefined } | undefined;
  const backend = await openBackend(`rest:${config.server}${claim.repositoryPath}`, {
    RESTIC_REST_USERNAME: claim.username,
    RESTIC_REST_PASSWORD: config.token,
  });
  try {
    place = await prepare(dest, r.id);
    const repo = await Repository.open(backend, claim.repositoryPassword);
    const snapshot = await repo.loadSnapshot(r.snapshotId);
    const whole = r.paths.length === 1 && r.paths[0] === '/';
    const tree = whole ? snapshot.tree : await treeAt(repo, snapshot.tree, parentOf(r.paths));
    const include = whole ? undefined : r.paths.map((p) => `/${literal(p.slice(p.lastIndexOf('/') + 1))}`);
    const res = await restoreSnapshot(repo, tree, {
      target: place.staging,
      ...(include ? { include } : {}),
      overwrite: 'always', // the staging folder is empty; the request's choice applies when moving into place
      verify: true,
      onProgress: (p) => progress.update(p),
      signal: stop.signal,
    });
    stop.signal.throwIfAborted();
    const left = new Set([...res.errors, ...res.verifyErrors].map((e) => e.path));
    const placed = await moveIntoPlace(place.staging, dest, r.overwrite, left);
    const p = progress.latest();
    const problems = [...issues(res, place.staging, dest), ...placed.problems];
    Object.assign(outcome, {
      filesDone: res.files,
      filesTotal: p?.filesTotal ?? res.files,
      bytesDone: res.bytes,
      bytesTotal: p?.bytesTotal ?? res.bytes,
      skipped: cut(placed.skipped),
      verified: res.verifyErrors.length === 0 && res.errors.length === 0,
      problems: cut(problems),
    });
    const missing = res.unmatchedFilters.map((f) => f.slice(1).replace(/\\(.)/g, '$1'));
    if (missing.length > 0) outcome.error = `not in the backup: ${missing.join(', ')}`;
    else if (problems.length > 0)
      outcome.error = `${problems.length} file${problems.length === 1 ? '' : 's'} could not be restored or verified`;
    outcome.state = outcome.error ? 'failed' : 'succeeded';
  } catch (e) {
    // Cancelled, the source repository may be closed to this agent before the answer to a report says so.
    if (!stop.signal.aborted) await progress.ask();
    outcome.error = stop.signal.aborted ? CANCELLED : errorMessage(e).slice(0, 4000);
  } finally {
    if (place) await discard(dest, place.staging, outcome.state === 'succeeded' ? undefined : place.made);
    await backend.close().catch(() => undefined);
    await progress.flush();
  }
  return outcome;
}

/** Claims and carries out the next restore onto this machine, if any; returns what happened. */
export async function restoreIfQueued(
  config: AgentConfig,
  progressMs?: number,
): Promise<{ claim: RestoreClaim; outcome: RestoreOutcome } | null> {
  const claim = await claimRestore(config);
  if (!claim) return null;
  const outcome = await carryOut(config, claim, progressMs);
  await request(
    'POST',
    `${config.server}/api/v1/agents/backup/restores/${claim.restore.id}/finish`,
    outcome,
    config.token,
  );
  return { claim, outcome };
}
