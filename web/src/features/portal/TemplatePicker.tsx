import type { TicketTemplate } from '@contracts';
import { useT } from '../../i18n';
import { SelectField } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useTemplates } from '../tickets/fields';

/** Agents start a ticket from a template (a preset of type, category, title, text and field values). */
export function TemplatePicker({ onPick }: { onPick: (t: TicketTemplate | null) => void }) {
  const t = useT();
  const agent = useCurrentUser().role !== 'requester';
  const templates = useTemplates(agent);
  const list = templates.data ?? [];
  if (!agent || list.length === 0) return null;
  return (
    <SelectField
      label={t('templates.pick')}
      defaultValue=""
      onChange={(e) => onPick(list.find((x) => x.id === e.target.value) ?? null)}
    >
      <option value="">{t('templates.blank')}</option>
      {list.map((x) => (
        <option key={x.id} value={x.id}>
          {x.name}
        </option>
      ))}
    </SelectField>
  );
}
