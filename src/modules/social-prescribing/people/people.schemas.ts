import { z } from 'zod';
import { PersonForm, blank, email, isoDate, nhsNumber, phone, postcode, preferredContacts } from '../social-prescribing.schemas.ts';

/** The person's details, their consent, and the API's person. */

export const PersonEditForm = PersonForm.extend({ version: z.coerce.number().int().min(1) });
export const ConsentForm = z.object({
  kind: z.preprocess(blank, z.enum(['contact', 'share_with_organisation', 'share_outcomes_with_gp'], { error: 'Select what the person agreed to' })),
  given: z.preprocess(blank, z.enum(['yes', 'no'], { error: 'Select whether they agreed' })),
});

export const ApiPersonCreate = z.object({
  givenName: z.string().min(1).max(100),
  familyName: z.string().min(1).max(100),
  dateOfBirth: isoDate('dateOfBirth'),
  nhsNumber: nhsNumber.optional(),
  address: z.string().max(300).optional(),
  postcode,
  phone: phone.optional(),
  email: email.optional(),
  preferredContact: z.enum(preferredContacts).default('phone'),
  communicationNeeds: z.string().max(500).optional(),
  gpPracticeId: z.string().uuid(),
  allowPossibleDuplicate: z.boolean().default(false).describe('Create even when a record may already exist'),
});

export const ApiDuplicates = z.object({
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  possibleDuplicates: z.array(z.object({ id: z.string(), givenName: z.string(), familyName: z.string(), dateOfBirth: z.string().nullable(), postcode: z.string().nullable() })),
});
