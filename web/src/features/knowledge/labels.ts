import type { ArticleAudience, ArticleKind, ArticleStatus } from '@contracts';

/** Words people use for kinds, states and audiences. */
export const KIND_LABEL: Record<ArticleKind, string> = {
  how_to: 'How-to',
  known_error: 'Known error',
  policy: 'Policy',
  procedure: 'Procedure',
  runbook: 'Runbook',
};
export const STATUS_LABEL: Record<ArticleStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  published: 'Published',
  retired: 'Retired',
};
export const AUDIENCE_LABEL: Record<ArticleAudience, string> = {
  requesters: 'Everyone',
  agents: 'IT staff',
  team: 'One team',
};
/** What a person asks for when moving an article, by target state. */
export const MOVE_LABEL: Record<ArticleStatus, string> = {
  draft: 'Back to draft',
  in_review: 'Submit for review',
  approved: 'Approve',
  published: 'Publish',
  retired: 'Retire',
};
