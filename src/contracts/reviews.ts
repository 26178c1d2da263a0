import { z } from 'zod';
import { Line, PageQuery, pageOf } from './common.js';

/** What an access review covers: team memberships, roles, who may reveal which credential. */
export const ReviewKind = z.enum(['team', 'role', 'credential']);
export type ReviewKind = z.infer<typeof ReviewKind>;

/** POST /api/v1/reviews: an admin starts a campaign. */
export const StartReview = z.strictObject({
  name: Line(200),
  scope: z
    .array(ReviewKind)
    .min(1, 'choose at least one kind of access')
    .refine((s) => new Set(s).size === s.length, 'each kind once'),
  due: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }),
});
export type StartReview = z.infer<typeof StartReview>;

/** A campaign, with how far it got (for the caller: what is theirs to decide). */
export const ReviewCampaign = z.object({
  id: z.uuid(),
  name: z.string(),
  scope: z.array(ReviewKind),
  due: z.string(),
  status: z.enum(['open', 'closed']),
  startedBy: z.string(),
  startedAt: z.string(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  total: z.number().int(),
  confirmed: z.number().int(),
  revoked: z.number().int(),
  pending: z.number().int(),
  /** Undecided holdings the caller may decide. */
  mine: z.number().int(),
  /** SHA-256 of the frozen evidence (closed campaigns). */
  evidenceSha256: z.string().nullable(),
});
export type ReviewCampaign = z.infer<typeof ReviewCampaign>;

/** GET /api/v1/reviews. */
export const ReviewCampaignList = z.object({ items: z.array(ReviewCampaign) });
export type ReviewCampaignList = z.infer<typeof ReviewCampaignList>;

/** One holding under review. */
export const ReviewItem = z.object({
  id: z.uuid(),
  kind: ReviewKind,
  /** Who holds it: a person's name, or a team's ("Network team"). */
  holder: z.string(),
  /** What they hold: "member of Network team", "admin", "may reveal “Core router”". */
  holding: z.string(),
  decision: z.enum(['confirm', 'revoke']).nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
  outcome: z.string().nullable(),
  canDecide: z.boolean(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

/** GET /api/v1/reviews/:id/items: `mine` keeps what the caller may decide, `pending` what is undecided. */
export const ReviewItemQuery = PageQuery.extend({
  mine: z.enum(['true', 'false']).optional(),
  pending: z.enum(['true', 'false']).optional(),
});
export type ReviewItemQuery = z.infer<typeof ReviewItemQuery>;
export const ReviewItemPage = pageOf(ReviewItem);
export type ReviewItemPage = z.infer<typeof ReviewItemPage>;

/** POST /api/v1/reviews/:id/items/:itemId/decision. */
export const ReviewDecision = z.strictObject({
  decision: z.enum(['confirm', 'revoke']),
  comment: Line(1000).optional(),
});
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** Path of one item. */
export const ReviewItemParams = z.strictObject({
  id: z.uuid({ message: 'must be a UUID' }),
  itemId: z.uuid({ message: 'must be a UUID' }),
});
export type ReviewItemParams = z.infer<typeof ReviewItemParams>;

/** GET /api/v1/reviews/:id/evidence?format=json|csv. */
export const EvidenceQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
export type EvidenceQuery = z.infer<typeof EvidenceQuery>;
