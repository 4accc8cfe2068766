import { z } from 'zod';
import { isCalendarDate } from '../../../platform/dates.ts';
import { ageBands, settingCodes } from '../settings.ts';

const blankIsNone = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** A cohort to test: referred on to an organisation, found by a rule, or listed by pseudonym with start dates. */
export const ChangeForm = z
  .object({
    source: z.enum(['organisation', 'rule', 'list'], { message: 'Choose where the cohort comes from' }),
    organisationId: blankIsNone(z.union([z.uuid(), z.literal('all')], { message: 'Choose the organisation people were referred to' })),
    year: blankIsNone(z.coerce.number().int().min(1990).max(2100)),
    setting: blankIsNone(z.enum(settingCodes as [string, ...string[]], { message: 'Choose a setting' })),
    ageBand: blankIsNone(z.enum(ageBands)),
    list: blankIsNone(z.string().max(2_000_000)),
    months: z.coerce.number().refine((m) => m === 3 || m === 6 || m === 12, 'Choose 3, 6 or 12 months'),
  })
  .superRefine((form, ctx) => {
    if (form.source === 'organisation' && !form.organisationId) ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'Choose the organisation people were referred to' });
    if (form.source === 'rule' && !form.setting) ctx.addIssue({ code: 'custom', path: ['setting'], message: 'Choose the setting whose first use starts each person\'s period' });
    if (form.source === 'rule' && !form.year) ctx.addIssue({ code: 'custom', path: ['year'], message: 'Choose the financial year' });
    if (form.source === 'list') {
      const lines = (form.list ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      if (!lines.length) ctx.addIssue({ code: 'custom', path: ['list'], message: 'Enter a pseudonym and start date on each line' });
      const bad = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => {
        const [pseudonym, date] = l.split(/[,\s]+/);
        return !/^[0-9a-f]{64}$/.test(pseudonym ?? '') || !isCalendarDate(date ?? '');
      });
      if (bad.length) ctx.addIssue({ code: 'custom', path: ['list'], message: `Line${bad.length > 1 ? 's' : ''} ${bad.slice(0, 5).map(([, n]) => n).join(', ')}${bad.length > 5 ? ' …' : ''}: write a pseudonym (64 characters, 0-9 and a-f) then a start date like 2025-06-01` });
    }
  });
export type ChangeForm = z.infer<typeof ChangeForm>;
