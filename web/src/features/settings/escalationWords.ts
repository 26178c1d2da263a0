/**
 * SLA escalation actions in words, and the choices the policy form offers to add one. Pure functions, so the
 * wording is tested without a browser.
 */
import type { EscalationAction } from '@contracts';
import { priorityLabel } from '../../ui';

const AUDIENCE: Record<string, string> = {
  assignee: 'the assignee',
  team: "the team's members",
  managers: 'the managers',
  requester: 'the requester',
};

/** One action as a sentence: "Notify the assignee and the managers", "Hand to Network", "Raise the priority…". */
export function actionText(a: EscalationAction, teamName: (id: string) => string): string {
  switch (a.kind) {
    case 'notify': {
      const named = a.to.filter((t) => AUDIENCE[t] === undefined).length;
      const who = a.to.filter((t) => AUDIENCE[t] !== undefined).map((t) => AUDIENCE[t]!);
      if (named > 0) who.push(named === 1 ? 'one named person' : `${named} named people`);
      return `Notify ${who.length > 1 ? `${who.slice(0, -1).join(', ')} and ${who.at(-1)}` : who[0]}`;
    }
    case 'reassign':
      return `Hand the ticket to ${teamName(a.teamId)}`;
    case 'raise_priority':
      return `Raise the priority ${a.by === 1 ? 'one step' : `${a.by} steps`}, at most to ${priorityLabel(a.max)}`;
  }
}

/** A choice of the "Add an action" list: its value and the action it adds. */
export interface ActionChoice {
  value: string;
  label: string;
  action: EscalationAction;
}

/** What can be added: notify each audience, raise the priority one step, hand to each team. */
export function actionChoices(teams: readonly { id: string; name: string }[]): ActionChoice[] {
  return [
    ...Object.entries(AUDIENCE).map(([k, label]): ActionChoice => ({
      value: `notify:${k}`,
      label: `Notify ${label}`,
      action: { kind: 'notify', to: [k] },
    })),
    {
      value: 'raise',
      label: 'Raise the priority one step',
      action: { kind: 'raise_priority', by: 1, max: 5 },
    },
    ...teams.map((t): ActionChoice => ({
      value: `team:${t.id}`,
      label: `Hand the ticket to ${t.name}`,
      action: { kind: 'reassign', teamId: t.id },
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
