import { describe, expect, it } from 'vitest';
import { GroupCommit, type Outcome } from './group-commit.js';

/** Lets the event loop run queued microtasks and timers, so batches form the way they do under load. */
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('GroupCommit', () => {
  it('gathers items of the same turn, and those that arrive while a batch runs, in order', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        await tick();
        return items.map((i) => ({ ok: true, value: i * 10 }));
      },
      4,
      1,
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)));
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    // An item submitted while a batch runs waits for the next one.
    batches.length = 0;
    const first = gc.submit(1);
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, gc.submit(2), gc.submit(3)]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('fails only the item whose own outcome is an error', async () => {
    const outcome = (i: number): Outcome<number> =>
      i === 2 ? { ok: false, error: new Error('two') } : { ok: true, value: i };
    const gc = new GroupCommit<number, number>((items) => Promise.resolve(items.map(outcome)));
    const settled = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('retries each item alone when a whole batch throws, so one bad item does not fail its neighbours', async () => {
    const runs: number[][] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        runs.push(items);
        await tick();
        if (items.includes(13)) throw new Error('constraint violated by 13');
        return items.map((i) => ({ ok: true, value: i }));
      },
      64,
      1,
    );
    const first = gc.submit(1);
    // 12–14 arrive while the batch of 1 runs, so they form the next batch (which 13 makes fail).
    await new Promise((r) => setImmediate(r));
    const rest = [12, 13, 14].map((i) => gc.submit(i));
    const settled = await Promise.allSettled([first, ...rest]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      1,
      12,
      'constraint violated by 13',
      14,
    ]);
    expect(runs.slice(0, 2)).toEqual([[1], [12, 13, 14]]);
    expect(runs.slice(2).sort()).toEqual([[12], [13], [14]]);
  });

  it('never runs more than maxInFlight batches at once', async () => {
    let running = 0;
    let peak = 0;
    const gc = new GroupCommit<number, number>(
      async (items) => {
        peak = Math.max(peak, ++running);
        await tick();
        running--;
        return items.map((i) => ({ ok: true, value: i }));
      },
      2,
      2,
    );
    await Promise.all(Array.from({ length: 20 }, (_, i) => gc.submit(i)));
    expect(peak).toBe(2);
  });
});
