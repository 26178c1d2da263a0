import type { Ctx } from '../../platform/context.js';
import { allows, type Actor } from '../../platform/permissions.js';
import { visibleTicketIds } from '../tickets/index.js';

/** The notification channel of live updates (tickets' triggers and presence announcements). */
export const LIVE_CHANNEL = 'steward_live';

/** One open event stream: who is listening and how to write to them. */
export interface Subscriber {
  actor: Actor;
  send(event: string, data: unknown): void;
  /** Ends the stream (server shutdown). */
  end(): void;
}

/** Someone on a ticket right now, as others see them. */
export interface Presence {
  userId: string;
  name: string;
  state: 'viewing' | 'replying';
  /** When this heartbeat lapses (epoch ms). */
  until: number;
}

/** How long a heartbeat keeps someone shown on a ticket: the web app beats every 15 s. */
export const PRESENCE_TTL_MS = 45_000;
/** Changes arriving within this window go to each subscriber as one visibility query. */
const COALESCE_MS = 50;

/**
 * The live hub of one server: its event-stream subscribers, the ticket changes it hears of (from this and
 * every other process, through LISTEN), and who is on which ticket. Ticket changes are coalesced and checked
 * per subscriber with the tickets' one visibility rule: a subscriber only ever hears of tickets they may see.
 */
export class LiveHub {
  readonly #ctx: Ctx;
  readonly #subs = new Set<Subscriber>();
  #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  readonly #presence = new Map<string, Map<string, Presence>>();
  #flushing: Promise<void> = Promise.resolve();
  readonly #onError: (err: unknown) => void;

  constructor(ctx: Ctx, onError: (err: unknown) => void) {
    this.#ctx = ctx;
    this.#onError = onError;
  }

  /** Adds a stream; returns how to remove it. */
  subscribe(sub: Subscriber): () => void {
    this.#subs.add(sub);
    return () => this.#subs.delete(sub);
  }

  /** How many streams are open (tests, health). */
  get size(): number {
    return this.#subs.size;
  }

  /** A notification on {@link LIVE_CHANNEL}: `ticket:<id>` or `presence:<json>`. Anything else is ignored. */
  heard(payload: string): void {
    if (payload.startsWith('ticket:')) {
      const id = payload.slice(7);
      if (!/^[0-9a-f-]{36}$/i.test(id)) return;
      this.#pending.add(id);
      this.#timer ??= setTimeout(() => this.#flush(), COALESCE_MS);
    } else if (payload.startsWith('presence:')) {
      this.#heardPresence(payload.slice(9));
    }
  }

  /** Who is on a ticket now, apart from `except`. */
  presenceOf(ticketId: string, except: string | null): Presence[] {
    const now = Date.now();
    return [...(this.#presence.get(ticketId)?.values() ?? [])]
      .filter((p) => p.until > now && p.userId !== except)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Drops lapsed heartbeats and tells the ticket's watchers (run every few seconds). */
  sweep(): void {
    const now = Date.now();
    for (const [ticketId, people] of this.#presence) {
      let changed = false;
      for (const [userId, p] of people) {
        if (p.until <= now) {
          people.delete(userId);
          changed = true;
        }
      }
      if (people.size === 0) this.#presence.delete(ticketId);
      if (changed) this.#announcePresence(ticketId);
    }
  }

  /** Waits until the changes heard so far have gone out (tests). */
  async settled(): Promise<void> {
    await this.#flushing;
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const sub of [...this.#subs]) sub.end();
    this.#subs.clear();
  }

  #heardPresence(json: string): void {
    let p: { ticketId?: unknown; userId?: unknown; name?: unknown; state?: unknown };
    try {
      p = JSON.parse(json) as typeof p;
    } catch {
      return;
    }
    const { ticketId, userId, name, state } = p;
    if (typeof ticketId !== 'string' || typeof userId !== 'string' || typeof name !== 'string') return;
    const people = this.#presence.get(ticketId) ?? new Map<string, Presence>();
    const before = people.get(userId)?.state;
    if (state === 'viewing' || state === 'replying') {
      people.set(userId, { userId, name, state, until: Date.now() + PRESENCE_TTL_MS });
    } else {
      people.delete(userId);
    }
    if (people.size > 0) this.#presence.set(ticketId, people);
    else this.#presence.delete(ticketId);
    // A heartbeat that changes nothing is not news.
    if (before !== people.get(userId)?.state) this.#announcePresence(ticketId);
  }

  /** Presence goes to agents and above who may see the ticket. */
  #announcePresence(ticketId: string): void {
    const people = this.presenceOf(ticketId, null).map(({ userId, name, state }) => ({
      userId,
      name,
      state,
    }));
    this.#deliver([ticketId], (sub, visible) => {
      if (visible.length > 0 && allows(sub.actor, 'ticket:work')) sub.send('presence', { ticketId, people });
    });
  }

  #flush(): void {
    this.#timer = undefined;
    const ids = [...this.#pending];
    this.#pending = new Set();
    this.#deliver(ids, (sub, visible) => {
      for (const id of visible) sub.send('ticket', { id });
    });
  }

  #deliver(ids: string[], send: (sub: Subscriber, visible: string[]) => void): void {
    const subs = [...this.#subs];
    this.#flushing = this.#flushing.then(async () => {
      // One query per person and role, however many tabs they have open.
      const seen = new Map<string, Promise<string[]>>();
      for (const sub of subs) {
        if (!this.#subs.has(sub)) continue;
        const key = `${sub.actor.userId}:${sub.actor.role}`;
        let visible = seen.get(key);
        if (!visible) seen.set(key, (visible = visibleTicketIds(this.#ctx.db, sub.actor, ids)));
        try {
          send(sub, await visible);
        } catch (err) {
          this.#onError(err);
        }
      }
    });
  }
}
