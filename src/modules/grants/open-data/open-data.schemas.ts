import { z } from 'zod';

export const FundingRoutesQuery = z.object({
  geoCode: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(20).regex(/^[A-Z0-9]+$/i, 'Enter an area code such as E08000035').optional()),
  classification: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(100).optional()),
  size: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['micro', 'small', 'medium', 'large', 'major'], { error: 'Choose a size from the list' }).optional()),
});

const Org = z.looseObject({ id: z.string(), name: z.string() });
export const ThreeSixtyGivingPackage = z
  .looseObject({
    grants: z.array(
      z.looseObject({
        id: z.string().describe('360G-<publisher prefix>-<reference>'),
        title: z.string(),
        description: z.string(),
        currency: z.literal('GBP'),
        amountAwarded: z.number(),
        awardDate: z.string(),
        recipientOrganization: z.array(Org),
        fundingOrganization: z.array(Org),
      }),
    ),
    version: z.string(),
  })
  .describe('A 360Giving Data Standard 1.4 package');
