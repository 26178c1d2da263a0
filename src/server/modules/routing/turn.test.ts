import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextInTurn } from './apply.js';

const ids = fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 8 }).map((a) => [...a].sort());

describe('nextInTurn (assignment inside a team)', () => {
  it('round-robin: over any run of picks, no member gets two more than another', () => {
    fc.assert(
      fc.property(
        ids,
        fc.integer({ min: 1, max: 60 }),
        fc.option(fc.uuid(), { nil: null }),
        (members, picks, start) => {
          const got = new Map(members.map((m) => [m, 0]));
          let last = start;
          for (let i = 0; i < picks; i++) {
            last = nextInTurn(
              members.map((id) => ({ id, open: 0 })),
              last,
              'round_robin',
            ) as string;
            got.set(last, (got.get(last) ?? 0) + 1);
          }
          const counts = [...got.values()];
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          expect(got.size).toBe(members.length);
        },
      ),
    );
  });

  it('round-robin: membership changes (someone away, someone back) never repeat a member while others wait', () => {
    fc.assert(
      fc.property(ids, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (members, awayPattern) => {
        let last: string | null = null;
        for (const bits of awayPattern) {
          const available = members.filter((_, i) => ((bits >> i) & 1) === 0);
          const pick = nextInTurn(
            available.map((id) => ({ id, open: 0 })),
            last,
            'round_robin',
          );
          if (available.length === 0) {
            expect(pick).toBeUndefined();
            continue;
          }
          if (available.length > 1) expect(pick).not.toBe(last);
          expect(available).toContain(pick);
          last = pick ?? last;
        }
      }),
    );
  });

  it('fewest-open: always a member with the fewest open tickets, ties in round-robin order', () => {
    fc.assert(
      fc.property(
        ids.chain((m) =>
          fc.tuple(
            fc.constant(m),
            fc.array(fc.nat({ max: 5 }), { minLength: m.length, maxLength: m.length }),
          ),
        ),
        fc.option(fc.uuid(), { nil: null }),
        ([members, open], last) => {
          const cands = members.map((id, i) => ({ id, open: open[i] ?? 0 }));
          const pick = nextInTurn(cands, last, 'fewest_open');
          const min = Math.min(...cands.map((c) => c.open));
          expect(cands.find((c) => c.id === pick)?.open).toBe(min);
          const tied = cands.filter((c) => c.open === min);
          expect(pick).toBe(nextInTurn(tied, last, 'round_robin'));
        },
      ),
    );
  });
});
