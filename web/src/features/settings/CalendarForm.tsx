import { useState, type FormEvent } from 'react';
import type { CreateSlaCalendar, SlaCalendar } from '@contracts';
import { Button, FormActions, FormError, TextAreaField, TextField, weekdayName } from '../../ui';
import { useFormErrors } from './editing';
import { holidaysText, parseHolidays, parseSpans, spansText } from './calendarText';
import { useT } from '../../i18n';

const ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

const MONDAY_TO_FRIDAY = ['', '09:00–17:00', '09:00–17:00', '09:00–17:00', '09:00–17:00', '09:00–17:00', ''];

/** Name, time zone, hours per weekday and holidays of a working calendar, checked before it is sent. */
export function CalendarForm({
  calendar,
  busy,
  error,
  submit,
  onSubmit,
  onCancel,
}: {
  calendar?: SlaCalendar;
  busy: boolean;
  error: unknown;
  submit: string;
  onSubmit: (body: CreateSlaCalendar) => void;
  onCancel?: () => void;
}) {
  const t = useT();
  const [name, setName] = useState(calendar?.name ?? '');
  const [timezone, setTimezone] = useState(
    calendar?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [week, setWeek] = useState<string[]>(calendar ? calendar.week.map(spansText) : MONDAY_TO_FRIDAY);
  const [holidays, setHolidays] = useState(calendar ? holidaysText(calendar.holidays) : '');
  const { err, setLocal, summary } = useFormErrors(error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const spans = week.map((text, i) => {
      const p = parseSpans(t, text);
      if ('error' in p) problems[`day${i}`] = p.error;
      return 'spans' in p ? p.spans : [];
    });
    const hol = parseHolidays(t, holidays);
    if ('error' in hol) problems.holidays = hol.error;
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    onSubmit({
      name: name.trim(),
      timezone: timezone.trim(),
      week: spans,
      holidays: 'holidays' in hol ? hol.holidays : [],
    });
  };
  return (
    <form
      className="form form-wide"
      onSubmit={send}
      noValidate
      aria-label={calendar ? t('calendar.edit', { name: calendar.name }) : t('sla.newCalendar')}
    >
      <FormError error={summary} title={t('users.notSaved')} />
      <div className="form-row">
        <TextField
          label={t('common.name')}
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={err('name')}
        />
        <TextField
          label={t('calendar.timezone')}
          list="settings-time-zones"
          value={timezone}
          onChange={(e) => setTimezone(e.target.value)}
          error={err('timezone')}
          hint={t('calendar.timezoneHint')}
        />
        <datalist id="settings-time-zones">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <fieldset className="stack-sm">
        <legend className="field-label">{t('calendar.hours')}</legend>
        <p className="field-hint">{t('calendar.hoursHint')}</p>
        {[0, 1, 2, 3, 4, 5, 6].map((i) => (
          <TextField
            key={i}
            label={weekdayName(i, 'long')}
            value={week[i] ?? ''}
            placeholder={t('calendar.closed')}
            onChange={(e) => setWeek(week.map((w, j) => (j === i ? e.target.value : w)))}
            error={err(`day${i}`) ?? (i === 0 ? err('week') : undefined)}
          />
        ))}
      </fieldset>
      <TextAreaField
        label={t('calendar.holidays')}
        hint={t('calendar.holidaysHint')}
        rows={5}
        value={holidays}
        onChange={(e) => setHolidays(e.target.value)}
        error={err('holidays')}
      />
      <FormActions submit={submit} busy={busy}>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
      </FormActions>
    </form>
  );
}
