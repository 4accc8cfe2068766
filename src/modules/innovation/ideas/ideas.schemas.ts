import { z } from 'zod';
import { blankToUndefined } from '../../../platform/http/forms.ts';
import { Pence } from '../innovation.schemas.ts';
import { optionalMoney, text } from '../../../platform/form-fields.ts';

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

export const IdeaMoveForm = z.object({ move: z.string().catch(''), returnTo: z.string().catch('') });

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
