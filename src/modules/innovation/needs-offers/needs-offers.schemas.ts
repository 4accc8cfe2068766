import { z } from 'zod';
import { optionalUuid } from '../innovation.schemas.ts';
import { optionalText, text, uuid } from '../../../platform/form-fields.ts';

export const NeedForm = z.object({
  teamId: uuid('Choose the team that needs this'),
  title: text('what the team needs', 200),
  description: optionalText('the details', 5000),
});

export const OfferForm = z.object({
  description: text('what you can offer', 5000),
  organisationId: optionalUuid('Choose an organisation from the list'),
});

export const MatchForm = z.object({ offerId: z.string({ error: 'Choose an offer' }).uuid('Choose an offer') });
