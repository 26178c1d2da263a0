/**
 * Access reviews: an admin starts a campaign over a scope; the owners of each holding confirm or revoke it (one
 * decision per holding, however many decide at once); a revocation is applied by the owning module (teams,
 * users, vault) in the decision's transaction and audited there; closing freezes the result as evidence.
 */
import { createHash } from 'node:crypto';
import type {
  ReviewCampaign,
  ReviewDecision,
  ReviewItem,
  ReviewItemQuery,
  StartReview,
} from '../../../contracts/index.js';
import { canonicalJson, record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { BY_NAME, decodeCursor, pageFrom } from '../../platform/pagination.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { removeMember } from '../teams/index.js';
import { revokeRole, roleRevoked } from '../users/index.js';
import { revokeShare } from '../vault/index.js';
import { holdings } from './holdings.js';
import * as repo from './reviews.repository.js';
import type { CampaignRow, ItemRow } from './reviews.repository.js';

const entity = (id: string) => ({ type: 'review', id });
const isAdmin = (actor: Actor) => allows(actor, 'review:admin');
const mayDecide = (actor: Actor, r: ItemRow) =>
  actor.userId !== null &&
  r.user_id !== actor.userId &&
  (isAdmin(actor) || r.reviewer_ids.includes(actor.userId));

function itemView(actor: Actor, r: ItemRow, open: boolean): ReviewItem {
  return {
    id: r.id,
    kind: r.kind,
    holder: r.holder,
    holding: r.holding,
    decision: r.decision,
    decidedBy: r.decided_label,
    decidedAt: r.decided_at?.toISOString() ?? null,
    comment: r.comment,
    outcome: r.outcome,
    canDecide: open && r.decision === null && mayDecide(actor, r),
  };
}

async function campaignViews(db: Db, actor: Actor, rows: CampaignRow[]): Promise<ReviewCampaign[]> {
  const counts = await repo.counts(
    db,
    rows.map((r) => r.id),
    actor.userId,
  );
  return rows.map((r) => {
    const c = counts.get(r.id) ?? { total: 0, confirmed: 0, revoked: 0, pending: 0, mine: 0 };
    return {
      id: r.id,
      name: r.name,
      scope: r.scope as ReviewCampaign['scope'],
      due: r.due,
      status: r.status,
      startedBy: r.started_label,
      startedAt: r.started_at.toISOString(),
      closedBy: r.closed_label,
      closedAt: r.closed_at?.toISOString() ?? null,
      total: c.total,
      confirmed: c.confirmed,
      revoked: c.revoked,
      pending: c.pending,
      mine: r.status === 'open' ? c.mine : 0,
      evidenceSha256: r.evidence_sha256,
    };
  });
}

/** The campaign, if the actor may see it (admins, and the reviewers of at least one of its holdings). */
async function visible(ctx: Ctx, actor: Actor, id: string): Promise<CampaignRow> {
  can(actor, 'review:read');
  const row = await repo.findCampaign(ctx.db, id);
  if (!row) throw NotFound('access review');
  if (isAdmin(actor)) return row;
  const mine = await repo.items(ctx.db, id, { reviewer: actor.userId ?? undefined, limit: 1 });
  if (mine.length === 0) throw NotFound('access review');
  return row;
}

/** Applies a revocation through the module that owns the holding. */
async function revoke(db: Db, actor: Actor, r: ItemRow, why: string): Promise<'revoked' | 'already gone'> {
  switch (r.kind) {
    case 'team':
      return removeMember(db, actor, r.team_id!, r.user_id!, why);
    case 'role':
      return revokeRole(db, actor, r.user_id!, r.role!, why);
    case 'credential':
      return revokeShare(
        db,
        actor,
        r.ci_id!,
        r.user_id ? { userId: r.user_id } : { teamId: r.team_id! },
        why,
      );
  }
}

/** Starts a campaign over the holdings in its scope as they are now. */
export async function startReview(ctx: Ctx, actor: Actor, input: StartReview): Promise<ReviewCampaign> {
  can(actor, 'review:admin');
  if (input.due < new Date().toISOString().slice(0, 10))
    throw Invalid('the due date is in the past', [{ path: 'body.due', message: 'must be today or later' }]);
  return ctx.tx(async (db) => {
    const items = await holdings(db, input.scope);
    const id = await repo.insertCampaign(
      db,
      { ...input, startedBy: actor.userId, startedLabel: actor.label },
      items,
    );
    await record(db, actor, 'review.started', entity(id), null, { ...input, holdings: items.length });
    const [view] = await campaignViews(db, actor, [(await repo.findCampaign(db, id))!]);
    return view!;
  });
}

/** Campaigns the actor takes part in (admins: all), newest first. */
export async function listReviews(ctx: Ctx, actor: Actor): Promise<ReviewCampaign[]> {
  can(actor, 'review:read');
  const rows = await repo.campaigns(ctx.db, isAdmin(actor) ? undefined : (actor.userId ?? undefined));
  return campaignViews(ctx.db, actor, rows);
}

/** One campaign. */
export async function getReview(ctx: Ctx, actor: Actor, id: string): Promise<ReviewCampaign> {
  const row = await visible(ctx, actor, id);
  return (await campaignViews(ctx.db, actor, [row]))[0]!;
}

/** A page of a campaign's holdings: reviewers see theirs, admins all (or theirs with `mine`). */
export async function reviewItems(ctx: Ctx, actor: Actor, id: string, q: ReviewItemQuery) {
  const c = await visible(ctx, actor, id);
  const after = decodeCursor(q.cursor, BY_NAME);
  const mine = q.mine === 'true' || !isAdmin(actor);
  const rows = await repo.items(ctx.db, id, {
    ...(mine ? { reviewer: actor.userId ?? undefined } : {}),
    pending: q.pending === 'true',
    ...(after ? { after } : {}),
    limit: q.limit + 1,
  });
  return pageFrom(
    rows,
    q.limit,
    (r) => itemView(actor, r, c.status === 'open'),
    (r) => [r.holder.toLowerCase(), r.id],
  );
}

/**
 * Confirms or revokes one holding. The first decision stands: a second one (at once or later) is a 409. A
 * revocation that its owner refuses (the last admin) fails as a whole, leaving the holding undecided.
 */
export async function decide(
  ctx: Ctx,
  actor: Actor,
  id: string,
  itemId: string,
  input: ReviewDecision,
): Promise<ReviewItem> {
  await visible(ctx, actor, id);
  let roleChanged = false;
  const item = await ctx.tx(async (db) => {
    // A shared lock: closing (which takes the row exclusively) waits for decisions under way, and vice versa.
    const c = await repo.findCampaign(db, id, 'share');
    if (!c) throw NotFound('access review');
    const current = await repo.findItem(db, id, itemId);
    if (!current || !(isAdmin(actor) || (actor.userId && current.reviewer_ids.includes(actor.userId))))
      throw NotFound('holding');
    if (c.status !== 'open') throw Conflict('this access review is closed', 'review_closed');
    if (current.user_id === actor.userId) throw Forbidden('nobody reviews their own access');
    const decided = await repo.decide(db, itemId, {
      decision: input.decision,
      by: actor.userId,
      label: actor.label,
      comment: input.comment ?? null,
    });
    if (!decided)
      throw Conflict(`already decided by ${current.decided_label ?? 'someone else'}`, 'already_decided');
    if (input.decision === 'revoke') {
      const why = `access review “${c.name}”${input.comment ? `: ${input.comment}` : ''}`;
      decided.outcome = await revoke(db, actor, decided, why);
      await repo.setOutcome(db, itemId, decided.outcome);
      roleChanged = decided.kind === 'role' && decided.outcome === 'revoked';
    }
    await record(db, actor, 'review.decided', entity(id), null, {
      item: itemId,
      kind: decided.kind,
      holder: decided.holder,
      holding: decided.holding,
      decision: input.decision,
      comment: input.comment ?? null,
      outcome: decided.outcome,
    });
    return itemView(actor, decided, true);
  });
  if (roleChanged) roleRevoked();
  return item;
}

/** The evidence of a campaign: what was reviewed, by whom, with what outcome. */
function evidenceOf(c: CampaignRow, items: ItemRow[], closedBy: string, closedAt: Date) {
  return {
    campaign: {
      id: c.id,
      name: c.name,
      scope: c.scope,
      due: c.due,
      startedBy: c.started_label,
      startedAt: c.started_at.toISOString(),
      closedBy,
      closedAt: closedAt.toISOString(),
    },
    items: items.map((r) => ({
      kind: r.kind,
      holder: r.holder,
      holding: r.holding,
      decision: r.decision ?? 'not reviewed',
      decidedBy: r.decided_label,
      decidedAt: r.decided_at?.toISOString() ?? null,
      comment: r.comment,
      outcome: r.outcome,
    })),
  };
}

/** Closes a campaign: its result is frozen as evidence (undecided holdings stay "not reviewed"). */
export async function closeReview(ctx: Ctx, actor: Actor, id: string): Promise<ReviewCampaign> {
  can(actor, 'review:admin');
  return ctx.tx(async (db) => {
    const c = await repo.findCampaign(db, id, 'update');
    if (!c) throw NotFound('access review');
    if (c.status !== 'open') throw Conflict('this access review is already closed', 'review_closed');
    const at = new Date();
    const evidence = evidenceOf(c, await repo.allItems(db, id), actor.label, at);
    const sha256 = createHash('sha256').update(canonicalJson(evidence)).digest('hex');
    await repo.close(db, id, { label: actor.label, at, evidence, sha256 });
    await record(db, actor, 'review.closed', entity(id), null, { sha256, holdings: evidence.items.length });
    return (await campaignViews(db, actor, [(await repo.findCampaign(db, id))!]))[0]!;
  });
}

/** The frozen evidence of a closed campaign (admins), with its SHA-256. */
export async function reviewEvidence(ctx: Ctx, actor: Actor, id: string) {
  can(actor, 'review:admin');
  const c = await repo.findCampaign(ctx.db, id);
  if (!c) throw NotFound('access review');
  const e = await repo.evidence(ctx.db, id);
  if (!e?.evidence) throw Conflict('the evidence exists once the review is closed', 'review_open');
  return {
    evidence: e.evidence as ReturnType<typeof evidenceOf>,
    sha256: e.evidence_sha256!,
  };
}
