import { useState } from 'react';
import { Alert, Button, ErrorAlert, SelectField } from '../../ui';
import { useApplyMacro, useMacros } from './macros';

/**
 * Applies one of the agent's macros to the ticket in one click: its reply and its field changes together
 * (nothing happens if any part is refused). Shown only when the agent has macros.
 */
export function MacroPicker({ ticketId }: { ticketId: string }) {
  const macros = useMacros();
  const apply = useApplyMacro(ticketId);
  const [chosen, setChosen] = useState('');
  const items = macros.data ?? [];
  if (items.length === 0) return null;
  const picked = items.find((m) => m.id === chosen);
  return (
    <div className="stack">
      <div className="macro-picker">
        <SelectField label="Macro" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">Choose a macro…</option>
          {items.map((m) => (
            <option key={m.id} value={m.id}>
              {m.scope === 'team' ? `${m.name} (${m.teamName ?? 'team'})` : m.name}
            </option>
          ))}
        </SelectField>
        <Button
          size="sm"
          disabled={picked === undefined}
          busy={apply.isPending}
          onClick={() => picked && apply.mutate(picked.id, { onSuccess: () => setChosen('') })}
        >
          Apply macro
        </Button>
      </div>
      <ErrorAlert error={apply.error} title="The macro was not applied" />
      {apply.isSuccess && !apply.isPending && <Alert tone="success">Macro applied.</Alert>}
    </div>
  );
}
