import { useState, type FormEvent } from 'react';
import type { CreateSlaCalendar, SlaCalendar } from '@contracts';
import { Button, FormActions, FormError, TextAreaField, TextField } from '../../ui';
import { useFormErrors } from './editing';
import { DAYS, holidaysText, parseHolidays, parseSpans, spansText } from './calendarText';

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
      const p = parseSpans(text);
      if ('error' in p) problems[`day${i}`] = p.error;
      return 'spans' in p ? p.spans : [];
    });
    const hol = parseHolidays(holidays);
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
      aria-label={calendar ? `Edit ${calendar.name}` : 'New calendar'}
    >
      <FormError error={summary} title="Not saved" />
      <div className="form-row">
        <TextField
          label="Name"
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={err('name')}
        />
        <TextField
          label="Time zone"
          list="settings-time-zones"
          value={timezone}
          onChange={(e) => setTimezone(e.target.value)}
          error={err('timezone')}
          hint="For example Europe/Berlin"
        />
        <datalist id="settings-time-zones">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <fieldset className="stack-sm">
        <legend className="field-label">Working hours</legend>
        <p className="field-hint">
          Like 09:00–17:00, or 08:00–12:00, 13:00–17:00. Leave a day empty when closed.
        </p>
        {DAYS.map((day, i) => (
          <TextField
            key={day}
            label={day}
            value={week[i] ?? ''}
            placeholder="Closed"
            onChange={(e) => setWeek(week.map((w, j) => (j === i ? e.target.value : w)))}
            error={err(`day${i}`) ?? (i === 0 ? err('week') : undefined)}
          />
        ))}
      </fieldset>
      <TextAreaField
        label="Holidays"
        hint="One a line: 2026-12-25 Christmas Day; a short day with its hours: 2026-12-24 09:00–12:00 Christmas Eve"
        rows={5}
        value={holidays}
        onChange={(e) => setHolidays(e.target.value)}
        error={err('holidays')}
      />
      <FormActions submit={submit} busy={busy}>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </FormActions>
    </form>
  );
}
