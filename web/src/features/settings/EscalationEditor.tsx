import { useState } from 'react';
import type { EscalationAction } from '@contracts';
import { useT } from '../../i18n';
import { Button, SelectField } from '../../ui';
import { useAllTeams } from '../teams/api';
import { actionChoices, actionText, addAction } from './escalationWords';

/**
 * The actions an SLA policy takes at a warning or a breach, as sentences with Remove, and a list to add one
 * (notify an audience, raise the priority, hand the ticket to a team).
 */
export function EscalationEditor({
  at,
  value,
  onChange,
}: {
  /** Which moment of the clock the actions are for. */
  at: 'warning' | 'breach';
  value: readonly EscalationAction[];
  onChange: (v: EscalationAction[]) => void;
}) {
  const t = useT();
  const teams = useAllTeams().data ?? [];
  const names = new Map(teams.map((team) => [team.id, team.name]));
  const choices = actionChoices(t, teams);
  const [chosen, setChosen] = useState('');
  const picked = choices.find((c) => c.value === chosen);
  return (
    <fieldset className="stack-sm">
      <legend className="field-label">{t(at === 'warning' ? 'esc.atWarning' : 'esc.atBreach')}</legend>
      {value.length === 0 ? (
        <p className="field-hint">{t('esc.nothing')}</p>
      ) : (
        <ul className="stack-sm">
          {value.map((a, i) => (
            <li key={i} className="inline-form">
              <span>{actionText(t, a, (id) => names.get(id) ?? t('esc.anotherTeam'))}</span>
              <Button size="sm" variant="ghost" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                {t('esc.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline-form">
        <SelectField
          label={t(at === 'warning' ? 'esc.addAtWarning' : 'esc.addAtBreach')}
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
        >
          <option value="">{t('esc.choose')}</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <Button
          size="sm"
          disabled={picked === undefined || value.length >= 10}
          onClick={() => {
            if (!picked) return;
            onChange(addAction(value, picked.action));
            setChosen('');
          }}
        >
          {t('esc.add')}
        </Button>
      </div>
    </fieldset>
  );
}
