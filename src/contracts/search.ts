import { z } from 'zod';
import { TicketStatus, TicketType } from './tickets.js';
import { Role } from './identity.js';
import { CiStatus } from './cmdb.js';
import { ArticleKind } from './knowledge.js';

/** GET /api/v1/search: what a person typed into the global search box. */
export const GlobalSearchQuery = z.object({
  q: z.string().trim().min(1, 'type something to search for').max(200),
});
export type GlobalSearchQuery = z.infer<typeof GlobalSearchQuery>;

const TicketHit = z.object({
  id: z.uuid(),
  key: z.string(),
  type: TicketType,
  title: z.string(),
  status: TicketStatus,
  priority: z.number().int(),
});
const PersonHit = z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: Role });
const ItemHit = z.object({ id: z.uuid(), name: z.string(), classKey: z.string(), status: CiStatus });

/**
 * What the global search found among what the caller may see: `goTo` is the one ticket a ticket number
 * (`INC-3`, `3`, `#3`) names, for the search box to open directly; the lists are the best few of each kind.
 * People and items are empty for callers who may not read them; articles are the published, still valid ones
 * written for the caller.
 */
export const GlobalSearchResult = z.object({
  goTo: TicketHit.nullable(),
  tickets: z.array(TicketHit),
  people: z.array(PersonHit),
  items: z.array(ItemHit),
  articles: z.array(z.object({ id: z.uuid(), key: z.string(), kind: ArticleKind, title: z.string() })),
});
export type GlobalSearchResult = z.infer<typeof GlobalSearchResult>;
