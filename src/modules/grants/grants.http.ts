import type { FastifyReply } from 'fastify';
import { formatPence, penceToInput } from '../../platform/money.ts';

/** What every grants page shares: money and stage names in templates. */
export const stageTags: Record<string, { text: string; colour: string }> = {
  awarded: { text: 'Awarded', colour: 'blue' },
  in_delivery: { text: 'In delivery', colour: 'green' },
  closing: { text: 'Closing', colour: 'yellow' },
  closed: { text: 'Closed', colour: 'grey' },
};

export function grantsPage(reply: FastifyReply, template: string, values: Record<string, unknown>) {
  return reply.page(template, { money: formatPence, moneyInput: penceToInput, stageTags, ...values });
}
