import type { ReviewKind } from '@contracts';
import type { Translate } from '../../i18n';

const KIND = {
  team: 'reviews.kind.team',
  role: 'reviews.kind.role',
  credential: 'reviews.kind.credential',
} as const;

/** The kinds of access a review covers, in the order they are offered. */
export const REVIEW_KINDS = Object.keys(KIND) as ReviewKind[];

/** A kind of access, as people say it. */
export const kindLabel = (t: Translate, k: ReviewKind): string => t(KIND[k]);
