/**
 * Matching advisories against the computers' source packages. A full match (after an import) checks each
 * distinct (ecosystem, package, version) the fleet runs once, in Node with the ecosystem's own ordering, stages
 * the affected ones in a temporary table, and opens and closes exposures for every computer in two set-based
 * statements joined with the CMDB's source-package rows. A computer's re-match (after its agent report) does the
 * same for its own packages. Each run is one transaction with its audit entry.
 */
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { distinctSourcePackages, sourcePackagesOf, sourcePackagesTable } from '../cmdb/index.js';
import { affects } from './match.js';
import * as repo from './exposure.repository.js';
import { orderingOf } from './versions/index.js';

/** Who matches: `exposure` in the audit trail and on remediation tickets. */
export const EXPOSURE: Actor = { userId: null, role: 'admin', label: 'exposure', via: 'system' };

/** What a match changed. */
export interface MatchOutcome {
  opened: number;
  closed: number;
}

type Tuple = { ecosystem: string; name: string; version: string };

/** Finds the affected packages of a tuple. */
export type Candidates = (t: Tuple) => repo.StoredPackage[];

/** The affected packages by ecosystem and name (an advisory naming only `Debian` covers every release). */
export function indexOf(pkgs: readonly repo.StoredPackage[]) {
  const byKey = new Map<string, repo.StoredPackage[]>();
  for (const p of pkgs) {
    const key = `${p.ecosystem}\0${p.name}`;
    const list = byKey.get(key);
    if (list) list.push(p);
    else byKey.set(key, [p]);
  }
  return (t: Tuple) => {
    const own = byKey.get(`${t.ecosystem}\0${t.name}`) ?? [];
    const base = t.ecosystem.split(':')[0]!;
    return base === t.ecosystem ? own : [...own, ...(byKey.get(`${base}\0${t.name}`) ?? [])];
  };
}

/** The advisories affecting each tuple. */
export function matchesOf(candidates: Candidates, tuples: readonly Tuple[]): repo.Matched[] {
  const out: repo.Matched[] = [];
  for (const t of tuples) {
    const order = orderingOf(t.ecosystem);
    if (!order) continue;
    for (const p of candidates(t)) {
      const hit = affects(p, t.version, order);
      if (hit) out.push({ ...t, advisoryId: p.advisoryId, fixed: hit.fixed });
    }
  }
  return out;
}

/** Matches every advisory against every computer. */
export async function matchAll(ctx: Ctx): Promise<MatchOutcome> {
  const [pkgs, tuples] = await Promise.all([repo.affectedPackages(ctx.db), distinctSourcePackages(ctx)]);
  const matches = matchesOf(indexOf(pkgs), tuples);
  return ctx.tx(async (db) => {
    await repo.stageMatches(db, matches);
    const opened = await repo.openStaged(db, sourcePackagesTable(db));
    const closed = await repo.closeUnstaged(db, sourcePackagesTable(db));
    if (opened + closed > 0) {
      await record(db, EXPOSURE, 'exposure.matched', { type: 'exposure', id: null }, null, {
        packagesChecked: tuples.length,
        opened,
        closed,
      });
    }
    return { opened, closed };
  });
}

/**
 * The affected packages held in memory, reloaded when an import stored advisories (any process's: the stamp is
 * the newest import time in the database), so that a report's re-match reads no advisories.
 */
export function advisoryCache(ctx: Ctx): () => Promise<Candidates> {
  let cached: { stamp: string; find: Candidates } | undefined;
  return async () => {
    const stamp = await repo.importStamp(ctx.db);
    if (!cached || cached.stamp !== stamp)
      cached = { stamp, find: indexOf(await repo.affectedPackages(ctx.db)) };
    return cached.find;
  };
}

/**
 * Re-matches one computer (after its agent report changed its source packages), with the advisories of `cache`
 * or else those of its packages read from the database.
 */
export async function matchComputer(
  ctx: Ctx,
  computerId: string,
  cache?: () => Promise<Candidates>,
): Promise<MatchOutcome> {
  const own = await sourcePackagesOf(ctx.db, computerId);
  const matches = matchesOf(cache ? await cache() : await candidatesOf(ctx, own), own);
  return applyComputer(ctx, computerId, matches);
}

async function candidatesOf(ctx: Ctx, own: readonly Tuple[]): Promise<Candidates> {
  const ecosystem = own[0]?.ecosystem;
  const names = [...new Set(own.map((p) => p.name))];
  const base = ecosystem?.split(':')[0];
  // The packages' advisories in the computer's ecosystem, and in its family without a release (`Debian`).
  const [pkgs, wide] = await Promise.all([
    ecosystem ? repo.affectedPackages(ctx.db, { ecosystem, names }) : [],
    base && base !== ecosystem ? repo.affectedPackages(ctx.db, { ecosystem: base, names }) : [],
  ]);
  return indexOf([...pkgs, ...wide]);
}

async function applyComputer(ctx: Ctx, computerId: string, matches: repo.Matched[]): Promise<MatchOutcome> {
  return ctx.tx(async (db) => {
    await repo.stageMatches(db, matches);
    const mine = sourcePackagesTable(db).where('computer_id', '=', computerId);
    const opened = await repo.openStaged(db, mine);
    const closed = await repo.closeUnstaged(db, mine, computerId);
    if (opened + closed > 0) {
      await record(db, EXPOSURE, 'exposure.changed', { type: 'ci', id: computerId }, null, {
        opened,
        closed,
      });
    }
    return { opened, closed };
  });
}
