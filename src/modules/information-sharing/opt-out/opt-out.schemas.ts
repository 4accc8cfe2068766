import { z } from 'zod';

/** The national data opt-out list: a CSV (or plain list) of NHS numbers, one a line. */
export const OptOutUploadForm = z.object({
  file: z.preprocess(
    (value) => (Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : ''),
    z.string().refine((content) => content.trim() !== '', 'Choose a CSV file of NHS numbers'),
  ),
});
