import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse } from '../../../platform/refusal.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../../social-prescribing/index.ts';
import { canManageSharing } from '../information-sharing.policy.ts';
import * as repo from './opt-out.repository.ts';

/*
 * The national data opt-out list an information governance lead uploads. Each line holds one NHS
 * number (a header line, blank lines and a quoted first column are allowed); every number must pass
 * the modulus 11 check, or nothing is saved and each bad line is named. The page shows the list's
 * size and date, never the numbers.
 */

export async function viewOptOut(db: Database, actor: Actor) {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can see the national data opt-out list.');
  return { latest: await repo.latestUpload(db) };
}

const MAX_ERRORS = 20;

export function parseOptOutList(text: string): { numbers: string[]; errors: string[] } {
  const numbers = new Set<string>();
  const errors: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const cell = (raw.split(',')[0] ?? '').trim().replace(/^"(.*)"$/, '$1').trim();
    if (!cell) return;
    if (i === 0 && !/\d/.test(cell)) return; // a header row
    if (!isValidNhsNumber(cell)) errors.push(`Line ${i + 1}: “${cell.slice(0, 20)}” is not a valid NHS number`);
    else numbers.add(normaliseNhsNumber(cell));
  });
  return { numbers: [...numbers], errors };
}

export async function uploadOptOut(db: Database, actor: Actor, csv: string, ip: string | null): Promise<{ people: number }> {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can upload the national data opt-out list.');
  const { numbers, errors } = parseOptOutList(csv);
  if (errors.length) {
    const more = errors.length > MAX_ERRORS ? ` (and ${errors.length - MAX_ERRORS} more lines)` : '';
    throw refuse.invalid('file', `Nothing was saved. ${errors.slice(0, MAX_ERRORS).join('. ')}${more}.`);
  }
  if (!numbers.length) throw refuse.invalid('file', 'The file has no NHS numbers in it. Nothing was saved.');
  await db.transaction(async (tx) => {
    await repo.replaceList(tx, numbers, { userId: actor.userId, name: actor.name });
    await recordAudit(tx, { actor, action: 'opt_out_list_uploaded', recordType: 'sharing_opt_out_list', recordId: null, ip, details: { people: numbers.length } });
  });
  return { people: numbers.length };
}

/**
 * The whole national data opt-out list (NHS numbers), for Common Ground's own flows that apply it
 * to a file at once: insight loads pseudonymise it with the partnership's key and leave those
 * people out. Not audited per read: it shows nobody and is used only to leave people out.
 */
export async function optOutList(db: Database): Promise<string[]> {
  return repo.listedNumbers(db);
}
