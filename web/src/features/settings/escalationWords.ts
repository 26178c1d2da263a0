/**
 * SLA escalation actions in words, and the choices the policy form offers to add one. Pure functions, so the
 * wording is tested without a browser.
 */
import type { EscalationAction } from '@contracts';
import type { MessageKey, Translate } from '../../i18n';
import { activeFormatTag } from '../../i18n/locale';
import { capitalise, priorityName } from '../../ui';

const AUDIENCE: Record<string, MessageKey> = {
  assignee: 'esc.audience.assignee',
  team: 'esc.audience.team',
  managers: 'esc.audience.managers',
  requester: 'esc.audience.requester',
};

/** "a, b and c" / "a, b und c": the language's own way of listing. */
const and = (parts: string[]) =>
  new Intl.ListFormat(activeFormatTag(), { type: 'conjunction' }).format(parts);

/** One action as a sentence: "Notify the assignee and the managers", "Hand to Network", "Raise the priority…". */
export function actionText(t: Translate, a: EscalationAction, teamName: (id: string) => string): string {
  switch (a.kind) {
    case 'notify': {
      const named = a.to.filter((x) => AUDIENCE[x] === undefined).length;
      const who = a.to.flatMap((x) => {
        const key = AUDIENCE[x];
        return key === undefined ? [] : [t(key)];
      });
      if (named > 0) who.push(t('esc.named', { count: named }));
      // German puts the audience first: "Die Manager benachrichtigen"
      return capitalise(t('esc.notify', { who: and(who) }));
    }
    case 'reassign':
      return t('esc.reassign', { team: teamName(a.teamId) });
    case 'raise_priority':
      return t('esc.raise', { by: a.by, max: priorityName(t, a.max) });
  }
}

/** A choice of the "Add an action" list: its value and the action it adds. */
export interface ActionChoice {
  value: string;
  label: string;
  action: EscalationAction;
}

/** What can be added: notify each audience, raise the priority one step, hand to each team. */
export function actionChoices(t: Translate, teams: readonly { id: string; name: string }[]): ActionChoice[] {
  return [
    ...Object.entries(AUDIENCE).map(([key, label]): ActionChoice => ({
      value: `notify:${key}`,
      label: capitalise(t('esc.notify', { who: t(label) })),
      action: { kind: 'notify', to: [key] },
    })),
    {
      value: 'raise',
      label: t('esc.raiseOne'),
      action: { kind: 'raise_priority', by: 1, max: 5 },
    },
    ...teams.map((team): ActionChoice => ({
      value: `team:${team.id}`,
      label: t('esc.reassign', { team: team.name }),
      action: { kind: 'reassign', teamId: team.id },
    })),
  ];
}

/** Adds an action to a list: a notify joins an existing notify (one line "Notify A and B"), others append. */
export function addAction(list: readonly EscalationAction[], a: EscalationAction): EscalationAction[] {
  if (a.kind === 'notify') {
    const i = list.findIndex((x) => x.kind === 'notify');
    const existing = list[i];
    if (existing?.kind === 'notify') {
      const to = [...new Set([...existing.to, ...a.to])];
      return list.map((x, j) => (j === i ? { kind: 'notify', to } : x));
    }
  }
  return [...list, a];
}
