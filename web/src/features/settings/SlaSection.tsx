import { useState } from 'react';
import type { SlaCalendar, SlaPolicy } from '@contracts';
import { Alert, Badge, Button, ConfirmButton, Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { TYPE_LABEL } from '../tickets/labels';
import { CalendarForm } from './CalendarForm';
import { DAYS, spansText } from './calendarText';
import { PolicyForm } from './PolicyForm';
import { useCalendars, usePolicies } from './api';
import { editorOf } from './editing';

type Editing = { kind: 'calendar' | 'policy'; id: string | null } | null;

/** The hours of a calendar in one line: "Mon–Fri 09:00–17:00"-like, day by day. */
function weekSummary(c: SlaCalendar): string {
  const open = c.week
    .map((spans, i) => (spans.length > 0 ? `${DAYS[i]?.slice(0, 3)} ${spansText(spans)}` : ''))
    .filter(Boolean);
  return open.length > 0 ? open.join(' · ') : 'Never open';
}

/** Service levels: working calendars (hours, time zone, holidays) and the SLA policy of each ticket type. */
export function SlaSection() {
  const calendars = useCalendars();
  const policies = usePolicies();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (calendars.list.isPending || policies.list.isPending) return <Loading />;
  if (calendars.list.isError)
    return <ErrorAlert error={calendars.list.error} title="The calendars could not be loaded" />;
  if (policies.list.isError)
    return <ErrorAlert error={policies.list.error} title="The policies could not be loaded" />;
  const cals = calendars.list.data;
  const calName = (id: string) => cals.find((c) => c.id === id)?.name ?? 'Unknown calendar';
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
    const { stale, ...props } = editorOf(calendars, c, 'calendar', close, finished);
    return (
      <>
        {stale}
        <CalendarForm calendar={c} submit={c ? 'Save calendar' : 'Add calendar'} {...props} />
      </>
    );
  };
  const policyEditor = (p: SlaPolicy | undefined) => {
    const { stale, ...props } = editorOf(policies, p, 'policy', close, finished);
    return (
      <>
        {stale}
        <PolicyForm policy={p} calendars={cals} submit={p ? 'Save policy' : 'Add policy'} {...props} />
      </>
    );
  };
  const isEditing = (kind: 'calendar' | 'policy', id: string | null) =>
    editing?.kind === kind && editing.id === id;
  return (
    <>
      <PageHeader
        title="Service levels"
        description="Targets count working time only, in the calendar’s time zone; holidays and pauses stop the clock."
      />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <ErrorAlert error={calendars.remove.error ?? policies.remove.error} title="Not deleted" />
        <Panel
          title="Working calendars"
          padded={false}
          actions={
            <Button size="sm" onClick={() => open('calendar', null)}>
              New calendar
            </Button>
          }
        >
          {isEditing('calendar', null) && <div className="panel-body">{calendarEditor(undefined)}</div>}
          {cals.length === 0 && !isEditing('calendar', null) ? (
            <Empty>No calendars yet. A policy needs one.</Empty>
          ) : (
            <ul className="rule-list" aria-label="Working calendars">
              {cals.map((c) =>
                isEditing('calendar', c.id) ? (
                  <li key={c.id}>{calendarEditor(c)}</li>
                ) : (
                  <li key={c.id}>
                    <div className="rule-summary">
                      <strong>{c.name}</strong> <span className="muted">{c.timezone}</span>
                      <p className="muted">{weekSummary(c)}</p>
                      <p className="muted">
                        {c.holidays.length === 1 ? '1 holiday' : `${c.holidays.length} holidays`}
                      </p>
                    </div>
                    <div className="button-row">
                      <Button size="sm" onClick={() => open('calendar', c.id)}>
                        Edit
                      </Button>
                      <ConfirmButton
                        confirmLabel="Click again to delete"
                        onConfirm={() => calendars.remove.mutate(c)}
                      >
                        Delete
                      </ConfirmButton>
                    </div>
                  </li>
                ),
              )}
            </ul>
          )}
        </Panel>
        <Panel
          title="Policies"
          padded={false}
          actions={
            <Button size="sm" disabled={cals.length === 0} onClick={() => open('policy', null)}>
              New policy
            </Button>
          }
        >
          {isEditing('policy', null) && <div className="panel-body">{policyEditor(undefined)}</div>}
          {policies.list.data.length === 0 && !isEditing('policy', null) ? (
            <Empty>No policies: tickets have no response or resolution targets.</Empty>
          ) : (
            <ul className="rule-list" aria-label="Policies">
              {policies.list.data.map((p) =>
                isEditing('policy', p.id) ? (
                  <li key={p.id}>{policyEditor(p)}</li>
                ) : (
                  <li key={p.id}>
                    <div className="rule-summary">
                      <strong>{p.name}</strong>{' '}
                      {p.enabled ? <Badge tone="success">In use</Badge> : <Badge>Not in use</Badge>}
                      <p className="muted">
                        {TYPE_LABEL[p.ticketType]} tickets · {calName(p.calendarId)} · warns at{' '}
                        {Math.round(p.warnShare * 100)} %
                      </p>
                    </div>
                    <div className="button-row">
                      <Button size="sm" onClick={() => open('policy', p.id)}>
                        Edit
                      </Button>
                      <ConfirmButton
                        confirmLabel="Click again to delete"
                        onConfirm={() => policies.remove.mutate(p)}
                      >
                        Delete
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
