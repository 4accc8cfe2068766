import { z } from 'zod';
import { optionalText } from '../../../platform/form-fields.ts';
import type { Criterion } from '../programmes/programmes.repository.ts';
import type { ScoreInput } from './scoring.service.ts';

export const ConflictForm = z.object({
  conflicted: z.enum(['yes', 'no'], { error: 'Say whether you have a conflict of interest with this case' }),
  reason: optionalText('the reason', 2000),
}).refine((f) => f.conflicted === 'no' || f.reason.length > 0, { path: ['reason'], message: 'Say briefly what the conflict of interest is' });
/** The scoring form for the programme's criteria: a score from 0 to 5 and a comment for every one. */
export function ScoreForm(criteria: Criterion[]) {
  return z.record(z.string(), z.unknown()).transform((input, ctx) => {
    const scores: ScoreInput[] = [];
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    for (const c of criteria) {
      const raw = String(input[`score-${c.id}`] ?? '').trim();
      const comment = String(input[`comment-${c.id}`] ?? '').trim();
      if (raw === '') issue(`score-${c.id}`, `Choose a score for ${c.name}`);
      else if (!/^\d+$/.test(raw) || Number(raw) > 5) issue(`score-${c.id}`, `The score for ${c.name} must be a whole number from 0 to 5`);
      if (!comment) issue(`comment-${c.id}`, `Add a comment for ${c.name}`);
      else if (comment.length > 2000) issue(`comment-${c.id}`, `The comment for ${c.name} must be 2000 characters or fewer`);
      if (/^\d+$/.test(raw) && Number(raw) <= 5 && comment) scores.push({ criterionId: c.id, score: Number(raw), comment });
    }
    return scores;
  });
}
