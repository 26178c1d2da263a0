import { useCallback } from 'react';
import type { ArticleAudience, ArticleKind, ArticleStatus } from '@contracts';
import { type MessageKey, useT } from '../../i18n';

/** The catalogue's words for kinds, states and audiences, and for the moves an author asks for. */
const KIND: Record<ArticleKind, MessageKey> = {
  how_to: 'kb.kind.how_to',
  known_error: 'kb.kind.known_error',
  policy: 'kb.kind.policy',
  procedure: 'kb.kind.procedure',
  runbook: 'kb.kind.runbook',
};
const STATUS: Record<ArticleStatus, MessageKey> = {
  draft: 'kb.status.draft',
  in_review: 'kb.status.in_review',
  approved: 'kb.status.approved',
  published: 'kb.status.published',
  retired: 'kb.status.retired',
};
const AUDIENCE: Record<ArticleAudience, MessageKey> = {
  requesters: 'kb.audience.requesters',
  agents: 'kb.audience.agents',
  team: 'kb.audience.team',
};
const MOVE: Record<ArticleStatus, MessageKey> = {
  draft: 'kb.move.draft',
  in_review: 'kb.move.in_review',
  approved: 'kb.move.approved',
  published: 'kb.move.published',
  retired: 'kb.move.retired',
};

/** Every kind, in the order people pick them. */
export const KINDS = Object.keys(KIND) as ArticleKind[];
/** Every audience. */
export const AUDIENCES = Object.keys(AUDIENCE) as ArticleAudience[];

/** A label function over one of the tables above, in the user's language. */
function useLabel<K extends string>(table: Record<K, MessageKey>): (k: K) => string {
  const t = useT();
  return useCallback((k: K) => t(table[k]), [t, table]);
}

/** "How-to", "Known error", … */
export const useKindLabel = () => useLabel(KIND);
/** "Draft", "In review", … */
export const useStatusLabel = () => useLabel(STATUS);
/** "Everyone", "IT staff", "One team". */
export const useAudienceLabel = () => useLabel(AUDIENCE);
/** "Submit for review", "Publish", … */
export const useMoveLabel = () => useLabel(MOVE);
