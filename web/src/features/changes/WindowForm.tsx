import { type FormEvent, useState } from 'react';
import type { ChangeWindow } from '@contracts';
import { useT } from '../../i18n';
import { Button, FormActions, FormError, SelectField, TextField, ItemPicker, fieldErrorsOf } from '../../ui';
import { localInput } from './parts';
import './changes.css';

/** What the window form edits (times as local date-time input values). */
export interface WindowDraft {
  kind: 'maintenance' | 'blackout';
  name: string;
  ci: { id: string; name: string } | null;
  start: string;
  end: string;
}

/** A window as the form starts with it (a blackout of every item for a new one, unless told otherwise). */
export function windowDraftOf(x?: ChangeWindow, kind: WindowDraft['kind'] = 'blackout'): WindowDraft {
  return {
    kind: x?.kind ?? kind,
    name: x?.name ?? '',
    ci: x?.ciId ? { id: x.ciId, name: x.ciName ?? '' } : null,
    start: x ? localInput(x.startsAt) : '',
    end: x ? localInput(x.endsAt) : '',
  };
}

/** Choosing the item a window is for: a search by name, tag or serial, or (blackouts) every item. */
function ItemChoice({
  value,
  onChange,
  error,
  everything,
}: {
  value: WindowDraft['ci'];
  onChange: (ci: WindowDraft['ci']) => void;
  error: string | undefined;
  everything: boolean;
}) {
  const t = useT();
  if (value)
    return (
      <div className="stack-sm">
        <p>
          {t('changes.windowItem')}: <strong>{value.name}</strong>
        </p>
        <div>
          <Button size="sm" onClick={() => onChange(null)}>
            {everything ? t('changes.everyItemInstead') : t('changes.otherItem')}
          </Button>
        </div>
      </div>
    );
  return (
    <div className="stack-sm">
      {everything && <p>{t('changes.windowEveryItem')}</p>}
      <ItemPicker
        error={error}
        onPick={onChange}
        words={{
          label: everything ? t('changes.limitToItem') : t('changes.findItem'),
          placeholder: t('changes.findItemPlaceholder'),
          results: t('changes.itemsFound'),
          noMatch: t('changes.noItemMatches'),
          button: t('changes.choose'),
          buttonLabel: (name) => t('changes.chooseItem', { name }),
        }}
      />
    </div>
  );
}

/**
 * The fields of a maintenance window or blackout. What it is and which item it covers are chosen when it is
 * made; afterwards its name and times are edited.
 */
export function WindowForm({
  initial,
  isNew,
  submitLabel,
  errorTitle,
  busy,
  error,
  onSubmit,
}: {
  initial: WindowDraft;
  isNew: boolean;
  submitLabel: string;
  errorTitle: string;
  busy: boolean;
  error: unknown;
  onSubmit: (d: WindowDraft) => void;
}) {
  const t = useT();
  const [d, setD] = useState(initial);
  // Times left empty are named here: the server would only say that null is not a date-time.
  const [missing, setMissing] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(error), ...missing };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m: Record<string, string> = {};
    if (!d.start) m.startsAt = t('changes.required');
    if (!d.end) m.endsAt = t('changes.required');
    setMissing(m);
    if (Object.keys(m).length === 0) onSubmit(d);
  };
  return (
    <form className="form" noValidate aria-label={t('changes.window')} onSubmit={submit}>
      <FormError error={error} title={errorTitle} />
      {Object.keys(missing).length > 0 && <p className="field-error">{t('common.fixFields')}</p>}
      {isNew && (
        <SelectField
          label={t('changes.windowKind')}
          value={d.kind}
          error={errors.kind}
          onChange={(e) => setD({ ...d, kind: e.target.value as WindowDraft['kind'] })}
        >
          <option value="blackout">{t('changes.blackout')}</option>
          <option value="maintenance">{t('changes.maintenanceWindow')}</option>
        </SelectField>
      )}
      <TextField
        label={t('common.name')}
        required
        value={d.name}
        error={errors.name}
        onChange={(e) => setD({ ...d, name: e.target.value })}
      />
      {isNew ? (
        <ItemChoice
          value={d.ci}
          onChange={(ci) => setD({ ...d, ci })}
          error={errors.ciId}
          everything={d.kind === 'blackout'}
        />
      ) : (
        <p>
          {t('changes.windowItem')}: <strong>{d.ci?.name ?? t('changes.everyItem')}</strong>
        </p>
      )}
      <div className="row">
        <TextField
          label={t('changes.starts')}
          type="datetime-local"
          required
          value={d.start}
          error={errors.startsAt}
          onChange={(e) => setD({ ...d, start: e.target.value })}
        />
        <TextField
          label={t('changes.ends')}
          type="datetime-local"
          required
          value={d.end}
          error={errors.endsAt}
          onChange={(e) => setD({ ...d, end: e.target.value })}
        />
      </div>
      <FormActions submit={submitLabel} busy={busy} cancelTo="/changes/windows" />
    </form>
  );
}
