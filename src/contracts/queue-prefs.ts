import { z } from 'zod';

/** The columns the ticket queue can show, besides the ticket key and title that it always shows. */
export const QUEUE_COLUMNS = [
  'status',
  'priority',
  'team',
  'assignee',
  'requester',
  'category',
  'slaDue',
  'updated',
] as const;
export const QueueColumn = z.enum(QUEUE_COLUMNS);
export type QueueColumn = z.infer<typeof QueueColumn>;

/** What a new user's queue shows. */
export const DEFAULT_QUEUE_COLUMNS: readonly QueueColumn[] = [
  'status',
  'priority',
  'team',
  'assignee',
  'requester',
  'category',
  'slaDue',
];

/** One person's queue layout: the chosen columns in order, and the row density. */
export const QueuePrefs = z.strictObject({
  columns: z
    .array(QueueColumn)
    .max(QUEUE_COLUMNS.length)
    .refine((c) => new Set(c).size === c.length, 'each column at most once'),
  density: z.enum(['comfortable', 'compact']),
});
export type QueuePrefs = z.infer<typeof QueuePrefs>;
