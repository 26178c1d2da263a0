import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Calendar } from '@contracts';
import { Button, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { changePath, useCalendar } from './api';
import { windowText } from './parts';
import './changes.css';

const DAY = 86_400_000;

/** The days of a month's grid (UTC), Monday first, padded to whole weeks. */
export function monthGrid(year: number, month: number): Date[] {
  const first = Date.UTC(year, month, 1);
  const lead = (new Date(first).getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const cells = Math.ceil((lead + days) / 7) * 7;
  return Array.from({ length: cells }, (_, i) => new Date(first + (i - lead) * DAY));
}

/** What happens on one day: changes planned and windows open during it. */
function onDay(cal: Calendar, day: Date) {
  const from = day.getTime();
  const to = from + DAY;
  const overlaps = (s: string | null, e: string | null) =>
    !!s && !!e && Date.parse(s) < to && Date.parse(e) > from;
  return {
    changes: cal.changes.filter((c) => overlaps(c.plannedStart, c.plannedEnd)),
    windows: cal.windows.filter((w) => overlaps(w.startsAt, w.endsAt)),
  };
}

/** The change calendar: a month grid (a list on phones) of changes, maintenance windows and blackouts. */
export function CalendarPage() {
  const now = new Date();
  const [ym, setYm] = useState({ y: now.getUTCFullYear(), m: now.getUTCMonth() });
  const from = new Date(Date.UTC(ym.y, ym.m, 1)).toISOString();
  const to = new Date(Date.UTC(ym.y, ym.m + 1, 1)).toISOString();
  const cal = useCalendar(from, to);
  const step = (d: number) =>
    setYm(({ y, m }) => ({ y: m + d < 0 ? y - 1 : m + d > 11 ? y + 1 : y, m: (m + d + 12) % 12 }));
  const title = new Intl.DateTimeFormat(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(from));
  return (
    <>
      <PageHeader
        title="Change calendar"
        back={{ to: '/changes', label: 'Changes' }}
        actions={
          <>
            <Button onClick={() => step(-1)}>Previous month</Button>
            <Button onClick={() => step(1)}>Next month</Button>
          </>
        }
      />
      <Panel title={title}>
        {cal.isPending && <Loading />}
        {cal.isError && <ErrorAlert error={cal.error} />}
        {cal.data && (
          <>
            <div className="chg-month" role="grid" aria-label={`Changes in ${title}`}>
              {monthGrid(ym.y, ym.m).map((d) => {
                const { changes, windows } = onDay(cal.data, d);
                const outside = d.getUTCMonth() !== ym.m;
                return (
                  <div
                    key={d.toISOString()}
                    role="gridcell"
                    className={outside ? 'chg-day chg-outside' : 'chg-day'}
                  >
                    <div className="chg-date">{d.getUTCDate()}</div>
                    {windows.map((w) => (
                      <div key={w.id} className={w.kind === 'blackout' ? 'chg-blackout' : 'chg-window'}>
                        {w.kind === 'blackout' ? 'Blackout: ' : 'Window: '}
                        {w.name}
                      </div>
                    ))}
                    {changes.map((c) => (
                      <Link key={c.id} to={changePath(c.id)} className="chg-entry">
                        {c.key} {c.title}
                      </Link>
                    ))}
                  </div>
                );
              })}
            </div>
            <h3>List</h3>
            <ul aria-label="Calendar list" className="chg-list">
              {cal.data.windows.map((w) => (
                <li key={w.id}>
                  {w.kind === 'blackout' ? 'Blackout' : 'Maintenance window'} “{w.name}”
                  {w.ciName ? ` for ${w.ciName}` : ''}: {windowText(w.startsAt, w.endsAt)}
                </li>
              ))}
              {cal.data.changes.map((c) => (
                <li key={c.id}>
                  <Link to={changePath(c.id)}>{c.key}</Link> {c.title} ({c.status}):{' '}
                  {windowText(c.plannedStart, c.plannedEnd)}
                </li>
              ))}
            </ul>
          </>
        )}
      </Panel>
    </>
  );
}
