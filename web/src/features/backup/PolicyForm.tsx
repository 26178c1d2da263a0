import type { FormEvent, ReactNode } from 'react';
import { DEFAULT_BACKUP_PATHS } from '@contracts';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../ui';
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
      <TextField label="Name" maxLength={120} {...text('name')} />
      <fieldset className="policy-fieldset">
        <legend>Schedule</legend>
        <SelectField
          label="Runs"
          value={draft.scheduleKind}
          onChange={(e) => set({ ...draft, scheduleKind: e.target.value as PolicyDraft['scheduleKind'] })}
        >
          <option value="cron">At set times (a cron pattern)</option>
          <option value="working_hours">Every few hours within working hours</option>
        </SelectField>
        {draft.scheduleKind === 'cron' ? (
          <TextField
            label="Cron pattern"
            hint="minute hour day month weekday: “0 17 * * 5” is Fridays at 17:00, “30 12 * * *” every day at 12:30"
            spellCheck={false}
            {...text('cron', 'schedule')}
          />
        ) : (
          <>
            <div className="form-row-3">
              <TextField
                label="Every (hours)"
                inputMode="numeric"
                {...text('everyHours', 'schedule.everyHours')}
              />
              <TextField label="From hour" inputMode="numeric" {...text('fromHour', 'schedule.fromHour')} />
              <TextField label="To hour" inputMode="numeric" {...text('toHour', 'schedule.toHour')} />
            </div>
            <SelectField
              label="Days"
              value={draft.days}
              onChange={(e) => set({ ...draft, days: e.target.value as PolicyDraft['days'] })}
            >
              <option value="mon-fri">Monday to Friday</option>
              <option value="mon-sat">Monday to Saturday</option>
              <option value="every day">Every day</option>
            </SelectField>
          </>
        )}
        <TextField
          label="Time zone"
          hint="The computers’ local time, e.g. Europe/Paris, America/New_York, UTC"
          spellCheck={false}
          {...text('timeZone', 'schedule.timeZone')}
        />
      </fieldset>
      <fieldset className="policy-fieldset">
        <legend>Folders to back up, one per line</legend>
        <div className="form-row-3">
          {OS.map((os) => (
            <TextAreaField
              key={os.key}
              label={os.label}
              rows={3}
              spellCheck={false}
              hint={`Default: ${DEFAULT_BACKUP_PATHS[os.key].join(', ')}`}
              value={draft.paths[os.key]}
              onChange={(e) => set({ ...draft, paths: { ...draft.paths, [os.key]: e.target.value } })}
              error={messageAt(error, `paths.${os.key}`)}
            />
          ))}
        </div>
      </fieldset>
      <fieldset className="policy-fieldset">
        <legend>Leave out</legend>
        <TextAreaField
          label="Patterns, one per line"
          hint="As restic takes them: *.tmp, node_modules, /home/*/Downloads"
          rows={3}
          spellCheck={false}
          {...text('excludes')}
        />
        <CheckboxField
          label="Leave out cache folders"
          hint="(folders marked with CACHEDIR.TAG, as browsers and build tools do)"
          checked={draft.excludeCaches}
          onChange={(e) => set({ ...draft, excludeCaches: e.target.checked })}
        />
        <TextField
          label="Leave out files larger than (MB)"
          hint="Empty: no size limit"
          inputMode="decimal"
          {...text('excludeLargerThanMB', 'excludeLargerThan')}
        />
      </fieldset>
      <fieldset className="policy-fieldset">
        <legend>Keep snapshots</legend>
        <div className="form-row-3">
          {KEEPS.map((k) => (
            <TextField
              key={k.key}
              label={k.label}
              inputMode="numeric"
              value={draft.keep[k.key]}
              onChange={(e) => set({ ...draft, keep: { ...draft.keep, [k.key]: e.target.value } })}
              error={messageAt(error, `retention.${k.key}`)}
            />
          ))}
        </div>
        <TextField
          label="And every snapshot within"
          hint="A duration such as 30d or 1y6m; empty for none"
          spellCheck={false}
          {...text('keepWithin', 'retention')}
        />
      </fieldset>
      <div className="form-row">
        <TextField
          label="Recovery point objective"
          hint="At most this much work may be lost; past it the computer counts as breached"
          inputMode="numeric"
          {...text('rpo', 'rpoMinutes')}
        />
        <SelectField
          label="Unit"
          value={draft.rpoUnit}
          onChange={(e) => set({ ...draft, rpoUnit: e.target.value as RpoUnit })}
        >
          <option value="minutes">Minutes</option>
          <option value="hours">Hours</option>
          <option value="days">Days</option>
        </SelectField>
      </div>
      <TextField
        label="Upload limit (KiB/s)"
        hint="Empty: no limit. 1024 KiB/s is about 8 Mbit/s"
        inputMode="numeric"
        {...text('uploadLimitKiB')}
      />
      {actions}
    </form>
  );
}
