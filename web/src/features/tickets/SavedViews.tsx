import { useState, type FormEvent } from 'react';
import type { TicketFilter } from '@contracts';
import { useT } from '../../i18n';
import { Button, ConfirmButton, ErrorAlert, SelectField, TextField, fieldErrorsOf } from '../../ui';
import { useCreateView, useDeleteView, useSavedViews } from './api';

/** Saved views: pick one (its filters replace the current ones), save the current filters, delete. */
export function SavedViews({
  filter,
  onPick,
}: {
  filter: TicketFilter;
  onPick: (filter: TicketFilter) => void;
}) {
  const t = useT();
  const views = useSavedViews();
  const create = useCreateView();
  const remove = useDeleteView();
  const [current, setCurrent] = useState('');
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const chosen = (views.data ?? []).find((v) => v.id === current);

  const onSave = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name, filters: filter },
      {
        onSuccess: (v) => {
          setCurrent(v.id);
          setNaming(false);
          setName('');
        },
      },
    );
  };

  return (
    <div className="views-bar">
      <SelectField
        label={t('views.saved')}
        value={current}
        onChange={(e) => {
          setCurrent(e.target.value);
          const v = (views.data ?? []).find((x) => x.id === e.target.value);
          if (v !== undefined) onPick(v.filters);
        }}
      >
        <option value="">{views.isPending ? t('common.loading') : t('views.choose')}</option>
        {(views.data ?? []).map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </SelectField>
      {chosen !== undefined && (
        <ConfirmButton
          confirmLabel={t('views.confirmDelete')}
          busy={remove.isPending}
          onConfirm={() => remove.mutate(chosen.id, { onSuccess: () => setCurrent('') })}
        >
          {t('views.delete')}
        </ConfirmButton>
      )}
      {naming ? (
        <form className="inline-form" onSubmit={onSave} aria-label={t('views.save')} noValidate>
          <TextField
            label={t('views.name')}
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            error={fieldErrorsOf(create.error).name}
          />
          <Button
            type="submit"
            size="sm"
            variant="primary"
            busy={create.isPending}
            disabled={name.trim() === ''}
          >
            {t('common.save')}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setNaming(false)}>
            {t('common.cancel')}
          </Button>
        </form>
      ) : (
        <Button size="sm" onClick={() => setNaming(true)}>
          {t('views.saveCurrent')}
        </Button>
      )}
      <ErrorAlert error={remove.error ?? (fieldErrorsOf(create.error).name ? null : create.error)} />
    </div>
  );
}
