import { useState } from 'react';
import type { EscalationAction } from '@contracts';
import { Button, SelectField } from '../../ui';
import { useAllTeams } from '../teams/api';
import { actionChoices, actionText, addAction } from './escalationWords';

/**
 * The actions an SLA policy takes at a warning or a breach, as sentences with Remove, and a list to add one
 * (notify an audience, raise the priority, hand the ticket to a team).
 */
export function EscalationEditor({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: readonly EscalationAction[];
  onChange: (v: EscalationAction[]) => void;
}) {
  const teams = useAllTeams().data ?? [];
  const names = new Map(teams.map((t) => [t.id, t.name]));
  const choices = actionChoices(teams);
  const [chosen, setChosen] = useState('');
  const picked = choices.find((c) => c.value === chosen);
  return (
    <fieldset className="stack-sm">
      <legend className="field-label">{legend}</legend>
      {value.length === 0 ? (
        <p className="field-hint">Nothing happens but the clock's state.</p>
      ) : (
        <ul className="stack-sm">
          {value.map((a, i) => (
            <li key={i} className="inline-form">
              <span>{actionText(a, (id) => names.get(id) ?? 'another team')}</span>
              <Button size="sm" variant="ghost" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline-form">
        <SelectField
          label={`Add an action ${legend.toLowerCase()}`}
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
        >
          <option value="">Choose an action…</option>
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
          Add
        </Button>
      </div>
    </fieldset>
  );
}
