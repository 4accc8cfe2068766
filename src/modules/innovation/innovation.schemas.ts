import { z } from 'zod';
import { isCalendarDate } from '../../platform/dates.ts';
import { blankToUndefined } from '../../platform/http/forms.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';
import { parseMoney } from '../../platform/money.ts';

/** Schemas shared by the innovation features: the ids in their paths, and the fields their forms are built from. */

/** An id in the path: anything but a uuid is a page that is not there (404). */
const pathId = (what: string) => z.string().regex(UUID_PATTERN).describe(`The ${what}’s id (a uuid)`);

/** `/programmes/:id…`: every programme page and API route. */
export const ProgrammeParams = z.object({ id: pathId('programme') });
export const IdeaParams = ProgrammeParams.extend({ ideaId: pathId('idea') });
export const TeamParams = ProgrammeParams.extend({ teamId: pathId('team') });
export const SessionParams = ProgrammeParams.extend({ sessionId: pathId('session') });
export const NeedParams = ProgrammeParams.extend({ needId: pathId('need') });
export const CaseParams = ProgrammeParams.extend({ caseId: pathId('investment case') });
export const CriterionParams = ProgrammeParams.extend({ criterionId: pathId('criterion') });
export const MemberParams = ProgrammeParams.extend({ userId: pathId('participant') });
export const ProjectParams = ProgrammeParams.extend({ projectId: pathId('project') });
export const MilestoneParams = ProjectParams.extend({ milestoneId: pathId('milestone') });
export const MeasureParams = ProjectParams.extend({ measureId: pathId('measure') });
export const ExportParams = ProgrammeParams.extend({ what: z.string() });

/** A form with no fields of its own: a button. */
export const NoFields = z.object({});

/** The building blocks of the features' form schemas. Money fields take "£1,234.56" and give whole pence. */

export const text = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: `Enter ${label}` }).min(1, `Enter ${label}`).max(max, `${capital(label)} must be ${max} characters or fewer`),
  );
export const optionalText = (label: string, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : (v ?? '')), z.string().max(max, `${capital(label)} must be ${max} characters or fewer`));

export function capital(label: string): string {
  const l = label.replace(/^(the|a|an) /, '');
  return l.charAt(0).toUpperCase() + l.slice(1);
}

export const money = (label: string) =>
  z.unknown().transform((value, ctx) => {
    const result = parseMoney(value, label);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.pence;
  });

export const optionalMoney = (label: string) => z.preprocess(blankToUndefined, money(label).optional());

export const dateField = (label: string) => z.string({ error: `Enter ${label}` }).refine(isCalendarDate, `${capital(label)} must be a real date, like 2026-03-27`);
export const optionalDate = (label: string) => z.preprocess(blankToUndefined, dateField(label).optional());
export const timeField = (label: string) => z.string({ error: `Enter ${label}` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${capital(label)} must be a time, like 17:00`);

export const uuid = (message: string) => z.string({ error: message }).uuid(message);
export const optionalUuid = (message: string) => z.preprocess(blankToUndefined, uuid(message).optional());
/** Checkboxes arrive as one string or many. */
export const list = (item: z.ZodType<string>) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(500));

// The JSON API (/api/v1/programmes…): what it answers, as OpenAPI documents it.
export const apiTags = ['Innovation'];
export const apiSecurity = [{ apiToken: [] }];
export const Pence = z.number().int().describe('Whole pence (exact): 123456 is £1,234.56');
