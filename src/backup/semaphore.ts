/** A counting semaphore: bounds how many reads, saves or uploads run at once. */
export class Semaphore {
  private waiters: (() => void)[] = [];
  constructor(private free: number) {}

  /** Waits for a slot. Pair every acquire with one {@link Semaphore.release}. */
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Frees a slot, handing it straight to the oldest waiter if any. */
  release(): void {
    const w = this.waiters.shift();
    if (w) w();
    else this.free++;
  }

  /** Runs `fn` holding a slot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
