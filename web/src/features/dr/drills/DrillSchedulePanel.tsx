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
import { useT } from '../../../i18n';
import { Message } from '../../../i18n/Message';
import { useDrillSchedule, useSaveDrillSchedule } from './api';

/** The schedule in a sentence, with when the next drill is due. */
function ScheduleText({ s }: { s: DrillSchedule }) {
  const t = useT();
  if (s.cron === null) return <p className="muted">{t('dr.schedule.none')}</p>;
  if (!s.enabled) return <p className="muted">{t('dr.schedule.off', { was: s.description ?? s.cron })}</p>;
  return (
    <p aria-label={t('dr.schedule.label')}>
      <strong>{s.description ?? s.cron}</strong>
      {s.nextRunAt ? (
        <Message
          id="dr.schedule.next"
          values={{ when: <time dateTime={s.nextRunAt}>{formatDateTime(s.nextRunAt)}</time> }}
        />
      ) : (
        t('dr.schedule.never')
      )}
    </p>
  );
}

/** The schedule's form, at the version it was read; field errors come from the server, by field. */
function ScheduleForm({ planId, s, onDone }: { planId: string; s: DrillSchedule; onDone: () => void }) {
  const t = useT();
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
    <form className="form" onSubmit={submit} noValidate aria-label={t('dr.schedule')}>
      {isApiError(save.error, 'stale') ? (
        <StaleAlert what={t('dr.schedule.what')} onReload={onDone} />
      ) : (
        <FormError error={save.error} title={t('dr.notSaved')} />
      )}
      <TextField
        label={t('dr.schedule.when')}
        hint={t('dr.schedule.whenHint')}
        value={cron}
        onChange={(e) => setCron(e.target.value)}
        error={err('cron')}
        spellCheck={false}
      />
      <TextField
        label={t('dr.schedule.timeZone')}
        hint={t('dr.schedule.timeZoneHint')}
        value={timeZone}
        onChange={(e) => setTimeZone(e.target.value)}
        error={err('timeZone')}
        spellCheck={false}
      />
      <CheckboxField
        label={t('dr.schedule.enabled')}
        hint={t('dr.schedule.enabledHint')}
        checked={enabled}
        onChange={(e) => setEnabled(e.target.checked)}
      />
      <FormActions submit={t('dr.schedule.save')} busy={save.isPending}>
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </FormActions>
    </form>
  );
}

/** When the plan is drilled by itself: the schedule in words, the next due date, and (for managers) its form. */
export function DrillSchedulePanel({ planId, canEdit }: { planId: string; canEdit: boolean }) {
  const t = useT();
  const q = useDrillSchedule(planId);
  const [editing, setEditing] = useState(false);
  const s = q.data;
  return (
    <Panel
      title={t('dr.schedule')}
      actions={
        canEdit &&
        s &&
        !editing && (
          <Button size="sm" onClick={() => setEditing(true)}>
            {s.version === 0 ? t('dr.schedule.set') : t('dr.schedule.change')}
          </Button>
        )
      }
    >
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorAlert error={q.error} title={t('dr.schedule.notRead')} />
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
