import { type RawBuilder, sql } from 'kysely';
import { allows, type Actor } from '../../platform/permissions.js';

/**
 * The one rule of who may see which article, as a WHERE clause over `kb_articles AS a` (what it hides is a 404
 * everywhere): managers and admins see every article; agents those for requesters, for IT, and for their
 * teams; requesters those written for requesters. Readers see only published text (the service's
 * concern); authors (`kb:write`) see every state of what this lets them see.
 */
export function audienceOf(actor: Actor): RawBuilder<boolean> {
  if (allows(actor, 'kb:admin')) return sql<boolean>`true`;
  if (!allows(actor, 'kb:write')) return sql<boolean>`a.audience = 'requesters'`;
  const me = actor.userId ?? '00000000-0000-0000-0000-000000000000';
  return sql<boolean>`(a.audience IN ('requesters', 'agents')
    OR a.team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.user_id = ${me}))`;
}

/** What the actor may see: the audience rule, and for readers only articles with a published text shown. */
export function visibleTo(actor: Actor): RawBuilder<boolean> {
  const audience = audienceOf(actor);
  if (allows(actor, 'kb:write')) return audience;
  return sql<boolean>`(${audience} AND a.published_version IS NOT NULL AND a.status <> 'retired')`;
}
