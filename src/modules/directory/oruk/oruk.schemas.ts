import { z } from 'zod';
import { UUID_PATTERN } from '../../../platform/ids.ts';

/** Query parameters of the Open Referral UK 3.0 API; a bad one is a 400 naming it. */

const MAX_PER_PAGE = 1000;
export const DEFAULT_PER_PAGE = 50;

const uuid = (name: string) => z.string().regex(UUID_PATTERN, `${name} must be a uuid, like 6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001`).optional();
const flag = (name: string) =>
  z
    .enum(['true', 'false'], { message: `${name} must be true or false` })
    .transform((v) => v === 'true')
    .optional();
const text = z.string().trim().max(200, 'must be 200 characters or fewer').optional();

const paging = {
  page: z.coerce.number({ message: 'page must be a whole number from 1' }).int('page must be a whole number from 1').min(1, 'page must be a whole number from 1').optional(),
  per_page: z.coerce
    .number({ message: `per_page must be a whole number from 1 to ${MAX_PER_PAGE}` })
    .int(`per_page must be a whole number from 1 to ${MAX_PER_PAGE}`)
    .min(1, `per_page must be a whole number from 1 to ${MAX_PER_PAGE}`)
    .max(MAX_PER_PAGE, `per_page must be a whole number from 1 to ${MAX_PER_PAGE}`)
    .optional(),
  search: text,
};

const serviceFilters = {
  ...paging,
  format: z.enum(['json', 'ndjson'], { message: 'format must be json or ndjson' }).optional(),
  taxonomy_term_id: uuid('taxonomy_term_id'),
  taxonomy_id: uuid('taxonomy_id'),
  organization_id: uuid('organization_id'),
  modified_after: z
    .string()
    .refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), 'modified_after must be a date and time, like 2026-01-31T09:00:00Z')
    .optional(),
  postcode: z.string().trim().max(10, 'postcode must be a UK postcode, like WY1 2AB').optional(),
  proximity: z.coerce
    .number({ message: 'proximity must be a distance in metres, like 5000' })
    .positive('proximity must be a distance in metres, like 5000')
    .max(1_000_000, 'proximity must be 1,000,000 metres or less')
    .optional(),
  full: flag('full'),
};

const needsPostcode = (q: { postcode?: string; proximity?: number }, ctx: z.RefinementCtx) => {
  if (q.proximity !== undefined && !q.postcode) ctx.addIssue({ code: 'custom', path: ['proximity'], message: 'proximity needs a postcode to measure from' });
};

export const ServicesQuery = z
  .object({ ...serviceFilters, minimal: flag('minimal'), full_service: flag('full_service') })
  .superRefine(needsPostcode);
export type ServicesQuery = z.infer<typeof ServicesQuery>;

export const ServiceAtLocationsQuery = z.object(serviceFilters).superRefine(needsPostcode);
export type ServiceAtLocationsQuery = z.infer<typeof ServiceAtLocationsQuery>;

export const OrganizationsQuery = z.object({ ...paging, full: flag('full'), full_service: flag('full_service') });
export type OrganizationsQuery = z.infer<typeof OrganizationsQuery>;

export const OrganizationQuery = z.object({ full_service: flag('full_service') });

export const TaxonomiesQuery = z.object(paging);
export type TaxonomiesQuery = z.infer<typeof TaxonomiesQuery>;

export const TaxonomyTermsQuery = z.object({ ...paging, taxonomy_id: uuid('taxonomy_id'), parent_id: uuid('parent_id'), top_only: flag('top_only') });
export type TaxonomyTermsQuery = z.infer<typeof TaxonomyTermsQuery>;

/** Path ids are checked by hand: a malformed id is simply not found (404), not a bad request. */
export const IdParams = z.object({ id: z.string() });
