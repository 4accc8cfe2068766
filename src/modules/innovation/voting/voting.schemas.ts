import { z } from 'zod';
import { list } from '../innovation.schemas.ts';
import { money, uuid } from '../../../platform/form-fields.ts';

export const VoteSettingsForm = z.object({
  votePot: money('The amount put to the vote'),
  voteMethod: z.enum(['approval', 'budget'], { error: 'Choose how people vote' }),
  voteMaxChoices: z.coerce.number({ error: 'Choices must be a whole number from 1 to 50' }).int('Choices must be a whole number from 1 to 50').min(1, 'Choices must be a whole number from 1 to 50').max(50, 'Choices must be a whole number from 1 to 50'),
  voteOpen: z.preprocess((v) => v === 'yes', z.boolean()),
});

export const BallotForm = z.object({ caseIds: list(uuid('Choose projects from the list')) });
