import type { FormEvent, ReactNode } from 'react';
import { DEFAULT_BACKUP_PATHS } from '@contracts';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../ui';
import { useT } from '../../i18n';
import { KEEPS, messageAt, type PolicyDraft, type RpoUnit } from './drafts';

const OS: { key: 'linux' | 'windows' | 'macos'; label: string }[] = [
  { key: 'linux', label: 'Linux' },
  { key: 'windows', label: 'Windows' },
  { key: 'macos', label: 'macOS' },
];

type TextKey = { [K in keyof PolicyDraft]: PolicyDraft[K] extends string ? K : never }[keyof PolicyDraft];

/** A policy's fields: name, schedule, folders per system, what to leave out, what to keep, RPO, upload limit. */
export function PolicyForm({
  draft,
  set,
  error,
  label,
  onSubmit,
  actions,
}: {
  draft: PolicyDraft;
  set: (d: PolicyDraft) => void;
  error: unknown;
  label: string;
  onSubmit: () => void;
  actions: ReactNode;
}) {
  const t = useT();
  const text = (key: TextKey, path: string = key) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set({ ...draft, [key]: e.target.value }),
    error: messageAt(error, path),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="form policy-form" onSubmit={submit} noValidate aria-label={label}>
      <TextField label={t('common.name')} maxLength={120} {...text('name')} />
      <fieldset className="policy-fieldset">
        <legend>{t('backup.policies.schedule')}</legend>
        <SelectField
          label={t('backup.form.runs')}
          value={draft.scheduleKind}
          onChange={(e) => set({ ...draft, scheduleKind: e.target.value as PolicyDraft['scheduleKind'] })}
        >
          <option value="cron">{t('backup.form.runs.cron')}</option>
          <option value="working_hours">{t('backup.form.runs.workingHours')}</option>
        </SelectField>
        {draft.scheduleKind === 'cron' ? (
          <TextField
            label={t('backup.form.cron')}
            hint={t('backup.form.cronHint')}
            spellCheck={false}
            {...text('cron', 'schedule')}
          />
        ) : (
          <>
            <div className="form-row-3">
              <TextField
                label={t('backup.form.everyHours')}
                inputMode="numeric"
                {...text('everyHours', 'schedule.everyHours')}
              />
              <TextField
                label={t('backup.form.fromHour')}
                inputMode="numeric"
                {...text('fromHour', 'schedule.fromHour')}
              />
              <TextField
                label={t('backup.form.toHour')}
                inputMode="numeric"
                {...text('toHour', 'schedule.toHour')}
              />
            </div>
            <SelectField
              label={t('backup.form.days')}
              value={draft.days}
              onChange={(e) => set({ ...draft, days: e.target.value as PolicyDraft['days'] })}
            >
              <option value="mon-fri">{t('backup.schedule.days.monFri')}</option>
              <option value="mon-sat">{t('backup.schedule.days.monSat')}</option>
              <option value="every day">{t('backup.form.everyDay')}</option>
            </SelectField>
          </>
        )}
        <TextField
          label={t('backup.form.timeZone')}
          hint={t('backup.form.timeZoneHint')}
          spellCheck={false}
          {...text('timeZone', 'schedule.timeZone')}
        />
      </fieldset>
      <fieldset className="policy-fieldset">
        <legend>{t('backup.form.folders')}</legend>
        <div className="form-row-3">
          {OS.map((os) => (
            <TextAreaField
              key={os.key}
              label={os.label}
              rows={3}
              spellCheck={false}
              hint={t('backup.form.default', { list: DEFAULT_BACKUP_PATHS[os.key].join(', ') })}
              value={draft.paths[os.key]}
              onChange={(e) => set({ ...draft, paths: { ...draft.paths, [os.key]: e.target.value } })}
              error={messageAt(error, `paths.${os.key}`)}
            />
          ))}
        </div>
      </fieldset>
      <fieldset className="policy-fieldset">
        <legend>{t('backup.form.leaveOut')}</legend>
        <TextAreaField
          label={t('backup.form.patterns')}
          hint={t('backup.form.patternsHint')}
          rows={3}
          spellCheck={false}
          {...text('excludes')}
        />
        <CheckboxField
          label={t('backup.form.caches')}
          hint={t('backup.form.cachesHint')}
          checked={draft.excludeCaches}
          onChange={(e) => set({ ...draft, excludeCaches: e.target.checked })}
        />
        <TextField
          label={t('backup.form.larger')}
          hint={t('backup.form.largerHint')}
          inputMode="decimal"
          {...text('excludeLargerThanMB', 'excludeLargerThan')}
        />
      </fieldset>
      <fieldset className="policy-fieldset">
        <legend>{t('backup.form.keep')}</legend>
        <div className="form-row-3">
          {KEEPS.map((k) => (
            <TextField
              key={k.key}
              label={t(`backup.form.keep.${k.key}`)}
              inputMode="numeric"
              value={draft.keep[k.key]}
              onChange={(e) => set({ ...draft, keep: { ...draft.keep, [k.key]: e.target.value } })}
              error={messageAt(error, `retention.${k.key}`)}
            />
          ))}
        </div>
        <TextField
          label={t('backup.form.within')}
          hint={t('backup.form.withinHint')}
          spellCheck={false}
          {...text('keepWithin', 'retention')}
        />
      </fieldset>
      <div className="form-row">
        <TextField
          label={t('backup.form.rpo')}
          hint={t('backup.form.rpoHint')}
          inputMode="numeric"
          {...text('rpo', 'rpoMinutes')}
        />
        <SelectField
          label={t('backup.form.unit')}
          value={draft.rpoUnit}
          onChange={(e) => set({ ...draft, rpoUnit: e.target.value as RpoUnit })}
        >
          <option value="minutes">{t('backup.form.unit.minutes')}</option>
          <option value="hours">{t('backup.form.unit.hours')}</option>
          <option value="days">{t('backup.form.unit.days')}</option>
        </SelectField>
      </div>
      <TextField
        label={t('backup.form.upload')}
        hint={t('backup.form.uploadHint')}
        inputMode="numeric"
        {...text('uploadLimitKiB')}
      />
      {actions}
    </form>
  );
}
