import { z } from 'zod';
import { loadKinds } from './layouts.ts';

/** The upload form: the file arrives as a Buffer (multipart). */
export const LoadForm = z.object({
  kind: z.enum(loadKinds as [string, ...string[]], { message: 'Choose what kind of extract this is' }),
  partner: z.string().trim().min(1, 'Enter the partner the extract comes from').max(200, 'Partner must be 200 characters or fewer'),
  file: z.custom<Buffer>((v) => Buffer.isBuffer(v) && v.length > 0, { message: 'Choose a CSV or Parquet file to load' }),
});
export type LoadForm = z.infer<typeof LoadForm>;

export const LoadParams = z.object({ id: z.uuid() });
export const NoFields = z.object({});
