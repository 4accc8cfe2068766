import { z } from 'zod';

/** Which messages the outbox page lists: those waiting, or those already sent another way. */
export const OutboxQuery = z.object({
  show: z.enum(['waiting', 'handled']).default('waiting'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type OutboxQuery = z.infer<typeof OutboxQuery>;

export const MessageParams = z.object({ id: z.uuid() });

/** "I sent it another way": an optional note of how. */
export const SentAnotherWayForm = z.object({
  note: z.string().trim().max(500, 'How you sent it must be 500 characters or fewer').optional(),
});
export type SentAnotherWayForm = z.infer<typeof SentAnotherWayForm>;
