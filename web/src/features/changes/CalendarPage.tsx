import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Calendar } from '@contracts';
import { type Translate, useT } from '../../i18n';
import { activeFormatTag } from '../../i18n/locale';
import { Button, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { changePath, useCalendar } from './api';
import { statusName, windowText } from './parts';
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

/** A window or blackout in the calendar's list: what, which item, when. */
function windowLine(t: Translate, w: Calendar['windows'][number]): string {
  const when = windowText(t, w.startsAt, w.endsAt);
  if (w.kind === 'blackout')
    return w.ciName
      ? t('changes.blackoutLineFor', { name: w.name, item: w.ciName, when })
      : t('changes.blackoutLine', { name: w.name, when });
  return t('changes.windowLine', { name: w.name, item: w.ciName ?? '', when });
}

/** The Monday (UTC) of the week holding `d`. */
export function weekStart(d: Date): Date {
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY);
}

const time = (s: string) =>
  new Intl.DateTimeFormat(activeFormatTag(), { timeStyle: 'short', timeZone: 'UTC' }).format(new Date(s));

/** One day of the grid: its windows and blackouts, then its changes (with their times in the week view). */
function DayCell({ cal, day, dim, week }: { cal: Calendar; day: Date; dim: boolean; week: boolean }) {
  const t = useT();
  const { changes, windows } = onDay(cal, day);
  const label = new Intl.DateTimeFormat(activeFormatTag(), {
    weekday: week ? 'long' : undefined,
    day: 'numeric',
    month: week ? 'short' : undefined,
    timeZone: 'UTC',
  }).format(day);
  return (
    <div role="gridcell" className={`chg-day${dim ? ' chg-outside' : ''}`} aria-label={label}>
      <div className="chg-date">{week ? label : day.getUTCDate()}</div>
      {windows.map((w) => (
        <div key={w.id} className={w.kind === 'blackout' ? 'chg-blackout' : 'chg-window'}>
          {t(w.kind === 'blackout' ? 'changes.dayBlackout' : 'changes.dayWindow', { name: w.name })}
        </div>
      ))}
      {changes.map((c) => (
        <Link key={c.id} to={changePath(c.id)} className="chg-entry">
          {week && c.plannedStart ? `${time(c.plannedStart)} ` : ''}
          {c.key} {c.title}
        </Link>
      ))}
    </div>
  );
}

/**
 * The change calendar: a month grid or a week of days (on phones the month gives way to the list, and the week
 * stacks its days) of changes, maintenance windows and blackouts.
 */
export function CalendarPage() {
  const t = useT();
  const now = new Date();
  const [view, setView] = useState<'month' | 'week'>('month');
  const [ym, setYm] = useState({ y: now.getUTCFullYear(), m: now.getUTCMonth() });
  const [monday, setMonday] = useState(() => weekStart(now));
  const week = view === 'week';
  const from = week ? monday.toISOString() : new Date(Date.UTC(ym.y, ym.m, 1)).toISOString();
  const to = week
    ? new Date(monday.getTime() + 7 * DAY).toISOString()
    : new Date(Date.UTC(ym.y, ym.m + 1, 1)).toISOString();
  const cal = useCalendar(from, to);
  const step = (d: number) =>
    week
      ? setMonday((m) => new Date(m.getTime() + d * 7 * DAY))
      : setYm(({ y, m }) => ({ y: m + d < 0 ? y - 1 : m + d > 11 ? y + 1 : y, m: (m + d + 12) % 12 }));
  const fmt = (o: Intl.DateTimeFormatOptions, d: Date) =>
    new Intl.DateTimeFormat(activeFormatTag(), { ...o, timeZone: 'UTC' }).format(d);
  const title = week
    ? t('changes.weekOf', { day: fmt({ dateStyle: 'medium' }, monday) })
    : fmt({ month: 'long', year: 'numeric' }, new Date(from));
  const days = week
    ? Array.from({ length: 7 }, (_, i) => new Date(monday.getTime() + i * DAY))
    : monthGrid(ym.y, ym.m);
  return (
    <>
      <PageHeader
        title={t('changes.calendarTitle')}
        back={{ to: '/changes', label: t('nav.changes') }}
        actions={
          <>
            <Button aria-pressed={!week} onClick={() => setView('month')}>
              {t('changes.month')}
            </Button>
            <Button aria-pressed={week} onClick={() => setView('week')}>
              {t('changes.week')}
            </Button>
            <Button onClick={() => step(-1)}>
              {week ? t('changes.previousWeek') : t('changes.previousMonth')}
            </Button>
            <Button onClick={() => step(1)}>{week ? t('changes.nextWeek') : t('changes.nextMonth')}</Button>
          </>
        }
      />
      <Panel title={title}>
        {cal.isPending && <Loading />}
        {cal.isError && <ErrorAlert error={cal.error} />}
        {cal.data && (
          <>
            <div
              className={week ? 'chg-week' : 'chg-month'}
              role="grid"
              aria-label={t('changes.changesIn', { title })}
            >
              {days.map((d) => (
                <DayCell
                  key={d.toISOString()}
                  cal={cal.data}
                  day={d}
                  week={week}
                  dim={!week && d.getUTCMonth() !== ym.m}
                />
              ))}
            </div>
            <h3>{t('changes.list')}</h3>
            <ul aria-label={t('changes.calendarList')} className="chg-list">
              {cal.data.windows.map((w) => (
                <li key={w.id}>{windowLine(t, w)}</li>
              ))}
              {cal.data.changes.map((c) => (
                <li key={c.id}>
                  <Link to={changePath(c.id)}>{c.key}</Link> {c.title} ({statusName(t, c.status)}):{' '}
                  {windowText(t, c.plannedStart, c.plannedEnd)}
                </li>
              ))}
            </ul>
          </>
        )}
      </Panel>
    </>
  );
}
