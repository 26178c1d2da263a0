import { useState } from 'react';
import type { SlaCalendar, SlaPolicy } from '@contracts';
import { type Translate, useT } from '../../i18n';
import {
  Alert,
  Badge,
  Button,
  ConfirmButton,
  Empty,
  ErrorAlert,
  formatDay,
  Loading,
  PageHeader,
  Panel,
  weekdayName,
} from '../../ui';
import { TYPE_LABEL } from '../tickets/labels';
import { CalendarForm } from './CalendarForm';
import { spansText } from './calendarText';
import { PolicyForm } from './PolicyForm';
import { useCalendars, usePolicies } from './api';
import { editorOf } from './editing';

type Editing = { kind: 'calendar' | 'policy'; id: string | null } | null;

/** The hours of a calendar in one line: "Mon 09:00–17:00 · Tue …", day by day, in the user's language. */
function weekSummary(c: SlaCalendar, t: Translate): string {
  const open = c.week
    .map((spans, i) => (spans.length > 0 ? `${weekdayName(i)} ${spansText(spans)}` : ''))
    .filter(Boolean);
  return open.length > 0 ? open.join(' · ') : t('sla.neverOpen');
}

/** "3 holidays · next: Christmas Eve on 24 Dec 2026", dates in the user's language. */
function holidaySummary(c: SlaCalendar, t: Translate): string {
  const count = t('sla.holidays', { count: c.holidays.length });
  const today = new Date().toISOString().slice(0, 10);
  const next = c.holidays.filter((h) => h.date >= today).sort((a, b) => a.date.localeCompare(b.date))[0];
  if (next === undefined) return count;
  const named = next.name !== undefined && next.name !== '';
  const date = formatDay(next.date);
  return `${count} · ${t('sla.nextHoliday', { named: named ? 'yes' : 'no', name: next.name ?? '', date })}`;
}

/** Service levels: working calendars (hours, time zone, holidays) and the SLA policy of each ticket type. */
export function SlaSection() {
  const t = useT();
  const calendars = useCalendars();
  const policies = usePolicies();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (calendars.list.isPending || policies.list.isPending) return <Loading />;
  if (calendars.list.isError)
    return <ErrorAlert error={calendars.list.error} title={t('sla.calendarsFailed')} />;
  if (policies.list.isError)
    return <ErrorAlert error={policies.list.error} title={t('sla.policiesFailed')} />;
  const cals = calendars.list.data;
  const calName = (id: string) => cals.find((c) => c.id === id)?.name ?? t('sla.unknownCalendar');
  const open = (kind: 'calendar' | 'policy', id: string | null) => {
    calendars.create.reset();
    calendars.update.reset();
    policies.create.reset();
    policies.update.reset();
    setNotice(null);
    setEditing({ kind, id });
  };
  const close = () => setEditing(null);
  const finished = (what: string) => {
    setEditing(null);
    setNotice(what);
  };
  const calendarEditor = (c: SlaCalendar | undefined) => {
    const { stale, ...props } = editorOf(calendars, c, t('what.calendar'), close, finished, t);
    return (
      <>
        {stale}
        <CalendarForm calendar={c} submit={c ? t('sla.saveCalendar') : t('sla.addCalendar')} {...props} />
      </>
    );
  };
  const policyEditor = (p: SlaPolicy | undefined) => {
    const { stale, ...props } = editorOf(policies, p, t('what.policy'), close, finished, t);
    return (
      <>
        {stale}
        <PolicyForm
          policy={p}
          calendars={cals}
          submit={p ? t('sla.savePolicy') : t('sla.addPolicy')}
          {...props}
        />
      </>
    );
  };
  const isEditing = (kind: 'calendar' | 'policy', id: string | null) =>
    editing?.kind === kind && editing.id === id;
  return (
    <>
      <PageHeader title={t('settings.section.sla')} description={t('sla.description')} />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <ErrorAlert
          error={calendars.remove.error ?? policies.remove.error}
          title={t('settings.notDeleted')}
        />
        <Panel
          title={t('sla.calendars')}
          padded={false}
          actions={
            <Button size="sm" onClick={() => open('calendar', null)}>
              {t('sla.newCalendar')}
            </Button>
          }
        >
          {isEditing('calendar', null) && <div className="panel-body">{calendarEditor(undefined)}</div>}
          {cals.length === 0 && !isEditing('calendar', null) ? (
            <Empty>{t('sla.noCalendars')}</Empty>
          ) : (
            <ul className="rule-list" aria-label={t('sla.calendars')}>
              {cals.map((c) =>
                isEditing('calendar', c.id) ? (
                  <li key={c.id}>{calendarEditor(c)}</li>
                ) : (
                  <li key={c.id}>
                    <div className="rule-summary">
                      <strong>{c.name}</strong> <span className="muted">{c.timezone}</span>
                      <p className="muted">{weekSummary(c, t)}</p>
                      <p className="muted">{holidaySummary(c, t)}</p>
                    </div>
                    <div className="button-row">
                      <Button size="sm" onClick={() => open('calendar', c.id)}>
                        {t('common.edit')}
                      </Button>
                      <ConfirmButton
                        confirmLabel={t('settings.confirmDelete')}
                        onConfirm={() => calendars.remove.mutate(c)}
                      >
                        {t('common.delete')}
                      </ConfirmButton>
                    </div>
                  </li>
                ),
              )}
            </ul>
          )}
        </Panel>
        <Panel
          title={t('sla.policies')}
          padded={false}
          actions={
            <Button size="sm" disabled={cals.length === 0} onClick={() => open('policy', null)}>
              {t('sla.newPolicy')}
            </Button>
          }
        >
          {isEditing('policy', null) && <div className="panel-body">{policyEditor(undefined)}</div>}
          {policies.list.data.length === 0 && !isEditing('policy', null) ? (
            <Empty>{t('sla.noPolicies')}</Empty>
          ) : (
            <ul className="rule-list" aria-label={t('sla.policies')}>
              {policies.list.data.map((p) =>
                isEditing('policy', p.id) ? (
                  <li key={p.id}>{policyEditor(p)}</li>
                ) : (
                  <li key={p.id}>
                    <div className="rule-summary">
                      <strong>{p.name}</strong>{' '}
                      {p.enabled ? (
                        <Badge tone="success">{t('sla.inUse')}</Badge>
                      ) : (
                        <Badge>{t('sla.notInUse')}</Badge>
                      )}
                      <p className="muted">
                        {t('sla.policyLine', {
                          type: t(TYPE_LABEL[p.ticketType]),
                          calendar: calName(p.calendarId),
                          percent: Math.round(p.warnShare * 100),
                        })}
                      </p>
                    </div>
                    <div className="button-row">
                      <Button size="sm" onClick={() => open('policy', p.id)}>
                        {t('common.edit')}
                      </Button>
                      <ConfirmButton
                        confirmLabel={t('settings.confirmDelete')}
                        onConfirm={() => policies.remove.mutate(p)}
                      >
                        {t('common.delete')}
                      </ConfirmButton>
                    </div>
                  </li>
                ),
              )}
            </ul>
          )}
        </Panel>
      </div>
    </>
  );
}
