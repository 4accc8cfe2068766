import { z } from 'zod';
import { blankToUndefined } from '../../platform/http/forms.ts';
import { capital, many, pathId, uuid } from '../../platform/form-fields.ts';

/** Schemas shared by the innovation features: the ids in their paths, and the fields their forms are built from. */

/** The platform's form fields (trimmed text, pounds-and-pence money, dates, ids), as the features import them. */

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

export const timeField = (label: string) => z.string({ error: `Enter ${label}` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${capital(label)} must be a time, like 17:00`);

export const optionalUuid = (message: string) => z.preprocess(blankToUndefined, uuid(message).optional());
/** Checkboxes arrive as one string or many: at most 500. */
export const list = (item: z.ZodType<string>) => many(item, 500);

// The JSON API (/api/v1/programmes…): what it answers, as OpenAPI documents it.
export const apiTags = ['Innovation'];
export const apiSecurity = [{ apiToken: [] }];
export const Pence = z.number().int().describe('Whole pence (exact): 123456 is £1,234.56');
