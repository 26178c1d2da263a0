import { useState } from 'react';
import { useT } from '../../i18n';
import { Alert, Button, ErrorAlert, SelectField } from '../../ui';
import { useApplyMacro, useMacros } from './macros';

/**
 * Applies one of the agent's macros to the ticket in one click: its reply and its field changes together
 * (nothing happens if any part is refused). Shown only when the agent has macros.
 */
export function MacroPicker({ ticketId }: { ticketId: string }) {
  const t = useT();
  const macros = useMacros();
  const apply = useApplyMacro(ticketId);
  const [chosen, setChosen] = useState('');
  const items = macros.data ?? [];
  if (items.length === 0) return null;
  const picked = items.find((m) => m.id === chosen);
  return (
    <div className="stack">
      <div className="macro-picker">
        <SelectField
          label={t('macroPicker.macro')}
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
        >
          <option value="">{t('macroPicker.choose')}</option>
          {items.map((m) => (
            <option key={m.id} value={m.id}>
              {m.scope === 'team'
                ? t('macroPicker.teamMacro', { name: m.name, team: m.teamName ?? t('macroPicker.team') })
                : m.name}
            </option>
          ))}
        </SelectField>
        <Button
          size="sm"
          disabled={picked === undefined}
          busy={apply.isPending}
          onClick={() => picked && apply.mutate(picked.id, { onSuccess: () => setChosen('') })}
        >
          {t('macroPicker.apply')}
        </Button>
      </div>
      <ErrorAlert error={apply.error} title={t('macroPicker.notApplied')} />
      {apply.isSuccess && !apply.isPending && <Alert tone="success">{t('macroPicker.applied')}</Alert>}
    </div>
  );
}
