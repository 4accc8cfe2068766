import { z } from 'zod';
import { capital, pathId } from '../../platform/form-fields.ts';
import { parseMoney } from '../../platform/money.ts';

/** Schemas shared by the grants features: ids in paths, and the fields only grants' forms use (the rest: `src/platform/form-fields.ts`). */

export const FundParams = z.object({ fundId: pathId('fund') });
export const GrantParams = z.object({ grantId: pathId('grant') });
export const TrancheParams = GrantParams.extend({ trancheId: pathId('tranche') });
export const ReportParams = GrantParams.extend({ reportId: pathId('report') });
export const ChangeParams = GrantParams.extend({ changeId: pathId('change request') });
export const DecisionParams = z.object({ decisionId: pathId('investment decision') });

export const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${capital(label)} must be a whole number from ${min} to ${max}` })
    .int(`${capital(label)} must be a whole number from ${min} to ${max}`)
    .min(min, `${capital(label)} must be a whole number from ${min} to ${max}`)
    .max(max, `${capital(label)} must be a whole number from ${min} to ${max}`);

/** Lines of a textarea, trimmed, blanks dropped. */
export const linesOf = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** "Staff costs: £12,000" lines → budget lines; each fault names its line. */
export function parseBudgetLines(value: string): { ok: true; lines: { description: string; amountPence: number }[] } | { ok: false; message: string } {
  const lines: { description: string; amountPence: number }[] = [];
  const all = linesOf(value);
  for (const [i, line] of all.entries()) {
    const at = line.lastIndexOf(':');
    if (at < 1) return { ok: false, message: `Budget line ${i + 1} ("${line}") must be a description, a colon and an amount, like "Staff costs: £12,000"` };
    const amount = parseMoney(line.slice(at + 1), `The amount on budget line ${i + 1}`);
    if (!amount.ok) return { ok: false, message: amount.message };
    lines.push({ description: line.slice(0, at).trim(), amountPence: amount.pence });
  }
  if (!lines.length) return { ok: false, message: 'Enter at least one budget line, like "Staff costs: £12,000"' };
  return { ok: true, lines };
}
