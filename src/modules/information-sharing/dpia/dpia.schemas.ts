import { z } from 'zod';
import { many, opt, req, text } from '../information-sharing.schemas.ts';

/** The ICO's list of processing likely to be high risk: any one means a DPIA is needed. */
export const screeningQuestions = {
  matching: 'Combining, comparing or matching data from several sources',
  large_scale_health: 'Large-scale processing of health or other special category data',
  vulnerable: 'Processing data about vulnerable people (including children)',
  new_technology: 'Using new or innovative technology',
  denial: 'Decisions that could deny someone a service, opportunity or benefit',
  monitoring: 'Systematic monitoring of people',
  invisible: 'Processing people would not expect, without telling them',
} as const;
export const screeningIds = Object.keys(screeningQuestions) as [keyof typeof screeningQuestions, ...(keyof typeof screeningQuestions)[]];
export const levels = { 1: 'Remote', 2: 'Possible', 3: 'Probable' } as const;
export const severities = { 1: 'Minimal', 2: 'Significant', 3: 'Severe' } as const;
export const residuals = { low: 'Low', medium: 'Medium', high: 'High' } as const;

export const DpiaForm = z.object({
  version: z.coerce.number().int().min(1),
  screening: many(z.enum(screeningIds, { error: 'Choose screening answers from the list' })),
  dpoAdvice: opt(text('The DPO’s advice')),
});
export type DpiaForm = z.infer<typeof DpiaForm>;

const score = (label: string) => z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number({ error: `Choose the ${label}` }).int().min(1, `Choose the ${label}`).max(3, `Choose the ${label}`));
export const RiskForm = z.object({
  version: z.coerce.number().int().min(1),
  description: req(text('Risk', 1000), 'Describe the risk'),
  likelihood: score('likelihood'),
  severity: score('severity'),
  mitigation: req(text('Mitigation', 2000), 'Say how the risk is reduced'),
  residual: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['low', 'medium', 'high'], { error: 'Choose the residual risk' })),
});
export type RiskForm = z.infer<typeof RiskForm>;

export const DecisionForm = z.object({ version: z.coerce.number().int().min(1), decision: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['send', 'approve', 'return'], { error: 'Choose what to do' })) });
export type DecisionForm = z.infer<typeof DecisionForm>;
