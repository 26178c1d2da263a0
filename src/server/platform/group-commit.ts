/** One item's outcome in a batch: its value, or the error that item alone failed with. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/**
 * Group commit: concurrent callers' items are written together, a few set-based statements and one commit
 * for the whole batch instead of a transaction each. While `maxInFlight` batches run, new items wait and
 * form the next batch (at most `maxBatch` items), so a lone caller pays nothing extra and a crowd shares
 * each round trip.
 *
 * `run` writes a batch in one transaction and reports each item's own outcome (a validation error fails
 * that item only). When `run` throws for a batch of several, nothing of it was committed, and each item is
 * retried alone, so one item's database error never fails its neighbours.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<Outcome<O>[]>,
    private readonly maxBatch = 64,
    private readonly maxInFlight = 2,
  ) {}

  /** Queues `item` for the next batch; settles with its own outcome. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /**
   * Starts batches on the next turn of the event loop, not at once: requests whose bytes have already
   * arrived get parsed first and join the batch. (On PGlite a whole request can run in microtasks, so
   * starting at once would write every item alone.)
   */
  private pump(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[]) {
    let outcomes: Outcome<O>[];
    try {
      outcomes = await this.run(batch.map((b) => b.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Nothing of the batch was committed: each item goes again on its own, to get its own answer.
      await Promise.all(
        batch.map(async (b) => {
          try {
            settle(b, (await this.run([b.item]))[0]);
          } catch (e) {
            b.reject(e);
          }
        }),
      );
      return;
    }
    batch.forEach((b, i) => settle(b, outcomes[i]));
  }
}

function settle<O>(b: { resolve: (o: O) => void; reject: (e: unknown) => void }, o: Outcome<O> | undefined) {
  if (!o) b.reject(new Error('group commit: the batch returned no outcome for an item'));
  else if (o.ok) b.resolve(o.value);
  else b.reject(o.error);
}
