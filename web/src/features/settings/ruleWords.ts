// Routing rules in words, for the list and the test results, in the user's language.
import type { AssignmentStrategy, Category, RoutingActions, RoutingCondition, Team, User } from '@contracts';
import type { Translate } from '../../i18n';
import { activeFormatTag } from '../../i18n/locale';
import { TYPE_LABEL } from '../tickets/labels';
import { priorityName } from '../../ui';

/** The names rules refer to by id. */
export interface Names {
  teams: readonly Team[];
  categories: readonly Category[];
  people: readonly User[];
}

const nameIn = (
  t: Translate,
  list: readonly { id: string; name: string }[],
  id: string,
  what: 'category' | 'team' | 'person',
) => list.find((x) => x.id === id)?.name ?? t(`rule.deleted.${what}`);

/** "a, b or c" / "a, b oder c": the language's own way of listing alternatives. */
const or = (parts: string[]) => new Intl.ListFormat(activeFormatTag(), { type: 'disjunction' }).format(parts);
const and = (parts: string[]) =>
  new Intl.ListFormat(activeFormatTag(), { type: 'conjunction' }).format(parts);

/** One condition, e.g. "the title or description mentions “vpn” or “wifi”". */
export function conditionText(c: RoutingCondition, n: Names, t: Translate): string {
  switch (c.field) {
    case 'type':
      return t('rule.cond.type', { types: or(c.in.map((type) => t(TYPE_LABEL[type]))) });
    case 'category':
      return t('rule.cond.category', {
        categories: or(c.in.map((id) => nameIn(t, n.categories, id, 'category'))),
        below: c.includeSubcategories ? 'yes' : 'no',
      });
    case 'words': {
      const words = c.words.map((w) => `“${w}”`);
      return t('rule.cond.words', { where: c.in, words: c.match === 'all' ? and(words) : or(words) });
    }
    case 'requesterTeam':
      return t('rule.cond.requesterTeam', { teams: or(c.in.map((id) => nameIn(t, n.teams, id, 'team'))) });
    case 'asset':
      return t('rule.cond.asset', { count: c.in.length });
  }
}

/** What a rule does, e.g. "team Network, priority P4 · High". */
export function actionsText(a: RoutingActions, n: Names, t: Translate): string {
  return [
    a.setTeam && t('rule.act.team', { name: nameIn(t, n.teams, a.setTeam, 'team') }),
    a.setAgent && t('rule.act.agent', { name: nameIn(t, n.people, a.setAgent, 'person') }),
    a.setPriority && t('rule.act.priority', { priority: priorityName(t, a.setPriority) }),
    a.setCategory && t('rule.act.category', { name: nameIn(t, n.categories, a.setCategory, 'category') }),
    a.addWatchers && t('rule.act.watchers', { count: a.addWatchers.length }),
  ]
    .filter(Boolean)
    .join(', ');
}

/** The assignment strategies, in the order they are offered (their words: `assignment.strategy.<name>`). */
export const STRATEGIES = [
  'none',
  'round_robin',
  'fewest_open',
] as const satisfies readonly AssignmentStrategy[];
