import { useState, type FormEvent } from 'react';
import type { CreateSlaPolicy, SlaCalendar, SlaPolicy, TicketType } from '@contracts';
import { Button, CheckboxField, FormActions, FormError, SelectField, TextField } from '../../ui';
import { TYPE_LABEL } from '../tickets/labels';
import { priorityName } from '../../ui';
import { durationText, parseDuration } from './calendarText';
import { EscalationEditor } from './EscalationEditor';
import { useFormErrors } from './editing';
import { useT } from '../../i18n';

const PRIORITIES = ['1', '2', '3', '4', '5', '6'] as const;
const PAUSES = ['requester', 'vendor', 'change'] as const;

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
  const t = useT();
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
      const typed = targets[i] ?? { response: '', resolution: '' };
      const r = parseDuration(typed.response);
      const s = parseDuration(typed.resolution);
      if (r === undefined) problems[`response${p}`] = t('policy.badTime');
      if (s === undefined) problems[`resolution${p}`] = t('policy.badTime');
      if (r !== undefined && s !== undefined && (r !== null || s !== null)) {
        map[p] = { firstResponseMinutes: r, resolutionMinutes: s };
      }
    });
    if (Object.keys(map).length === 0 && Object.keys(problems).length === 0)
      problems.targets = t('policy.noTarget');
    const share = Number(warn) / 100;
    if (!(share > 0 && share < 1)) problems.warnShare = t('policy.warnRange');
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
      aria-label={policy ? t('policy.edit', { name: policy.name }) : t('sla.newPolicy')}
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
        <SelectField
          label={t('policy.type')}
          value={ticketType}
          onChange={(e) => setTicketType(e.target.value as TicketType)}
          error={err('ticketType')}
        >
          {(Object.keys(TYPE_LABEL) as TicketType[]).map((type) => (
            <option key={type} value={type}>
              {t(TYPE_LABEL[type])}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('policy.calendar')}
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
        <legend className="field-label">{t('policy.targets')}</legend>
        <p className="field-hint">{t('policy.targetsHint')}</p>
        {err('targets') !== undefined && <span className="field-error">{err('targets')}</span>}
        {PRIORITIES.map((p, i) => (
          <div className="form-row" key={p}>
            <TextField
              label={t('policy.firstResponse', { priority: priorityName(t, Number(p)) })}
              value={targets[i]?.response ?? ''}
              onChange={(e) => setTarget(i, 'response', e.target.value)}
              error={err(`response${p}`)}
            />
            <TextField
              label={t('policy.resolution', { priority: priorityName(t, Number(p)) })}
              value={targets[i]?.resolution ?? ''}
              onChange={(e) => setTarget(i, 'resolution', e.target.value)}
              error={err(`resolution${p}`)}
            />
          </div>
        ))}
      </fieldset>
      <fieldset className="stack-sm">
        <legend className="field-label">{t('policy.pauses')}</legend>
        {PAUSES.map((k) => (
          <CheckboxField
            key={k}
            label={t(`policy.pause.${k}`)}
            checked={pauseOn.includes(k)}
            onChange={(e) => setPauseOn(e.target.checked ? [...pauseOn, k] : pauseOn.filter((x) => x !== k))}
          />
        ))}
      </fieldset>
      <TextField
        label={t('policy.warn')}
        type="number"
        min={1}
        max={99}
        value={warn}
        onChange={(e) => setWarn(e.target.value)}
        error={err('warnShare')}
      />
      <EscalationEditor at="warning" value={warningActions} onChange={setWarningActions} />
      <EscalationEditor at="breach" value={breachActions} onChange={setBreachActions} />
      <CheckboxField
        label={t('sla.inUse')}
        hint={t('policy.oneInUse')}
        checked={enabled}
        onChange={(e) => setEnabled(e.target.checked)}
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
