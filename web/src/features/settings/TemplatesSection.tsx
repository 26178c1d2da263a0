import { useState, type FormEvent } from 'react';
import type { TicketTemplate, TicketType } from '@contracts';
import { useT } from '../../i18n';
import {
  ConfirmButton,
  Empty,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  useFieldErrors,
} from '../../ui';
import { useUserOptions } from '../users/api';
import { CategoryOptions } from '../tickets/parts';
import {
  appliesTo,
  FieldInputs,
  fieldErrors,
  toValues,
  useFieldDefs,
  type FieldDraft,
} from '../tickets/fields';
import { useRecurrenceAdmin, useTemplateAdmin } from './api';

const TYPES: TicketType[] = ['incident', 'request', 'problem'];

/** Adds a template: what a ticket opened from it starts with. */
function TemplateForm({ admin }: { admin: ReturnType<typeof useTemplateAdmin> }) {
  const t = useT();
  const [name, setName] = useState('');
  const [type, setType] = useState<TicketType>('request');
  const [categoryId, setCategoryId] = useState('');
  const [priority, setPriority] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [draft, setDraft] = useState<FieldDraft>({});
  const defs = (useFieldDefs().data ?? []).filter((f) => appliesTo(f, type, categoryId));
  const { bind, summary } = useFieldErrors(admin.create.error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    admin.create.mutate(
      {
        name,
        type,
        categoryId: categoryId || null,
        teamId: null,
        priority: priority ? Number(priority) : null,
        title,
        description,
        fields: toValues(defs, draft),
      },
      { onSuccess: () => (setName(''), setTitle(''), setDescription(''), setDraft({})) },
    );
  };
  return (
    <form className="form" onSubmit={send} noValidate aria-label={t('templatesAdmin.add')}>
      <FormError error={summary} title={t('users.notSaved')} />
      <div className="form-row">
        <TextField label={t('common.name')} maxLength={100} {...bind('name', name, setName)} />
        <SelectField
          label={t('templatesAdmin.type')}
          value={type}
          onChange={(e) => setType(e.target.value as TicketType)}
        >
          {TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`ticket.type.${ty}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('templatesAdmin.category')} {...bind('categoryId', categoryId, setCategoryId)}>
          <option value="">{t('templatesAdmin.anyCategory')}</option>
          <CategoryOptions />
        </SelectField>
        <SelectField label={t('templatesAdmin.priority')} {...bind('priority', priority, setPriority)}>
          <option value="">{t('templatesAdmin.matrix')}</option>
          {[1, 2, 3, 4, 5, 6].map((p) => (
            <option key={p} value={p}>
              P{p}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField label={t('templatesAdmin.title')} maxLength={200} {...bind('title', title, setTitle)} />
      <TextField
        label={t('templatesAdmin.description')}
        {...bind('description', description, setDescription)}
      />
      <FieldInputs
        fields={defs}
        draft={draft}
        onChange={setDraft}
        errorOf={fieldErrors(admin.create.error)}
      />
      <FormActions submit={t('templatesAdmin.add')} busy={admin.create.isPending} />
    </form>
  );
}

/** Adds a schedule: a template opened daily, weekly or monthly for a requester. */
function ScheduleForm({ templates }: { templates: readonly TicketTemplate[] }) {
  const t = useT();
  const admin = useRecurrenceAdmin();
  const users = (useUserOptions().data ?? []).filter((u) => u.active);
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [requesterId, setRequesterId] = useState('');
  const [frequency, setFrequency] = useState<'daily' | 'weekly' | 'monthly'>('monthly');
  const [day, setDay] = useState('1');
  const [hour, setHour] = useState('8');
  const { bind, summary } = useFieldErrors(admin.create.error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    admin.create.mutate(
      {
        name,
        templateId,
        requesterId,
        timezone: 'UTC',
        enabled: true,
        rule: {
          frequency,
          hour: Number(hour),
          minute: 0,
          ...(frequency === 'daily' ? {} : { day: Number(day) }),
        },
      },
      { onSuccess: () => setName('') },
    );
  };
  const list = admin.list.data ?? [];
  return (
    <Panel title={t('schedules.title')}>
      <ErrorAlert error={admin.list.error ?? admin.remove.error} />
      {list.length === 0 ? (
        <Empty>{t('schedules.none')}</Empty>
      ) : (
        <ul className="rule-list" aria-label={t('schedules.title')}>
          {list.map((r) => (
            <li key={r.id}>
              <div className="rule-summary">
                <strong>{r.name}</strong>
                <p className="muted">
                  {t('schedules.summary', {
                    template: r.templateName,
                    requester: r.requesterName,
                    next: new Date(r.nextRunAt).toLocaleString(),
                    last: r.lastTicketKey ?? '—',
                  })}
                </p>
              </div>
              <ConfirmButton
                confirmLabel={t('settings.confirmDelete')}
                onConfirm={() => admin.remove.mutate(r)}
              >
                {t('common.delete')}
              </ConfirmButton>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={send} noValidate aria-label={t('schedules.add')}>
        <FormError error={summary} title={t('users.notSaved')} />
        <div className="form-row">
          <TextField label={t('common.name')} maxLength={100} {...bind('name', name, setName)} />
          <SelectField label={t('schedules.template')} {...bind('templateId', templateId, setTemplateId)}>
            <option value="">—</option>
            {templates.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('schedules.requester')} {...bind('requesterId', requesterId, setRequesterId)}>
            <option value="">—</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <SelectField
            label={t('schedules.frequency')}
            value={frequency}
            onChange={(e) => setFrequency(e.target.value as typeof frequency)}
          >
            <option value="daily">{t('schedules.daily')}</option>
            <option value="weekly">{t('schedules.weekly')}</option>
            <option value="monthly">{t('schedules.monthly')}</option>
          </SelectField>
          {frequency !== 'daily' && (
            <TextField
              label={frequency === 'weekly' ? t('schedules.weekday') : t('schedules.dayOfMonth')}
              type="number"
              min={1}
              max={frequency === 'weekly' ? 7 : 28}
              {...bind('rule', day, setDay)}
            />
          )}
          <TextField
            label={t('schedules.hour')}
            type="number"
            min={0}
            max={23}
            value={hour}
            onChange={(e) => setHour(e.target.value)}
          />
        </div>
        <FormActions submit={t('schedules.add')} busy={admin.create.isPending} />
      </form>
    </Panel>
  );
}

/** Settings → Templates: ticket presets agents start from, and the schedules that open them. */
export function TemplatesSection() {
  const t = useT();
  const admin = useTemplateAdmin();
  const list = admin.list.data ?? [];
  return (
    <>
      <PageHeader
        title={t('settings.section.templates')}
        description={t('settings.section.templates.about')}
      />
      <Panel title={t('templatesAdmin.list')}>
        <ErrorAlert error={admin.list.error ?? admin.remove.error} />
        {admin.list.isPending ? (
          <Loading />
        ) : list.length === 0 ? (
          <Empty>{t('templatesAdmin.none')}</Empty>
        ) : (
          <ul className="rule-list" aria-label={t('templatesAdmin.list')}>
            {list.map((x) => (
              <li key={x.id}>
                <div className="rule-summary">
                  <strong>{x.name}</strong>
                  <p className="muted">{`${t(`ticket.type.${x.type}`)} · ${x.title}`}</p>
                </div>
                <ConfirmButton
                  confirmLabel={t('settings.confirmDelete')}
                  onConfirm={() => admin.remove.mutate(x)}
                >
                  {t('common.delete')}
                </ConfirmButton>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={t('templatesAdmin.add')}>
        <TemplateForm admin={admin} />
      </Panel>
      <ScheduleForm templates={list} />
    </>
  );
}
