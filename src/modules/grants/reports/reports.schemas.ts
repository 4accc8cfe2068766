import { z } from 'zod';
import { dateField, text } from '../../../platform/form-fields.ts';

export const reportKinds = ['progress', 'spend_return', 'final'] as const;
export const reportKindNames: Record<(typeof reportKinds)[number], string> = { progress: 'Progress report', spend_return: 'Spend return', final: 'Final report' };

export const RequirementForm = z.object({
  kind: z.enum(reportKinds, { error: 'Choose the kind of report' }),
  dueOn: dateField('the due date'),
});

/** The narrative; spend per budget line comes as `spend-<line id>` fields, read by the service. */
export const SubmitReportForm = z.looseObject({ narrative: text('what happened and what changed', 20000) });

/** How many days before the due date the first reminder goes. */
export const REMIND_DAYS_BEFORE = 7;
