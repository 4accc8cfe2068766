import { z } from 'zod';
import { loadKinds, OPT_OUT_MOVED } from './layouts.ts';

/** The upload form: the file arrives as a Buffer (multipart). */
export const LoadForm = z.object({
  kind: z.enum(loadKinds as [string, ...string[]], { error: (issue) => (issue.input === 'opt-out' ? OPT_OUT_MOVED : 'Choose what kind of extract this is') }),
  partnerOrganisationId: z.uuid({ message: 'Choose the partner organisation the extract comes from' }),
  file: z.custom<Buffer>((v) => Buffer.isBuffer(v) && v.length > 0, { message: 'Choose a CSV or Parquet file to load' }),
});
export type LoadForm = z.infer<typeof LoadForm>;

export const LoadParams = z.object({ id: z.uuid() });
export const NoFields = z.object({});
