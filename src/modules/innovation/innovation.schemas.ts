import { z } from 'zod';
import { isCalendarDate } from '../../platform/dates.ts';
import { blankToUndefined } from '../../platform/http/forms.ts';
import { UUID_PATTERN, isUuid } from '../../platform/ids.ts';
import { parseMoney } from '../../platform/money.ts';
import { stages } from './stages.ts';

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

/** Form schemas for the innovation pages. Money fields take "£1,234.56" and give whole pence. */

const text = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: `Enter ${label}` }).min(1, `Enter ${label}`).max(max, `${capital(label)} must be ${max} characters or fewer`),
  );
const optionalText = (label: string, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : (v ?? '')), z.string().max(max, `${capital(label)} must be ${max} characters or fewer`));

function capital(label: string): string {
  const l = label.replace(/^(the|a|an) /, '');
  return l.charAt(0).toUpperCase() + l.slice(1);
}

const money = (label: string) =>
  z.unknown().transform((value, ctx) => {
    const result = parseMoney(value, label);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.pence;
  });

const optionalMoney = (label: string) => z.preprocess(blankToUndefined, money(label).optional());

const dateField = (label: string) => z.string({ error: `Enter ${label}` }).refine(isCalendarDate, `${capital(label)} must be a real date, like 2026-03-27`);
const optionalDate = (label: string) => z.preprocess(blankToUndefined, dateField(label).optional());
const timeField = (label: string) => z.string({ error: `Enter ${label}` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${capital(label)} must be a time, like 17:00`);

const uuid = (message: string) => z.string({ error: message }).uuid(message);
const optionalUuid = (message: string) => z.preprocess(blankToUndefined, uuid(message).optional());
/** Checkboxes arrive as one string or many. */
const list = (item: z.ZodType<string>) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(500));

export const ProgrammeForm = z
  .object({
    name: text('the programme name', 200),
    purpose: text('the purpose', 5000),
    startsOn: optionalDate('the start date'),
    endsOn: optionalDate('the end date'),
    fund: money('The fund'),
    caseDeadlineDate: optionalDate('the deadline date'),
    caseDeadlineTime: z.preprocess(blankToUndefined, timeField('the deadline time').optional()),
    publicIdeas: z.preprocess((v) => v === 'yes' || v === true, z.boolean()),
  })
  .refine((f) => !f.startsOn || !f.endsOn || f.endsOn >= f.startsOn, { path: ['endsOn'], message: 'The end date must be the same as or after the start date' });
export type ProgrammeForm = z.infer<typeof ProgrammeForm>;

export const StageForm = z.object({ stage: z.enum(stages, { error: 'Choose a stage' }) });

export const MemberForm = z.object({
  email: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ error: 'Enter their email address' }).email('Enter an email address in the correct format, like name@example.org')),
  organisationId: uuid('Choose the organisation they take part for'),
  role: z.enum(['participant', 'panel'], { error: 'Choose how they take part' }),
});

export const CriterionForm = z.object({
  name: text('the criterion', 200),
  description: optionalText('the description', 1000),
  weight: z.coerce.number({ error: 'Weight must be a whole number from 1 to 10' }).int('Weight must be a whole number from 1 to 10').min(1, 'Weight must be a whole number from 1 to 10').max(10, 'Weight must be a whole number from 1 to 10'),
});

export const IdeaForm = z.object({
  title: text('a short title', 200),
  problem: text('the problem', 5000),
  whoBenefits: text('who benefits', 5000),
  idea: text('the idea', 5000),
  roughCost: optionalMoney('The rough cost'),
  howWeKnow: text('how we would know it works', 5000),
});
export type IdeaForm = z.infer<typeof IdeaForm>;

export const PublicIdeaForm = IdeaForm.extend({
  submitterName: text('your name', 200),
  submitterEmail: z.preprocess(blankToUndefined, z.string().email('Enter an email address in the correct format, like name@example.org').optional()),
  // A field people cannot see: forms that fill it are from robots.
  website: z.preprocess(blankToUndefined, z.undefined({ error: 'Leave this field empty' }).optional()),
});

export const CommentForm = z.object({ body: text('a comment', 5000) });

export const TeamForm = z.object({
  // The shortlisted idea the team is for (a hidden field): anything but a uuid is no idea, which the service refuses.
  ideaId: z.preprocess((v) => (isUuid(v) ? v : undefined), z.string().optional()),
  name: text('the team name', 200),
  memberIds: list(uuid('Choose members from the list')).refine((v) => v.length > 0, 'Choose at least one member'),
});

export const TeamMemberForm = z.object({ userId: uuid('Choose a person from the list') });

/** `?ideaId=` on the new team page: the idea to form a team for (ignored unless a uuid). */
export const NewTeamQuery = z.object({ ideaId: z.string().optional().transform((v) => (isUuid(v) ? v : undefined)) });

export const IdeaMoveForm = z.object({ move: z.string().catch(''), returnTo: z.string().catch('') });

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

export const NeedForm = z.object({
  teamId: uuid('Choose the team that needs this'),
  title: text('what the team needs', 200),
  description: optionalText('the details', 5000),
});

export const OfferForm = z.object({
  description: text('what you can offer', 5000),
  organisationId: optionalUuid('Choose an organisation from the list'),
});

const budgetLineCount = 8;
export const BUDGET_LINES = budgetLineCount;

export const CaseForm = z
  .object({
    requested: money('The amount requested'),
    summary: optionalText('the summary', 5000),
    outcomes: text('the outcomes', 5000),
    evaluationPlan: text('how it will be evaluated', 5000),
    risks: text('the risks', 5000),
    ...Object.fromEntries(
      Array.from({ length: budgetLineCount }, (_, i) => [
        [`line${i + 1}Description`, optionalText('the budget line', 500)],
        [`line${i + 1}Amount`, optionalMoney(`Budget line ${i + 1}`)],
      ]).flat(),
    ),
  })
  .transform((f, ctx) => {
    const record = f as Record<string, unknown>;
    const budgetLines: { description: string; amountPence: number }[] = [];
    for (let i = 1; i <= budgetLineCount; i++) {
      const description = record[`line${i}Description`] as string;
      const amount = record[`line${i}Amount`] as number | undefined;
      if (!description && amount === undefined) continue;
      if (!description) ctx.addIssue({ code: 'custom', path: [`line${i}Description`], message: `Describe budget line ${i}` });
      else if (amount === undefined) ctx.addIssue({ code: 'custom', path: [`line${i}Amount`], message: `Enter the amount for budget line ${i}` });
      else budgetLines.push({ description, amountPence: amount });
    }
    if (!budgetLines.length) ctx.addIssue({ code: 'custom', path: ['line1Description'], message: 'Enter at least one budget line' });
    return { requestedPence: record.requested as number, summary: record.summary as string, outcomes: record.outcomes as string, evaluationPlan: record.evaluationPlan as string, risks: record.risks as string, budgetLines };
  });
export type CaseInput = z.output<typeof CaseForm>;

export const ConflictForm = z.object({
  conflicted: z.enum(['yes', 'no'], { error: 'Say whether you have a conflict of interest with this case' }),
  reason: optionalText('the reason', 2000),
}).refine((f) => f.conflicted === 'no' || f.reason.length > 0, { path: ['reason'], message: 'Say briefly what the conflict of interest is' });

export const decisionOutcomes = ['fund_full', 'fund_part', 'not_now'] as const;
export const outcomeNames: Record<(typeof decisionOutcomes)[number], string> = { fund_full: 'Fund in full', fund_part: 'Fund in part', not_now: 'Not now' };

export const DecisionForm = z
  .object({
    outcome: z.enum(decisionOutcomes, { error: 'Choose the decision' }),
    amount: z.preprocess(blankToUndefined, money('The amount to fund').optional()),
    feedback: text('feedback for the team', 5000),
  })
  .refine((f) => f.outcome !== 'fund_part' || (f.amount !== undefined && f.amount > 0), { path: ['amount'], message: 'Enter the amount to fund, more than £0' });
export type DecisionInput = z.infer<typeof DecisionForm>;

export const VoteSettingsForm = z.object({
  votePot: money('The amount put to the vote'),
  voteMethod: z.enum(['approval', 'budget'], { error: 'Choose how people vote' }),
  voteMaxChoices: z.coerce.number({ error: 'Choices must be a whole number from 1 to 50' }).int('Choices must be a whole number from 1 to 50').min(1, 'Choices must be a whole number from 1 to 50').max(50, 'Choices must be a whole number from 1 to 50'),
  voteOpen: z.preprocess((v) => v === 'yes', z.boolean()),
});

export const BallotForm = z.object({ caseIds: list(uuid('Choose projects from the list')) });

export const MilestoneForm = z.object({ title: text('the milestone', 500), dueOn: dateField('the due date') });

export const ProjectUpdateForm = z.object({
  progressPercent: z.coerce.number({ error: 'Progress must be a whole number from 0 to 100' }).int('Progress must be a whole number from 0 to 100').min(0, 'Progress must be a whole number from 0 to 100').max(100, 'Progress must be a whole number from 0 to 100'),
  summary: text('what has happened', 5000),
  risks: optionalText('the risks', 5000),
});

const decimal = (label: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().replace(/,/g, '') : v), z.string({ error: `Enter ${label}` }).min(1, `Enter ${label}`).regex(/^-?\d{1,12}(\.\d{1,4})?$/, `${capital(label)} must be a number, like 12 or 3.5`));
export const MeasureForm = z.object({
  name: text('what is measured', 300),
  unit: optionalText('the unit', 100),
  baseline: decimal('the baseline'),
  target: z.preprocess(blankToUndefined, decimal('the target').optional()),
});
export const MeasureResultForm = z.object({ result: decimal('the result') });

export const EndProjectForm = z.object({
  endDecision: z.enum(['scale', 'adapt', 'stop'], { error: 'Choose whether to scale, adapt or stop' }),
  learning: text('what was learned', 10000),
});

// The JSON API (/api/v1/programmes…): what it answers, as OpenAPI documents it.
export const apiTags = ['Innovation'];
export const apiSecurity = [{ apiToken: [] }];
const Pence = z.number().int().describe('Whole pence (exact): 123456 is £1,234.56');

export const ApiFund = z.object({
  fundPence: Pence,
  awardedPence: Pence,
  heldForVotePence: Pence,
  remainingPence: Pence,
  fund: z.string().describe('The fund, as £1,234.56'),
  awarded: z.string(),
  heldForVote: z.string(),
  remaining: z.string(),
  decisions: z.number().int(),
});
export const ApiProgramme = z.object({
  id: z.string().uuid(),
  name: z.string(),
  purpose: z.string(),
  stage: z.enum(stages),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  caseDeadline: z.string().nullable().describe('ISO 8601; cases cannot change after it'),
  fund: ApiFund,
});
export const ApiIdea = z.object({
  id: z.string().uuid(),
  title: z.string(),
  problem: z.string(),
  whoBenefits: z.string(),
  idea: z.string(),
  roughCostPence: Pence.nullable(),
  howWeKnow: z.string(),
  status: z.enum(['awaiting_moderation', 'submitted', 'shortlisted', 'declined']),
  source: z.enum(['participant', 'public']),
  supporters: z.number().int(),
  comments: z.number().int(),
  teamId: z.string().uuid().nullable(),
  createdAt: z.string(),
});
export const ApiCase = z.object({
  id: z.string().uuid(),
  teamId: z.string().uuid(),
  teamName: z.string(),
  requestedPence: Pence,
  summary: z.string(),
  outcomes: z.string(),
  evaluationPlan: z.string(),
  risks: z.string(),
  budgetLines: z.array(z.object({ description: z.string(), amountPence: Pence })),
  updatedAt: z.string(),
});
export const ApiDecision = z.object({
  id: z.string().uuid(),
  caseId: z.string().uuid(),
  teamName: z.string(),
  outcome: z.enum(decisionOutcomes),
  requestedPence: Pence,
  awardedPence: Pence,
  feedback: z.string(),
  source: z.enum(['panel', 'community_vote']),
  decidedAt: z.string(),
});
export const ApiDecisionBody = z.object({ outcome: z.enum(decisionOutcomes), amount: z.string().optional(), feedback: z.string().min(1).max(5000) });
