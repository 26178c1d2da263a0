// Routing rules in words, for the list and the test results.
import type { Category, RoutingActions, RoutingCondition, Team, User } from '@contracts';
import { priorityLabel, TYPE_LABEL } from '../tickets/labels';

/** The names rules refer to by id. */
export interface Names {
  teams: readonly Team[];
  categories: readonly Category[];
  people: readonly User[];
}

const nameIn = (list: readonly { id: string; name: string }[], id: string, what: string) =>
  list.find((x) => x.id === id)?.name ?? `a deleted ${what}`;

const or = (parts: string[]) =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;

/** One condition, e.g. "the title or description mentions “vpn” or “wifi”". */
export function conditionText(c: RoutingCondition, n: Names): string {
  switch (c.field) {
    case 'type':
      return `the type is ${or(c.in.map((t) => TYPE_LABEL[t]))}`;
    case 'category':
      return `the category is ${or(c.in.map((id) => nameIn(n.categories, id, 'category')))}${c.includeSubcategories ? ' (or below it)' : ''}`;
    case 'words': {
      const where =
        c.in === 'title'
          ? 'the title'
          : c.in === 'description'
            ? 'the description'
            : 'the title or description';
      const words = c.words.map((w) => `“${w}”`);
      return `${where} mentions ${c.match === 'all' ? words.join(' and ') : or(words)}`;
    }
    case 'requesterTeam':
      return `the requester is in ${or(c.in.map((id) => nameIn(n.teams, id, 'team')))}`;
    case 'asset':
      return `the ticket is about one of ${c.in.length} items`;
  }
}

/** What a rule does, e.g. "team Network, priority P4 · High". */
export function actionsText(a: RoutingActions, n: Names): string {
  return [
    a.setTeam && `team ${nameIn(n.teams, a.setTeam, 'team')}`,
    a.setAgent && `agent ${nameIn(n.people, a.setAgent, 'person')}`,
    a.setPriority && `priority ${priorityLabel(a.setPriority)}`,
    a.setCategory && `category ${nameIn(n.categories, a.setCategory, 'category')}`,
    a.addWatchers && `${a.addWatchers.length} watcher${a.addWatchers.length === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Strategy names. */
export const STRATEGY_LABEL = {
  none: 'Nobody automatically',
  round_robin: 'Take turns (round robin)',
  fewest_open: 'Whoever has the fewest open tickets',
} as const;
