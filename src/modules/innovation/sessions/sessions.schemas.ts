import { z } from 'zod';
import { blankToUndefined } from '../../../platform/http/forms.ts';
import { list, optionalUuid, timeField } from '../innovation.schemas.ts';
import { dateField, optionalText, text, uuid } from '../../../platform/form-fields.ts';

export const sessionKinds = ['workshop', 'group_coaching', 'mentoring', 'support_group'] as const;

export const sessionKindNames: Record<(typeof sessionKinds)[number], string> = {
  workshop: 'Workshop',
  group_coaching: 'Group coaching',
  mentoring: 'Mentoring',
  support_group: 'Support group',
};

export const SessionForm = z
  .object({
    kind: z.enum(sessionKinds, { error: 'Choose the kind of session' }),
    title: text('a title', 200),
    date: dateField('the date'),
    time: timeField('the start time'),
    location: optionalText('the place', 500),
    teamId: optionalUuid('Choose a team from the list'),
    repeatEveryMonths: z.preprocess(blankToUndefined, z.coerce.number({ error: 'Repeat every must be a whole number of months from 1 to 12' }).int('Repeat every must be a whole number of months from 1 to 12').min(1, 'Repeat every must be a whole number of months from 1 to 12').max(12, 'Repeat every must be a whole number of months from 1 to 12').optional()),
    repeatTimes: z.preprocess(blankToUndefined, z.coerce.number({ error: 'Number of sessions must be a whole number from 2 to 24' }).int('Number of sessions must be a whole number from 2 to 24').min(2, 'Number of sessions must be a whole number from 2 to 24').max(24, 'Number of sessions must be a whole number from 2 to 24').optional()),
  })
  .refine((f) => !f.repeatEveryMonths === !f.repeatTimes, { path: ['repeatTimes'], message: 'To repeat a session, enter both how often and how many sessions' });

export type SessionForm = z.infer<typeof SessionForm>;

export const AttendanceForm = z.object({
  attendeeIds: list(uuid('Choose people from the list')),
  notes: optionalText('the notes', 10000),
  held: z.preprocess((v) => v === 'yes', z.boolean()),
});
