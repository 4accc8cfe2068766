import { z } from 'zod';

export const RegisterQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).optional() });

export const MapQuery = z.object({ show: z.enum(['active', 'all']).optional() });

const RegisterFlowSchema = z.object({
  from: z.string(),
  to: z.string(),
  commonGroundFlow: z.string().nullable(),
  dataItems: z.array(z.string()),
  identifiability: z.string(),
  frequency: z.string(),
  method: z.string(),
  lawfulBasis: z.string(),
  specialCategoryCondition: z.string().nullable(),
  confidentiality: z.string().nullable(),
  nationalDataOptOutApplies: z.boolean(),
});

export const RegisterSchema = z.object({
  generatedOn: z.string(),
  agreements: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      purpose: z.string(),
      startOn: z.string().nullable(),
      reviewOn: z.string().nullable(),
      endOn: z.string().nullable(),
      parties: z.array(z.object({ name: z.string(), role: z.string() })),
      flows: z.array(RegisterFlowSchema),
    }),
  ),
});
