/**
 * A change's risk: the template's weighted questionnaire plus what Steward knows itself (the CMDB's impact
 * analysis, open incidents, other changes, blackouts, backups). Each reason is a line a person reads with the
 * points it added; the sum decides the level, and the level the approval route.
 */
import type { RiskLevel, RiskQuestion, RiskReason } from '../../../contracts/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { lastGoodSnapshots } from '../backup/index.js';
import { changeNeighbours, type ScopeNeighbour } from '../cmdb/index.js';
import { openIncidentKeysOn } from '../tickets/index.js';
import { blackoutsOver } from './admin.repository.js';
import { activeOn } from './changes.repository.js';

/** From this score a change is moderate, and from the next high. */
export const MODERATE_FROM = 5;
export const HIGH_FROM = 10;
/** A computer whose last good backup is older than this has no recent backup. */
const BACKUP_FRESH_MS = 7 * 86_400_000;

/** What risk is computed from. */
export interface RiskInput {
  self: string | null;
  type: 'standard' | 'normal' | 'emergency';
  itemIds: readonly string[];
  questions: readonly RiskQuestion[];
  answers: Record<string, boolean>;
  start: Date | null;
  end: Date | null;
}

export interface Risk {
  level: RiskLevel;
  score: number;
  reasons: RiskReason[];
}

/** The level a score makes. */
export function levelOf(score: number): RiskLevel {
  return score >= HIGH_FROM ? 'high' : score >= MODERATE_FROM ? 'moderate' : 'low';
}

/** The first `max` names, and how many more: as params, and as English text. */
function listed(xs: readonly { name: string }[], max = 5): { names: string; more: number; text: string } {
  const names = xs
    .slice(0, max)
    .map((x) => x.name)
    .join(', ');
  const more = Math.max(0, xs.length - max);
  return { names, more, text: names + (more > 0 ? ` and ${more} more` : '') };
}

/** Points for the people affected: owners of the items that depend on the change's items. */
function peoplePoints(n: number): number {
  return n >= 50 ? 3 : n >= 10 ? 2 : n >= 1 ? 1 : 0;
}

/** The questionnaire's reasons: each yes adds its weight. */
function questionnaire(input: RiskInput): RiskReason[] {
  return input.questions
    .filter((q) => input.answers[q.key] === true)
    .map((q) => ({
      code: 'question',
      params: { question: q.text },
      text: `“${q.text}”: yes`,
      points: q.weight,
    }));
}

/** Open incidents on the affected items: one query for all of them (at most 1,000 items asked). */
async function incidents(db: Db, affected: readonly ScopeNeighbour[]): Promise<RiskReason[]> {
  const keys = await openIncidentKeysOn(
    db,
    affected.slice(0, 1000).map((i) => i.id),
    100,
  );
  if (keys.length === 0) return [];
  const atLeast = keys.length === 100 ? 1 : 0;
  const shown = keys.slice(0, 5).join(', ');
  return [
    {
      code: 'incidents',
      params: { count: keys.length, atLeast, keys: shown },
      text: `${atLeast ? 'At least 100' : keys.length} open incident${keys.length === 1 ? '' : 's'} on affected items: ${shown}`,
      points: 3,
    },
  ];
}

/** Computers among the change's items without a successful backup in the last 7 days. */
async function backups(ctx: Ctx, selfItems: readonly ScopeNeighbour[], now: number): Promise<RiskReason[]> {
  const computers = selfItems.filter((i) => i.kind === 'computer');
  if (computers.length === 0) return [];
  const last = await lastGoodSnapshots(
    ctx,
    computers.map((c) => c.id),
  );
  const stale = computers.filter((c) => {
    const at = last.get(c.id)?.at;
    return !at || now - at.getTime() > BACKUP_FRESH_MS;
  });
  if (stale.length === 0) return [];
  const { names, more, text } = listed(stale);
  return [
    {
      code: 'no_backup',
      params: { names, more },
      text: `No successful backup in the last 7 days of ${text}`,
      points: 3,
    },
  ];
}

/** Computes the risk of a change as it would be saved (reads only; outside the writing transaction). */
export async function assessRisk(ctx: Ctx, input: RiskInput, now = Date.now()): Promise<Risk> {
  const db = ctx.db;
  const reasons = questionnaire(input);
  const around = await changeNeighbours(db, input.itemIds);
  const selfItems = around.filter((i) => i.side === 'self');
  const affected = around.filter((i) => i.side !== 'upstream');
  if (input.itemIds.length === 0 && input.type !== 'standard') {
    reasons.push({
      code: 'no_items',
      params: {},
      text: 'No configuration items named: the impact is unknown',
      points: 2,
    });
  }
  const services = affected.filter((i) => i.kind === 'service');
  if (services.length > 0) {
    const { names, more, text } = listed(services);
    reasons.push({
      code: 'services',
      params: { count: services.length, names, more },
      text: `Affects ${services.length} business service${services.length === 1 ? '' : 's'}: ${text}`,
      points: Math.min(2 * services.length, 6),
    });
  }
  const people = new Set(affected.map((i) => i.ownerId).filter((o): o is string => o !== null));
  if (people.size > 0) {
    reasons.push({
      code: 'owners',
      params: { count: people.size },
      text: `${people.size} ${people.size === 1 ? 'person owns' : 'people own'} affected items`,
      points: peoplePoints(people.size),
    });
  }
  // The signals after the walk are independent: asked at once (on PostgreSQL, over several connections).
  const [incidentReasons, others, freeze, backupReasons] = await Promise.all([
    incidents(db, affected),
    activeOn(
      db,
      around.map((i) => i.id),
      input.self,
    ),
    input.start && input.end ? blackoutsOver(db, input.itemIds, input.start, input.end) : [],
    backups(ctx, selfItems, now),
  ]);
  reasons.push(...incidentReasons);
  if (others > 0) {
    reasons.push({
      code: 'other_changes',
      params: { count: others },
      text: `${others} other change${others === 1 ? '' : 's'} in progress on the same or dependent items`,
      points: 3,
    });
  }
  if (freeze.length > 0) {
    const { names, more, text } = listed(freeze);
    reasons.push({
      code: 'blackout',
      params: { names, more },
      text: `Planned inside the blackout ${text}`,
      points: 5,
    });
  }
  reasons.push(...backupReasons);
  const score = reasons.reduce((s, r) => s + r.points, 0);
  return { level: levelOf(score), score, reasons };
}
