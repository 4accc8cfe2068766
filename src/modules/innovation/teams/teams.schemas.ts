import { z } from 'zod';
import { isUuid } from '../../../platform/ids.ts';
import { list } from '../innovation.schemas.ts';
import { text, uuid } from '../../../platform/form-fields.ts';

export const TeamForm = z.object({
  // The shortlisted idea the team is for (a hidden field): anything but a uuid is no idea, which the service refuses.
  ideaId: z.preprocess((v) => (isUuid(v) ? v : undefined), z.string().optional()),
  name: text('the team name', 200),
  memberIds: list(uuid('Choose members from the list')).refine((v) => v.length > 0, 'Choose at least one member'),
});

export const TeamMemberForm = z.object({ userId: uuid('Choose a person from the list') });

/** `?ideaId=` on the new team page: the idea to form a team for (ignored unless a uuid). */
export const NewTeamQuery = z.object({ ideaId: z.string().optional().transform((v) => (isUuid(v) ? v : undefined)) });
