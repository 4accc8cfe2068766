import { z } from 'zod';

import { opt, req, text as longText } from '../information-sharing.schemas.ts';

const text = (label: string, max = 200) => longText(label, max);

export const OrganisationParams = z.object({ id: z.uuid() });
export const OrganisationPicker = z.object({ organisationId: z.string().max(100).optional() });

export const AssuranceForm = z.object({
  version: z.coerce.number().int().min(0),
  icoRegistration: opt(z.string().trim().regex(/^[A-Z]{1,2}\d{6,8}$/i, 'ICO registration number must look like ZA123456')),
  dsptStatus: opt(z.enum(['standards_met', 'approaching_standards', 'not_met'], { error: 'Choose a DSPT status' })),
  dsptYear: opt(z.string().trim().regex(/^20\d\d\/\d\d$/, 'DSPT year must look like 2025/26')),
  dpoName: opt(text('Data Protection Officer')),
  caldicottGuardianName: opt(text('Caldicott Guardian')),
  siroName: opt(text('Senior Information Risk Owner')),
  igLeadName: opt(text('Information governance lead')),
  seniorSignatoryUserId: opt(z.uuid({ error: 'Choose the senior signatory from the list' })),
});
export type AssuranceForm = z.infer<typeof AssuranceForm>;

export const ProtocolForm = z.object({
  title: req(text('Title'), 'Enter a title'),
  body: req(text('Protocol text', 50_000), 'Enter the protocol text'),
});

export const ProtocolSignForm = z.object({ organisationId: z.uuid({ error: 'Choose the organisation you sign for' }), protocolVersion: z.coerce.number().int().min(1) });
