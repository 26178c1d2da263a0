/**
 * Evidence queries: each asks the module that owns a fact (backups, drills, changes, the CMDB's discovery,
 * access reviews, the audit chain) and judges the answer by the mapping's pass rule. The result is what gets
 * frozen: the facts as they were, the rule, and the verdict in a sentence.
 */
import type { EvidenceSource } from '../../../contracts/index.js';
import { type ChainKeys, verifyChain } from '../../platform/audit/index.js';
import type { Db } from '../../platform/context.js';
import { runOutcomesSince } from '../backup/index.js';
import { carriedOutSince, changeKey } from '../changes/index.js';
import { inventoryCoverage } from '../cmdb/index.js';
import { drillOutcomesSince } from '../dr/index.js';
import { reviewOutcomesSince } from '../reviews/index.js';

/** What one evidence query found. */
export interface Finding {
  passed: boolean;
  summary: string;
  /** The facts behind the verdict (frozen with it). */
  facts: unknown;
}

/** What the queries need besides the database: the audit chain's keys, and the time of collection. */
export interface SourceDeps {
  keys: ChainKeys;
  now: Date;
}

type Params = Record<string, number>;
type Query = (db: Db, p: Params, deps: SourceDeps) => Promise<Finding>;

const since = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);
const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n * 1000) / of) / 10);

const QUERIES: Record<EvidenceSource, Query> = {
  async backup_success(db, p, { now }) {
    const r = await runOutcomesSince(db, since(now, p.days!));
    const total = r.succeeded + r.partial + r.failed;
    const rate = pct(r.succeeded, total);
    const passed = total > 0 && rate >= p.minPercent!;
    return {
      passed,
      summary:
        total === 0
          ? `no backup ran in the last ${p.days} days`
          : `${r.succeeded} of ${total} backups in the last ${p.days} days succeeded (${rate} %, at least ${p.minPercent} % needed); ${r.failed} failed`,
      facts: r,
    };
  },
  async dr_drills(db, p, { now }) {
    const drills = await drillOutcomesSince(db, since(now, p.days!));
    const passed = drills.filter((d) => d.passed).length;
    const failed = drills.length - passed;
    return {
      passed: passed > 0 && failed === 0,
      summary:
        drills.length === 0
          ? `no recovery drill finished in the last ${p.days} days`
          : `${passed} recovery drills passed and ${failed} failed in the last ${p.days} days`,
      facts: { drills },
    };
  },
  async approved_changes(db, p, { now }) {
    const changes = (await carriedOutSince(db, since(now, p.days!))).map((c) => ({
      change: changeKey(c.number),
      title: c.title,
      type: c.type,
      status: c.status,
      plannedStart: c.planned_start,
      approved: c.approved,
    }));
    const unapproved = changes.filter((c) => !c.approved);
    return {
      passed: unapproved.length === 0,
      summary:
        unapproved.length === 0
          ? `all ${changes.length} changes carried out in the last ${p.days} days were approved`
          : `${unapproved.length} of ${changes.length} changes carried out in the last ${p.days} days were not approved: ${unapproved
              .slice(0, 5)
              .map((c) => c.change)
              .join(', ')}`,
      facts: { changes },
    };
  },
  async inventory_coverage(db, p, { now }) {
    const r = await inventoryCoverage(db, since(now, p.days!));
    const rate = pct(r.seen, r.total);
    return {
      passed: r.total > 0 && rate >= p.minPercent!,
      summary:
        r.total === 0
          ? 'no deployed computers in the inventory'
          : `${r.seen} of ${r.total} deployed computers reported by discovery in the last ${p.days} days (${rate} %, at least ${p.minPercent} % needed)`,
      facts: r,
    };
  },
  async access_reviews(db, p, { now }) {
    const r = await reviewOutcomesSince(db, since(now, p.days!), now.toISOString().slice(0, 10));
    return {
      passed: r.closed.length > 0 && r.overdue.length === 0,
      summary:
        `${r.closed.length} access reviews closed in the last ${p.days} days` +
        (r.overdue.length ? `; ${r.overdue.length} overdue: ${r.overdue.map((o) => o.name).join(', ')}` : ''),
      facts: r,
    };
  },
  async audit_chain(db, _p, { keys }) {
    const v = await verifyChain(db, keys);
    return {
      passed: v.ok,
      summary: v.ok
        ? `the audit chain verifies: ${v.checked} entries checked`
        : `the audit chain does not verify (${v.status}): ${v.problems[0]?.problem ?? ''}`,
      facts: { status: v.status, checked: v.checked, problems: v.problems.slice(0, 20) },
    };
  },
};

/** Runs one evidence query with its pass rule. */
export function runQuery(db: Db, source: EvidenceSource, params: Params, deps: SourceDeps): Promise<Finding> {
  return QUERIES[source](db, params, deps);
}
