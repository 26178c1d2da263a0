import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  ALWAYS,
  businessTimeBetween,
  type Calendar,
  EmptyCalendarError,
  type MinuteSpan,
} from './business-time.js';
import { type ClockPolicy, type HistoryEvent, readClock, type TicketHistory } from './clock.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string): number => Date.parse(iso);

/** Mon–Fri 09:00–12:00 and 13:00–17:00: seven hours a day. */
const office = (timezone: string, holidays: Calendar['holidays'] = []): Calendar => ({
  timezone,
  week: [
    [],
    [
      [540, 720],
      [780, 1020],
    ],
    [
      [540, 720],
      [780, 1020],
    ],
    [
      [540, 720],
      [780, 1020],
    ],
    [
      [540, 720],
      [780, 1020],
    ],
    [
      [540, 720],
      [780, 1020],
    ],
    [],
  ],
  holidays,
});
const aroundTheClock = (timezone: string): Calendar => ({ ...ALWAYS, timezone });

describe('business time (examples)', () => {
  it('skips evenings, weekends and holidays', () => {
    const cal = office('Europe/Berlin', [
      { date: '2026-12-28' },
      { date: '2026-12-29', hours: [[540, 720]] },
    ]);
    // Friday 2026-12-25 16:00 Berlin (15:00 UTC) + 4 h: 1 h on Friday, Monday is a holiday, Tuesday has a
    // short day (09:00–12:00), so 3 h more end on Tuesday at 12:00 local.
    expect(new Date(addBusinessTime(cal, at('2026-12-25T15:00:00Z'), 4 * HOUR)).toISOString()).toBe(
      '2026-12-29T11:00:00.000Z',
    );
    expect(businessTimeBetween(cal, at('2026-12-25T15:00:00Z'), at('2026-12-29T11:00:00Z'))).toBe(4 * HOUR);
    // 11:30–13:30 local: lunch does not count.
    expect(businessTimeBetween(cal, at('2026-12-30T10:30:00Z'), at('2026-12-30T12:30:00Z'))).toBe(60 * MIN);
  });

  it('keeps wall-clock working hours across daylight-saving changes', () => {
    const cal = office('Europe/Berlin');
    // Friday before the spring change (2026-03-29) 16:00 CET + 2 h = Monday 10:00 CEST (08:00 UTC).
    expect(new Date(addBusinessTime(cal, at('2026-03-27T15:00:00Z'), 2 * HOUR)).toISOString()).toBe(
      '2026-03-30T08:00:00.000Z',
    );
    // New York, 2026-11-01 fall back: Friday 16:00 EDT + 2 h = Monday 10:00 EST (15:00 UTC).
    expect(
      new Date(
        addBusinessTime(office('America/New_York'), at('2026-10-30T20:00:00Z'), 2 * HOUR),
      ).toISOString(),
    ).toBe('2026-11-02T15:00:00.000Z');
  });

  it('gives a day worked around the clock 23 or 25 hours when the clocks change, 23.5 on Lord Howe', () => {
    const day = (cal: Calendar, from: string, to: string) =>
      businessTimeBetween(cal, at(from), at(to)) / HOUR;
    const berlin = aroundTheClock('Europe/Berlin');
    expect(day(berlin, '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z')).toBe(23);
    expect(day(berlin, '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z')).toBe(25);
    // Lord Howe moves its clocks by 30 minutes (2026-10-04 02:00 → 02:30, UTC+10:30 → +11).
    const lh = aroundTheClock('Australia/Lord_Howe');
    expect(day(lh, '2026-10-03T13:30:00Z', '2026-10-04T13:00:00Z')).toBe(23.5);
  });

  it('never counts a skipped hour, counts a repeated one twice', () => {
    // Working 01:00–04:00 local on the change days.
    const night: Calendar = {
      timezone: 'Europe/Berlin',
      week: Array.from({ length: 7 }, () => [[60, 240]] as const),
      holidays: [],
    };
    expect(businessTimeBetween(night, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(2 * HOUR);
    expect(businessTimeBetween(night, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(4 * HOUR);
  });

  it('refuses a calendar without working time instead of looping', () => {
    const none: Calendar = { timezone: 'UTC', week: Array.from({ length: 7 }, () => []), holidays: [] };
    expect(() => addBusinessTime(none, at('2026-01-01T00:00:00Z'), HOUR)).toThrow(EmptyCalendarError);
    expect(businessTimeBetween(none, at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The proof: random calendars, zones with daylight saving (30-minute shifts included), holidays and instants
// near clock changes, checked against a deliberately plain reference that walks minute by minute and asks
// Intl for each minute's local date and time (a different conversion path from the implementation's).

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Sao_Paulo',
];
/** Instants near clock changes in 2026 (and a quiet one), to start from. */
const ANCHORS = [
  '2026-03-08T06:00:00Z',
  '2026-03-29T00:00:00Z',
  '2026-04-04T14:00:00Z',
  '2026-10-03T14:00:00Z',
  '2026-10-25T00:00:00Z',
  '2026-11-01T05:00:00Z',
  '2026-06-15T12:00:00Z',
].map(at);

const parts = new Map<string, Intl.DateTimeFormat>();
function localOf(tz: string, ms: number): { date: string; weekday: number; minute: number } {
  let f = parts.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    parts.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday ?? '');
  return { date: `${p.year}-${p.month}-${p.day}`, weekday, minute: Number(p.hour) * 60 + Number(p.minute) };
}

function refWorking(cal: Calendar, ms: number): boolean {
  const l = localOf(cal.timezone, ms);
  const h = cal.holidays.find((x) => x.date === l.date);
  const spans = h ? (h.hours ?? []) : (cal.week[l.weekday] ?? []);
  return spans.some(([s, e]) => l.minute >= s && l.minute < e);
}

function refBetween(cal: Calendar, a: number, b: number): number {
  let n = 0;
  for (let m = a; m < b; m += MIN) if (refWorking(cal, m)) n += MIN;
  return n;
}

function refAdd(cal: Calendar, start: number, duration: number, limit: number): number | undefined {
  let left = duration;
  for (let m = start; m < start + limit; m += MIN) {
    if (left === 0) return m;
    if (refWorking(cal, m)) left -= MIN;
    if (left === 0) return m + MIN;
  }
  return left === 0 ? start : undefined;
}

const span: fc.Arbitrary<MinuteSpan> = fc
  .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 48 }))
  .map(([a, b]) => [Math.min(a, b - 1) * 30, Math.max(a + 1, b) * 30] as const);
const daySpans = fc.array(span, { maxLength: 3 }).map((spans) => {
  // sorted, merged: what an admin can save
  const out: [number, number][] = [];
  for (const [s, e] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
});
const calendar = (anchor: number): fc.Arbitrary<Calendar> =>
  fc.record({
    timezone: fc.constantFrom(...ZONES),
    week: fc.array(daySpans, { minLength: 7, maxLength: 7 }),
    holidays: fc.array(
      fc.record(
        {
          date: fc
            .integer({ min: -2, max: 6 })
            .map((d) => new Date(anchor + d * 86_400_000).toISOString().slice(0, 10)),
          hours: daySpans,
        },
        { requiredKeys: ['date'] },
      ),
      { maxLength: 3 },
    ),
  });

describe('business time (property: agrees with a minute-by-minute reference)', () => {
  const scenario = fc.constantFrom(...ANCHORS).chain((anchor) =>
    fc.record({
      cal: calendar(anchor),
      start: fc.integer({ min: -36 * 60, max: 36 * 60 }).map((m) => anchor + m * MIN),
      length: fc.integer({ min: 0, max: 72 * 60 }).map((m) => m * MIN),
    }),
  );

  it('businessTimeBetween', () => {
    fc.assert(
      fc.property(scenario, ({ cal, start, length }) => {
        expect(businessTimeBetween(cal, start, start + length)).toBe(refBetween(cal, start, start + length));
      }),
      { numRuns: 120 },
    );
  });

  it('addBusinessTime', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 20 * 60 }), ({ cal, start }, minutes) => {
        const want = refAdd(cal, start, minutes * MIN, 8 * 86_400_000);
        fc.pre(want !== undefined); // a near-empty calendar: the reference gives up after 8 days
        expect(addBusinessTime(cal, start, minutes * MIN)).toBe(want);
      }),
      { numRuns: 120 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// The clock over a ticket's history, against a reference that replays the history minute by minute.

const STATUSES = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled'] as const;
const REASONS = ['requester', 'vendor', 'change'] as const;

/** The plain reference: simulate every minute from creation, count the running working minutes. */
function refClock(
  h: TicketHistory,
  policy: ClockPolicy,
  cal: Calendar,
  kind: 'first_response' | 'resolution',
  now: number,
) {
  const stateAt = (m: number) => {
    let status = h.status;
    let reason = h.pendingReason;
    let priority = h.priority;
    let lastStatusAt = h.createdAt;
    for (const e of h.events) {
      if (e.at > m) break;
      if (e.kind === 'status') {
        status = e.status;
        reason = e.pendingReason;
        lastStatusAt = e.at;
      } else priority = e.priority;
    }
    return { status, reason, priority, lastStatusAt };
  };
  const stopped = (m: number): number | null => {
    if (kind === 'first_response')
      return h.firstResponseAt !== null && h.firstResponseAt <= m ? h.firstResponseAt : null;
    const s = stateAt(m);
    return ['resolved', 'closed', 'cancelled'].includes(s.status) ? s.lastStatusAt : null;
  };
  const running = (m: number): boolean => {
    const s = stateAt(m);
    if (s.status === 'pending' && s.reason !== null && policy.pauseOn.includes(s.reason)) return false;
    if (kind === 'first_response') return h.firstResponseAt === null || m < h.firstResponseAt;
    return !['resolved', 'closed', 'cancelled'].includes(s.status);
  };
  const stoppedAt = stopped(now);
  const priority = stateAt(stoppedAt ?? now).priority;
  const t = policy.targets[priority];
  const minutes = kind === 'first_response' ? t?.firstResponseMinutes : t?.resolutionMinutes;
  if (minutes === null || minutes === undefined) return null;
  const targetMs = minutes * MIN;
  const warnMs = Math.round(minutes * policy.warnShare) * MIN;
  const end = stoppedAt ?? now;
  let elapsed = 0;
  let due: number | null = null;
  let warn: number | null = null;
  // Up to `end` with the real history; beyond it (the projection) with the state at `end`, if it runs.
  const horizon = end + 10 * 86_400_000;
  for (let m = h.createdAt; m < end; m += MIN) if (running(m) && refWorking(cal, m)) elapsed += MIN;
  // Crossing times: walk again, counting into the future while the final state runs.
  let sum = 0;
  const open = stoppedAt === null && running(end);
  for (let m = h.createdAt; m < horizon && (due === null || warn === null); m += MIN) {
    if (m >= end && !open) break;
    if ((m < end ? running(m) : open) && refWorking(cal, m)) {
      sum += MIN;
      if (warn === null && sum >= warnMs) warn = m + MIN;
      if (due === null && sum >= targetMs) due = m + MIN;
    }
  }
  if (warnMs === 0) warn = warn ?? h.createdAt;
  let state: string;
  if (stoppedAt !== null) state = elapsed <= targetMs ? 'met' : 'missed';
  else if (elapsed >= targetMs) state = 'breached';
  else if (!open) state = 'paused';
  else if (elapsed >= warnMs) state = 'warning';
  else state = 'running';
  return {
    elapsedMs: elapsed,
    state,
    dueAt: state === 'met' ? null : due,
    warningAt: state === 'met' ? null : warn,
    stoppedAt,
  };
}

describe('SLA clock (property: agrees with a minute-by-minute replay of the history)', () => {
  const history = (anchor: number): fc.Arbitrary<TicketHistory> =>
    fc
      .record({
        created: fc.integer({ min: -24 * 60, max: 24 * 60 }).map((m) => anchor + m * MIN),
        status: fc.constantFrom('new', 'assigned', 'in_progress'),
        priority: fc.integer({ min: 1, max: 6 }),
        events: fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('status' as const),
              gap: fc.integer({ min: 1, max: 12 * 60 }),
              status: fc.constantFrom(...STATUSES),
              reason: fc.constantFrom(...REASONS),
            }),
            fc.record({
              kind: fc.constant('priority' as const),
              gap: fc.integer({ min: 1, max: 12 * 60 }),
              priority: fc.integer({ min: 1, max: 6 }),
            }),
          ),
          { maxLength: 8 },
        ),
        firstResponse: fc.option(fc.integer({ min: 0, max: 48 * 60 }), { nil: null }),
      })
      .map(({ created, status, priority, events, firstResponse }) => {
        let t = created;
        const evs: HistoryEvent[] = events.map((e) => {
          t += e.gap * MIN;
          return e.kind === 'status'
            ? {
                at: t,
                kind: 'status',
                status: e.status,
                pendingReason: e.status === 'pending' ? e.reason : null,
              }
            : { at: t, kind: 'priority', priority: e.priority };
        });
        return {
          createdAt: created,
          status,
          pendingReason: null,
          priority,
          events: evs,
          firstResponseAt: firstResponse === null ? null : created + firstResponse * MIN,
        };
      });
  const policy: fc.Arbitrary<ClockPolicy> = fc.record({
    targets: fc.dictionary(
      fc.constantFrom('1', '2', '3', '4', '5', '6'),
      fc.record({
        firstResponseMinutes: fc.option(fc.integer({ min: 1, max: 16 * 60 }), { nil: null }),
        resolutionMinutes: fc.option(fc.integer({ min: 1, max: 40 * 60 }), { nil: null }),
      }),
    ),
    pauseOn: fc.subarray(['requester', 'vendor', 'change']),
    warnShare: fc.constantFrom(0.5, 0.75, 0.9),
  });
  const scenario = fc.constantFrom(...ANCHORS).chain((anchor) =>
    fc.record({
      cal: calendar(anchor),
      h: history(anchor),
      policy,
      kind: fc.constantFrom('first_response' as const, 'resolution' as const),
      nowAfter: fc.integer({ min: 0, max: 96 * 60 }),
    }),
  );

  it('readClock', () => {
    fc.assert(
      fc.property(scenario, ({ cal, h, policy: p, kind, nowAfter }) => {
        const now = h.createdAt + nowAfter * MIN;
        const want = refClock(h, p, cal, kind, now);
        let got: ReturnType<typeof readClock>;
        try {
          got = readClock(h, p, cal, kind, now);
        } catch (e) {
          fc.pre(!(e instanceof EmptyCalendarError)); // nothing to compare: the calendar never works
          throw e;
        }
        if (want === null) {
          expect(got).toBeNull();
          return;
        }
        // The reference projects ten days ahead at most.
        fc.pre(want.dueAt !== null || got?.dueAt === null || (got?.dueAt ?? 0) > now + 10 * 86_400_000);
        expect(got && { elapsedMs: got.elapsedMs, state: got.state, stoppedAt: got.stoppedAt }).toEqual({
          elapsedMs: want.elapsedMs,
          state: want.state,
          stoppedAt: want.stoppedAt,
        });
        if (want.dueAt !== null) expect(got?.dueAt).toBe(want.dueAt);
        if (want.warningAt !== null && got?.warningAt !== null) expect(got?.warningAt).toBe(want.warningAt);
      }),
      { numRuns: 150 },
    );
  });
});
