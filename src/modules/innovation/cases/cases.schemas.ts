import { z } from 'zod';
import { Pence } from '../innovation.schemas.ts';
import { money, optionalMoney, optionalText, text } from '../../../platform/form-fields.ts';

const budgetLineCount = 8;
export const BUDGET_LINES = budgetLineCount;

export const CaseForm = z
  .object({
    requested: money('The amount requested'),
    summary: optionalText('the summary', 5000),
    outcomes: text('the outcomes', 5000),
    evaluationPlan: text('how it will be evaluated', 5000),
    risks: text('the risks', 5000),
    ...Object.fromEntries(
      Array.from({ length: budgetLineCount }, (_, i) => [
        [`line${i + 1}Description`, optionalText('the budget line', 500)],
        [`line${i + 1}Amount`, optionalMoney(`Budget line ${i + 1}`)],
      ]).flat(),
    ),
  })
  .transform((f, ctx) => {
    const record = f as Record<string, unknown>;
    const budgetLines: { description: string; amountPence: number }[] = [];
    for (let i = 1; i <= budgetLineCount; i++) {
      const description = record[`line${i}Description`] as string;
      const amount = record[`line${i}Amount`] as number | undefined;
      if (!description && amount === undefined) continue;
      if (!description) ctx.addIssue({ code: 'custom', path: [`line${i}Description`], message: `Describe budget line ${i}` });
      else if (amount === undefined) ctx.addIssue({ code: 'custom', path: [`line${i}Amount`], message: `Enter the amount for budget line ${i}` });
      else budgetLines.push({ description, amountPence: amount });
    }
    if (!budgetLines.length) ctx.addIssue({ code: 'custom', path: ['line1Description'], message: 'Enter at least one budget line' });
    return { requestedPence: record.requested as number, summary: record.summary as string, outcomes: record.outcomes as string, evaluationPlan: record.evaluationPlan as string, risks: record.risks as string, budgetLines };
  });

export type CaseInput = z.output<typeof CaseForm>;

/** A draft keeps the form as typed: nothing is required yet, only lengths are checked. */
export const CaseDraftForm = z
  .object({
    requested: z.string().max(30, 'The amount requested must be 30 characters or fewer').optional(),
    summary: z.string().max(5000, 'The summary must be 5000 characters or fewer').optional(),
    outcomes: z.string().max(5000, 'The outcomes must be 5000 characters or fewer').optional(),
    evaluationPlan: z.string().max(5000, 'How it will be evaluated must be 5000 characters or fewer').optional(),
    risks: z.string().max(5000, 'The risks must be 5000 characters or fewer').optional(),
    ...Object.fromEntries(
      Array.from({ length: budgetLineCount }, (_, i) => [
        [`line${i + 1}Description`, z.string().max(500, `Budget line ${i + 1} must be 500 characters or fewer`).optional()],
        [`line${i + 1}Amount`, z.string().max(30, `The amount for line ${i + 1} must be 30 characters or fewer`).optional()],
      ]).flat(),
    ),
  })
  .transform((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as Record<string, string>);

export const ApiCase = z.object({
  id: z.string().uuid(),
  teamId: z.string().uuid(),
  teamName: z.string(),
  requestedPence: Pence,
  summary: z.string(),
  outcomes: z.string(),
  evaluationPlan: z.string(),
  risks: z.string(),
  budgetLines: z.array(z.object({ description: z.string(), amountPence: Pence })),
  updatedAt: z.string(),
});
