import { useState, type FormEvent } from 'react';
import type { DrillSchedule } from '@contracts';
import { isApiError } from '../../../api/client';
import {
  Button,
  CheckboxField,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  Panel,
  StaleAlert,
  TextField,
  formatDateTime,
} from '../../../ui';
import { messageAt } from '../../backup/drafts';
import { useDrillSchedule, useSaveDrillSchedule } from './api';

/** The schedule in a sentence, with when the next drill is due. */
function ScheduleText({ s }: { s: DrillSchedule }) {
  if (s.cron === null) return <p className="muted">This plan is not drilled on a schedule.</p>;
  if (!s.enabled)
    return (
      <p className="muted">
        The schedule is off: drills start only by hand. (It was: {s.description ?? s.cron}.)
      </p>
    );
  return (
    <p aria-label="When the plan is drilled">
      <strong>{s.description ?? s.cron}</strong>
      {s.nextRunAt ? (
        <>
          . Next drill due <time dateTime={s.nextRunAt}>{formatDateTime(s.nextRunAt)}</time>.
        </>
      ) : (
        '. It does not fire again.'
      )}
    </p>
  );
}

/** The schedule's form, at the version it was read; field errors come from the server, by field. */
function ScheduleForm({ planId, s, onDone }: { planId: string; s: DrillSchedule; onDone: () => void }) {
  const save = useSaveDrillSchedule(planId);
  const [cron, setCron] = useState(s.cron ?? '0 9 * * 1#1');
  const [timeZone, setTimeZone] = useState(s.timeZone);
  const [enabled, setEnabled] = useState(s.version === 0 || s.enabled);
  const err = (path: string) => messageAt(save.error, path);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { body: { cron: cron.trim(), timeZone: timeZone.trim(), enabled }, version: s.version },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Drill schedule">
      {isApiError(save.error, 'stale') ? (
        <StaleAlert what="schedule" onReload={onDone} />
      ) : (
        <FormError error={save.error} title="Not saved" />
      )}
      <TextField
        label="When"
        hint="A cron pattern: “0 9 * * 1#1” is the first Monday of every month at 09:00, “0 7 * * 1-5” every weekday at 07:00."
        value={cron}
        onChange={(e) => setCron(e.target.value)}
        error={err('cron')}
        spellCheck={false}
      />
      <TextField
        label="Time zone"
        hint="As the pattern is read, e.g. Europe/Berlin or UTC."
        value={timeZone}
        onChange={(e) => setTimeZone(e.target.value)}
        error={err('timeZone')}
        spellCheck={false}
      />
      <CheckboxField
        label="Drill on this schedule"
        hint="Off keeps the pattern; drills then start only by hand."
        checked={enabled}
        onChange={(e) => setEnabled(e.target.checked)}
      />
      <FormActions submit="Save schedule" busy={save.isPending}>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </FormActions>
    </form>
  );
}

/** When the plan is drilled by itself: the schedule in words, the next due date, and (for managers) its form. */
export function DrillSchedulePanel({ planId, canEdit }: { planId: string; canEdit: boolean }) {
  const q = useDrillSchedule(planId);
  const [editing, setEditing] = useState(false);
  const s = q.data;
  return (
    <Panel
      title="Drill schedule"
      actions={
        canEdit &&
        s &&
        !editing && (
          <Button size="sm" onClick={() => setEditing(true)}>
            {s.version === 0 ? 'Set a schedule' : 'Change schedule'}
          </Button>
        )
      }
    >
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorAlert error={q.error} title="The schedule could not be read" />
      ) : editing ? (
        <ScheduleForm
          planId={planId}
          s={q.data}
          onDone={() => {
            setEditing(false);
            void q.refetch();
          }}
        />
      ) : (
        <ScheduleText s={q.data} />
      )}
    </Panel>
  );
}
