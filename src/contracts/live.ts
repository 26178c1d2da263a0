import { z } from 'zod';

/** What a person is doing on a ticket, as they tell the server every 15 s; `gone` when they leave. */
export const PresenceState = z.enum(['viewing', 'replying', 'gone']);
export type PresenceState = z.infer<typeof PresenceState>;

/** A heartbeat on a ticket. */
export const PresenceBeat = z.strictObject({ state: PresenceState });
export type PresenceBeat = z.infer<typeof PresenceBeat>;

/** The other people on a ticket right now (the caller is left out). */
export const TicketPresence = z.object({
  ticketId: z.uuid(),
  people: z.array(z.object({ userId: z.uuid(), name: z.string(), state: z.enum(['viewing', 'replying']) })),
});
export type TicketPresence = z.infer<typeof TicketPresence>;

/**
 * The events of GET /api/v1/events (server-sent events): `ticket` (data `{ id }`: a ticket the caller may see
 * changed; fetch it again) and `presence` (data: a {@link TicketPresence}, everyone on the ticket).
 */
export const LiveTicketEvent = z.object({ id: z.uuid() });
export type LiveTicketEvent = z.infer<typeof LiveTicketEvent>;
