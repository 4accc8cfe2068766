import { z } from 'zod';
import { isoDate, opt } from '../social-prescribing.schemas.ts';

export const ReportForm = z
  .object({
    pcnId: opt(z.string().refine((v) => v === 'all' || z.string().uuid().safeParse(v).success, 'Select a PCN or the whole partnership')),
    from: opt(isoDate('From date')),
    to: opt(isoDate('To date')),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'The to date must be the same as or after the from date' });
