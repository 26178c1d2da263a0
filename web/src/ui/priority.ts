// Priority as every page shows it ("P1 · Critical"): the same scale as notifications and e-mail, in the
// user's language.
import type { Translate } from '../i18n';

export { priorityLabel, PRIORITIES_BY_URGENCY, PRIORITY_NAMES } from '@contracts';

const NAME = {
  6: 'priority.p6',
  5: 'priority.p5',
  4: 'priority.p4',
  3: 'priority.p3',
  2: 'priority.p2',
  1: 'priority.p1',
} as const;

/** The name of stored priority `p` in the user's language, e.g. 5 → "P1 · Critical" / "P1 · Kritisch". */
export function priorityName(t: Translate, p: number): string {
  const key = NAME[p as keyof typeof NAME] as (typeof NAME)[keyof typeof NAME] | undefined;
  return key === undefined ? t('priority.other', { p }) : t(key);
}
