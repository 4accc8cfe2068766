import { z } from 'zod';
import { isoDateField } from '../../../platform/dates.ts';
import { blankToUndefined } from '../../../platform/http/forms.ts';
import { many, opt, req, text } from '../information-sharing.schemas.ts';
import { article6, article9, confidentiality, dataItemIds, flowTypeIds, identifiabilityIds, schedule1, useIds } from '../catalogue.ts';

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const AgreementParams = z.object({ id: z.uuid() });
export const FlowParams = z.object({ id: z.uuid(), flowId: z.uuid() });
export const PartyParams = z.object({ id: z.uuid(), organisationId: z.uuid() });

export const PurposeForm = z.object({
  title: req(text('Title', 200), 'Enter a title for the agreement'),
  purpose: req(text('Purpose'), 'Say what the place is trying to achieve'),
  benefits: opt(text('Benefits')),
  uses: many(z.enum(useIds, { error: 'Choose uses from the list' })).refine((u) => u.length > 0, 'Choose at least one use: design, deliver or evaluate services'),
});
export type PurposeForm = z.infer<typeof PurposeForm>;

export const AgreementForm = PurposeForm.extend({
  version: z.coerce.number().int().min(1),
  retention: opt(text('Retention and deletion')),
  security: opt(text('Security')),
  rightsRequests: opt(text('Rights requests')),
  rightsContact: opt(text('Single point of contact', 300)),
  breachProcedure: opt(text('Breach procedure')),
  startOn: opt(isoDateField('Start date')),
  reviewOn: opt(isoDateField('Review date')),
  endOn: opt(isoDateField('End date')),
})
  .refine((f) => !f.startOn || !f.endOn || f.endOn > f.startOn, { path: ['endOn'], message: 'The end date must be after the start date' })
  .refine((f) => !f.startOn || !f.reviewOn || f.reviewOn >= f.startOn, { path: ['reviewOn'], message: 'The review date must be on or after the start date' });
export type AgreementForm = z.infer<typeof AgreementForm>;

export const PartyForm = z.object({
  organisationId: req(z.uuid({ error: 'Choose an organisation from the list' }), 'Choose an organisation to add'),
  role: z.preprocess(blankToUndefined, z.enum(['controller', 'joint_controller', 'processor'], { error: 'Choose the organisation’s role' })),
});
export type PartyForm = z.infer<typeof PartyForm>;

const caldicott = opt(text('Answer', 1000));
export const FlowForm = z.object({
  flowType: opt(z.enum(flowTypeIds, { error: 'Choose a Common Ground flow type from the list' })),
  fromOrganisationId: req(z.uuid({ error: 'Choose the organisation sharing the data' }), 'Choose the organisation sharing the data'),
  toOrganisationId: req(z.uuid({ error: 'Choose the organisation receiving the data' }), 'Choose the organisation receiving the data'),
  dataItems: many(z.enum(dataItemIds, { error: 'Choose data items from the catalogue' })).refine((d) => d.length > 0, 'Choose at least one data item'),
  identifiability: z.preprocess(blankToUndefined, z.enum(identifiabilityIds, { error: 'Choose how identifiable the data is' })),
  frequency: req(text('How often', 200), 'Say how often the data flows'),
  method: req(text('How sent', 200), 'Say how the data is sent'),
  article6: z.preprocess(blankToUndefined, z.enum(keys(article6), { error: 'Choose the UK GDPR Article 6 lawful basis' })),
  article9: opt(z.enum(keys(article9), { error: 'Choose an Article 9 condition from the list' })),
  schedule1: opt(z.enum(keys(schedule1), { error: 'Choose a Schedule 1 condition from the list' })),
  confidentialityBasis: opt(z.enum(keys(confidentiality), { error: 'Choose how the duty of confidentiality is met' })),
  optOutApplies: z.preprocess(blankToUndefined, z.enum(['yes', 'no'], { error: 'Say whether the national data opt-out applies' })),
  caldicott1: caldicott,
  caldicott2: caldicott,
  caldicott3: caldicott,
  caldicott4: caldicott,
  caldicott5: caldicott,
  caldicott6: caldicott,
  caldicott7: caldicott,
  caldicott8: caldicott,
});
export type FlowForm = z.infer<typeof FlowForm>;

export const SignForm = z.object({
  organisationId: req(z.uuid({ error: 'Choose the organisation you sign for' }), 'Choose the organisation you sign for'),
  fingerprint: req(z.string().regex(/^[0-9a-f]{64}$/, 'The version to sign is missing: reload the agreement and sign again'), 'The version to sign is missing: reload the agreement and sign again'),
});
export type SignForm = z.infer<typeof SignForm>;
