import { z } from 'zod';
import { ageBands, settingCodes } from '../settings.ts';

const blankIsNone = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The filters every analysis takes (blank means "all"). */
export const AnalysisQuery = z.object({
  year: blankIsNone(z.coerce.number().int().min(1990).max(2100)),
  locality: blankIsNone(z.string().max(100)),
  ageBand: blankIsNone(z.enum(ageBands)),
  sex: blankIsNone(z.enum(['male', 'female', 'unknown'])),
  quintile: blankIsNone(z.coerce.number().int().min(1).max(5)),
  setting: blankIsNone(z.enum(settingCodes as [string, ...string[]])),
  measure: z.preprocess((v) => (v === '' || v === undefined ? 'both' : v), z.enum(['health', 'social', 'both'])),
  format: blankIsNone(z.enum(['csv'])),
});
export type AnalysisQuery = z.infer<typeof AnalysisQuery>;
