/**
 * The API's request rate limits, per user and per client address: a fixed window per key, counted in this
 * process. A check and its count are one synchronous step (no await between them), so parallel requests cannot
 * both take the last slot. Each Steward process counts its own requests: behind a load balancer over n processes
 * a client gets up to n times the limit (documented; sign-in limits are in the database, auth.service.ts).
 */
import { AppError } from './errors.js';

/** Requests allowed per window, per user and per address; 0 turns a limit off. */
export interface RateLimits {
  perUser: number;
  perAddress: number;
  windowMs: number;
}

interface Window {
  start: number;
  count: number;
}

/** A limiter over fixed windows; `now` is injectable for tests. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private sweptAt = 0;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one request of `userId` (when signed in) from `address`, or throws 429 with the seconds until the
   * window that refused it ends. A refused request counts against neither key.
   */
  take(userId: string | null, address: string): void {
    const t = this.now();
    this.sweep(t);
    const keys: [string, number][] = [];
    if (userId && this.limits.perUser > 0) keys.push([`user:${userId}`, this.limits.perUser]);
    if (this.limits.perAddress > 0) keys.push([`ip:${address}`, this.limits.perAddress]);
    const windows = keys.map(([key, max]) => {
      let w = this.windows.get(key);
      if (!w || t - w.start >= this.limits.windowMs) {
        w = { start: t, count: 0 };
        this.windows.set(key, w);
      }
      return { w, max, key };
    });
    const full = windows.find(({ w, max }) => w.count >= max);
    if (full) {
      const seconds = Math.max(1, Math.ceil((full.w.start + this.limits.windowMs - t) / 1000));
      const err = new AppError(
        429,
        'rate_limited',
        'Too many requests',
        `too many requests ${full.key.startsWith('user:') ? 'by this user' : 'from this address'}: try again in ${seconds} s`,
      );
      throw Object.assign(err, { retryAfter: seconds });
    }
    for (const { w } of windows) w.count++;
  }

  /** Forgets windows that ended, at most once a window, so the map holds only recent clients. */
  private sweep(t: number): void {
    if (t - this.sweptAt < this.limits.windowMs) return;
    this.sweptAt = t;
    for (const [k, w] of this.windows) if (t - w.start >= this.limits.windowMs) this.windows.delete(k);
  }
}
