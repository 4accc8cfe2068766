import { z } from 'zod';
import { blankToUndefined } from '../../../platform/http/forms.ts';
import { Pence } from '../innovation.schemas.ts';
import { money, text } from '../../../platform/form-fields.ts';

export const decisionOutcomes = ['fund_full', 'fund_part', 'not_now'] as const;

export const outcomeNames: Record<(typeof decisionOutcomes)[number], string> = { fund_full: 'Fund in full', fund_part: 'Fund in part', not_now: 'Not now' };

export const DecisionForm = z
  .object({
    outcome: z.enum(decisionOutcomes, { error: 'Choose the decision' }),
    amount: z.preprocess(blankToUndefined, money('The amount to fund').optional()),
    feedback: text('feedback for the team', 5000),
  })
  .refine((f) => f.outcome !== 'fund_part' || (f.amount !== undefined && f.amount > 0), { path: ['amount'], message: 'Enter the amount to fund, more than £0' });

export type DecisionInput = z.infer<typeof DecisionForm>;

export const ApiDecision = z.object({
  id: z.string().uuid(),
  caseId: z.string().uuid(),
  teamName: z.string(),
  outcome: z.enum(decisionOutcomes),
  requestedPence: Pence,
  awardedPence: Pence,
  feedback: z.string(),
  source: z.enum(['panel', 'community_vote']),
  decidedAt: z.string(),
});

export const ApiDecisionBody = z.object({ outcome: z.enum(decisionOutcomes), amount: z.string().optional(), feedback: z.string().min(1).max(5000) });
