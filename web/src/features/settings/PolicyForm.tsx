import { useState, type FormEvent } from 'react';
import type { CreateSlaPolicy, SlaCalendar, SlaPolicy, TicketType } from '@contracts';
import { Button, CheckboxField, FormActions, FormError, SelectField, TextField } from '../../ui';
import { priorityLabel, TYPE_LABEL } from '../tickets/labels';
import { durationText, parseDuration } from './calendarText';
import { EscalationEditor } from './EscalationEditor';
import { useFormErrors } from './editing';

const PRIORITIES = ['1', '2', '3', '4', '5', '6'] as const;
const PAUSES = [
  ['requester', 'waiting on the requester'],
  ['vendor', 'waiting on a vendor'],
  ['change', 'waiting on a change'],
] as const;

const asText = (m: number | null | undefined) =>
  m === null || m === undefined ? '' : durationText(m).replace(/ /g, '');

/** An SLA policy: the ticket type it covers, its calendar, targets per priority, pauses and warning point. */
export function PolicyForm({
  policy,
  calendars,
  busy,
  error,
  submit,
  onSubmit,
  onCancel,
}: {
  policy?: SlaPolicy;
  calendars: readonly SlaCalendar[];
  busy: boolean;
  error: unknown;
  submit: string;
  onSubmit: (body: CreateSlaPolicy) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(policy?.name ?? '');
  const [ticketType, setTicketType] = useState<TicketType>(policy?.ticketType ?? 'incident');
  const [calendarId, setCalendarId] = useState(policy?.calendarId ?? calendars[0]?.id ?? '');
  const [targets, setTargets] = useState(() =>
    PRIORITIES.map((p) => ({
      response: asText(policy?.targets[p]?.firstResponseMinutes),
      resolution: asText(policy?.targets[p]?.resolutionMinutes),
    })),
  );
  const [pauseOn, setPauseOn] = useState<string[]>(policy?.pauseOn ?? ['requester', 'vendor']);
  const [warningActions, setWarningActions] = useState(policy?.warningActions ?? []);
  const [breachActions, setBreachActions] = useState(policy?.breachActions ?? []);
  const [warn, setWarn] = useState(String(Math.round((policy?.warnShare ?? 0.75) * 100)));
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const { err, setLocal, summary } = useFormErrors(error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const map: CreateSlaPolicy['targets'] = {};
    PRIORITIES.forEach((p, i) => {
      const t = targets[i] ?? { response: '', resolution: '' };
      const r = parseDuration(t.response);
      const s = parseDuration(t.resolution);
      if (r === undefined) problems[`response${p}`] = 'Write a time like 4h, 30m or 1h30m';
      if (s === undefined) problems[`resolution${p}`] = 'Write a time like 4h, 30m or 1h30m';
      if (r !== undefined && s !== undefined && (r !== null || s !== null)) {
        map[p] = { firstResponseMinutes: r, resolutionMinutes: s };
      }
    });
    if (Object.keys(map).length === 0 && Object.keys(problems).length === 0)
      problems.targets = 'Give a target for at least one priority';
    const share = Number(warn) / 100;
    if (!(share > 0 && share < 1)) problems.warnShare = 'Between 1 and 99 %';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    onSubmit({
      name: name.trim(),
      ticketType,
      calendarId,
      targets: map,
      pauseOn: pauseOn as CreateSlaPolicy['pauseOn'],
      warnShare: share,
      warningActions,
      breachActions,
      enabled,
    });
  };
  const setTarget = (i: number, k: 'response' | 'resolution', v: string) =>
    setTargets(targets.map((t, j) => (j === i ? { ...t, [k]: v } : t)));
  return (
    <form
      className="form form-wide"
      onSubmit={send}
      noValidate
      aria-label={policy ? `Edit ${policy.name}` : 'New policy'}
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
        <SelectField
          label="For tickets of type"
          value={ticketType}
          onChange={(e) => setTicketType(e.target.value as TicketType)}
          error={err('ticketType')}
        >
          {(Object.keys(TYPE_LABEL) as TicketType[]).map((t) => (
            <option key={t} value={t}>
              {TYPE_LABEL[t]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Working calendar"
          value={calendarId}
          onChange={(e) => setCalendarId(e.target.value)}
          error={err('calendarId')}
        >
          {calendars.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset className="stack-sm">
        <legend className="field-label">Targets in working time</legend>
        <p className="field-hint">Like 4h, 30m or 1h30m. Leave both empty for no target at that priority.</p>
        {err('targets') !== undefined && <span className="field-error">{err('targets')}</span>}
        {PRIORITIES.map((p, i) => (
          <div className="form-row" key={p}>
            <TextField
              label={`${priorityLabel(Number(p))}: first response`}
              value={targets[i]?.response ?? ''}
              onChange={(e) => setTarget(i, 'response', e.target.value)}
              error={err(`response${p}`)}
            />
            <TextField
              label={`${priorityLabel(Number(p))}: resolution`}
              value={targets[i]?.resolution ?? ''}
              onChange={(e) => setTarget(i, 'resolution', e.target.value)}
              error={err(`resolution${p}`)}
            />
          </div>
        ))}
      </fieldset>
      <fieldset className="stack-sm">
        <legend className="field-label">Stop the clock while</legend>
        {PAUSES.map(([k, label]) => (
          <CheckboxField
            key={k}
            label={label}
            checked={pauseOn.includes(k)}
            onChange={(e) => setPauseOn(e.target.checked ? [...pauseOn, k] : pauseOn.filter((x) => x !== k))}
          />
        ))}
      </fieldset>
      <TextField
        label="Warn when this much of the time is used (%)"
        type="number"
        min={1}
        max={99}
        value={warn}
        onChange={(e) => setWarn(e.target.value)}
        error={err('warnShare')}
      />
      <EscalationEditor legend="At the warning" value={warningActions} onChange={setWarningActions} />
      <EscalationEditor legend="At the breach" value={breachActions} onChange={setBreachActions} />
      <CheckboxField
        label="In use"
        hint="Only one policy per ticket type can be in use."
        checked={enabled}
        onChange={(e) => setEnabled(e.target.checked)}
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
