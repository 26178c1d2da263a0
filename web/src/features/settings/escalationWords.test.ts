import { describe, expect, it } from 'vitest';
import type { EscalationAction } from '@contracts';
import { setActiveLocale } from '../../i18n/locale';
import { translator } from '../../i18n/translate';
import { actionChoices as choicesIn, actionText as textIn, addAction } from './escalationWords';

const en = translator('en');
const actionText = (a: EscalationAction, n: (id: string) => string) => textIn(en, a, n);
const actionChoices = (teams: { id: string; name: string }[]) => choicesIn(en, teams);

const TEAM = '0b7c6a52-1d7e-4c8e-9a55-2a1f3e7d9c10';
const name = (id: string) => (id === TEAM ? 'Network' : 'another team');

describe('escalation actions in words', () => {
  it('says what each action does, naming teams and audiences, never ids', () => {
    expect(actionText({ kind: 'notify', to: ['assignee', 'managers'] }, name)).toBe(
      'Notify the assignee and the managers',
    );
    expect(actionText({ kind: 'notify', to: ['team', TEAM] }, name)).toBe(
      "Notify the team's members and one named person",
    );
    expect(actionText({ kind: 'reassign', teamId: TEAM }, name)).toBe('Hand the ticket to Network');
    expect(actionText({ kind: 'raise_priority', by: 1, max: 5 }, name)).toMatch(
      /^Raise the priority one step, at most to P\d/,
    );
  });

  it('offers an action per audience, raising the priority, and one per team', () => {
    const c = actionChoices([{ id: TEAM, name: 'Network' }]);
    expect(c.map((x) => x.label)).toContain('Hand the ticket to Network');
    expect(c.map((x) => x.label)).toContain('Notify the managers');
    expect(new Set(c.map((x) => x.value)).size).toBe(c.length);
  });

  it('says them in German too', () => {
    const de = translator('de');
    setActiveLocale('de'); // lists ("A und B") follow the app's language
    try {
      expect(textIn(de, { kind: 'notify', to: ['assignee', 'managers'] }, name)).toBe(
        'Die zuständige Person und die Manager benachrichtigen',
      );
    } finally {
      setActiveLocale('en');
    }
    expect(textIn(de, { kind: 'raise_priority', by: 2, max: 5 }, name)).toBe(
      'Die Priorität um 2 Stufen erhöhen, höchstens auf P1 · Kritisch',
    );
  });

  it('joins notifications into one line, and appends other actions', () => {
    const one = addAction([], { kind: 'notify', to: ['assignee'] });
    const two = addAction(one, { kind: 'notify', to: ['managers'] });
    expect(two).toEqual([{ kind: 'notify', to: ['assignee', 'managers'] }]);
    expect(addAction(two, { kind: 'reassign', teamId: TEAM })).toHaveLength(2);
  });
});
