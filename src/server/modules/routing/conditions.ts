import type { RoutingCondition, TicketType } from '../../../contracts/index.js';
import type { Db } from '../../platform/context.js';
import * as repo from './routing.repository.js';
import { categoryWithAncestors } from '../categories/index.js';

/** The ticket fields conditions look at, as routing has made them so far. */
export interface RoutedFields {
  id: string;
  type: TicketType;
  title: string;
  description: string;
  requesterId: string;
  categoryId: string | null;
}

/**
 * Decides `asset` conditions: does the ticket link one of `assetIds`? The CMDB registers one with
 * {@link setAssetMatcher}; until then rules with asset conditions are refused (400) when saved.
 */
export type AssetMatcher = (db: Db, ticketId: string, assetIds: readonly string[]) => Promise<boolean>;

let assetMatcher: AssetMatcher | undefined;

/** Hook for the CMDB: enables `asset` conditions in routing rules. */
export function setAssetMatcher(matcher: AssetMatcher | undefined): void {
  assetMatcher = matcher;
}

/** Whether `asset` conditions can be evaluated. */
export function assetConditionsAvailable(): boolean {
  return assetMatcher !== undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `phrase` occurs in `text` as whole words, ignoring case (letters and digits of any script). */
export function containsWords(text: string, phrase: string): boolean {
  const words = phrase.trim().split(/\s+/).map(escape).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/** Per-evaluation lookups, computed at most once (the category ones again when a rule changes the category). */
export class Lookups {
  private teams: Promise<string[]> | undefined;
  private ancestors = new Map<string, Promise<string[]>>();

  constructor(private readonly db: Db) {}

  requesterTeams(requesterId: string): Promise<string[]> {
    return (this.teams ??= repo.teamsOf(this.db, requesterId));
  }

  categoryLine(categoryId: string): Promise<string[]> {
    let p = this.ancestors.get(categoryId);
    if (!p) this.ancestors.set(categoryId, (p = categoryWithAncestors(this.db, categoryId)));
    return p;
  }
}

/** Whether one condition holds for the ticket. */
export async function holds(db: Db, c: RoutingCondition, t: RoutedFields, look: Lookups): Promise<boolean> {
  switch (c.field) {
    case 'type':
      return c.in.includes(t.type);
    case 'category': {
      if (t.categoryId === null) return false;
      if (!c.includeSubcategories) return c.in.includes(t.categoryId);
      const line = await look.categoryLine(t.categoryId);
      return line.some((id) => c.in.includes(id));
    }
    case 'words': {
      const text =
        c.in === 'title' ? t.title : c.in === 'description' ? t.description : `${t.title}\n${t.description}`;
      return c.match === 'all'
        ? c.words.every((w) => containsWords(text, w))
        : c.words.some((w) => containsWords(text, w));
    }
    case 'requesterTeam': {
      const teams = await look.requesterTeams(t.requesterId);
      return teams.some((id) => c.in.includes(id));
    }
    case 'asset':
      return assetMatcher ? assetMatcher(db, t.id, c.in) : false;
  }
}
