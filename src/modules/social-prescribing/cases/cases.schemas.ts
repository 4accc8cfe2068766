import { z } from 'zod';
import { ApiPerson, blank, caseStatuses, contactMethods, contactOutcomes, isoDate, opt, req, text, uuid } from '../social-prescribing.schemas.ts';

/** Case status, reassigning, contacts and follow-ups; the API's caseload and cases. */

export const CaseStatusForm = z
  .object({
    version: z.coerce.number().int().min(1),
    status: z.preprocess(blank, z.enum(caseStatuses, { error: 'Select a status' })),
    closedReason: opt(text('Reason for closing', 300)),
  })
  .refine((f) => f.status !== 'closed' || f.closedReason, { path: ['closedReason'], message: 'Enter why the case is closed' });

export const ReassignForm = z.object({
  version: z.coerce.number().int().min(1),
  linkWorkerId: req(uuid('Select a link worker from the list'), 'Select a link worker'),
});

export const ContactForm = z.object({
  method: z.preprocess(blank, z.enum(contactMethods, { error: 'Select how you contacted them' })),
  outcome: z.preprocess(blank, z.enum(contactOutcomes, { error: 'Select whether you spoke to them' })),
  contactedOn: req(isoDate('Date of contact'), 'Enter the date of the contact'),
  durationMinutes: opt(z.coerce.number({ error: 'Duration must be a number of minutes, like 20' }).int('Duration must be whole minutes').min(0, 'Duration must be 0 minutes or more').max(600, 'Duration must be 600 minutes or fewer')),
  notes: opt(text('Notes', 4000)),
});

/** Done or stop on a follow-up: a button, which may say to go back to the caseload. */
export const FollowUpActionForm = z.object({ returnTo: z.literal('caseload').optional().catch(undefined) });

export const FollowUpForm = z.object({
  description: req(text('What to do', 200), 'Enter what the follow-up is, like “Wellbeing call”'),
  dueOn: req(isoDate('Due date'), 'Enter when it is due'),
  repeatsWeekly: opt(z.literal('yes')),
});

const ApiCaseSummary = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  status: z.enum(caseStatuses),
  linkWorkerId: z.string().nullable(),
  linkWorkerName: z.string().nullable(),
  openedOn: z.string(),
  nextDueOn: z.string().nullable(),
});

export const ApiCaseload = z.object({
  today: z.string(),
  newReferrals: z.array(z.object({ id: z.string(), personId: z.string(), personName: z.string(), source: z.string(), receivedOn: z.string(), reasons: z.array(z.string()) })),
  dueToday: z.array(ApiCaseSummary),
  overdue: z.array(ApiCaseSummary),
  openCases: z.array(ApiCaseSummary),
});

export const ApiContactCreate = z.object({
  method: z.enum(contactMethods),
  outcome: z.enum(contactOutcomes),
  contactedOn: isoDate('contactedOn'),
  durationMinutes: z.number().int().min(0).max(600).optional(),
  notes: z.string().max(4000).optional(),
});

export const ApiCase = z.object({
  id: z.string(),
  status: z.enum(caseStatuses),
  version: z.number().int(),
  closedReason: z.string().nullable(),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  linkWorkerId: z.string().nullable(),
  person: ApiPerson,
  contacts: z.array(z.object({ id: z.string(), method: z.string(), outcome: z.string(), contactedOn: z.string(), durationMinutes: z.number().nullable(), notes: z.string().nullable() })),
  followUps: z.array(z.object({ id: z.string(), description: z.string(), dueOn: z.string(), repeatsWeekly: z.boolean(), status: z.string() })),
  onwardReferrals: z.array(z.object({ id: z.string(), kind: z.string(), serviceName: z.string(), organisationName: z.string(), sentOn: z.string(), status: z.string(), attendance: z.string().nullable() })),
});

/** The caseload search: a name, or an NHS number (10 digits, spaces allowed). */
export const PeopleSearchQuery = z.object({ q: z.string().optional() });
export const PeopleSearchForm = z.object({
  q: req(
    text('Search', 100).refine((q) => !/^[\d\s-]+$/.test(q) || /^\d{10}$/.test(q.replace(/[\s-]/g, '')), 'An NHS number is 10 digits, like 485 777 3456'),
    'Enter a name or an NHS number',
  ),
});
