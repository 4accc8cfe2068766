import type { Queryable } from '../../platform/db/database.ts';
import { duplicateCandidateRows, insertOpenDuplicateFlags, type DuplicateCandidate, type OrganisationToCheck } from './duplicates.repository.ts';

export type { DuplicateCandidate } from './duplicates.repository.ts';

/**
 * Organisations that may be the same as each of these: sharing an official identifier, or with a
 * very similar name and the same postcode. One query for any number (an import checks hundreds).
 */
async function findDuplicateCandidatesOfEach(db: Queryable, organisations: OrganisationToCheck[]): Promise<Map<string, DuplicateCandidate[]>> {
  const found = new Map<string, DuplicateCandidate[]>(organisations.map((o) => [o.id, []]));
  if (!organisations.length) return found;
  for (const { of, id, name, reason } of await duplicateCandidateRows(db, organisations)) {
    const list = found.get(of)!;
    if (!list.some((c) => c.id === id)) list.push({ id, name, reason });
  }
  return found;
}

/** Records open duplicate flags for an admin to merge or dismiss, for each organisation; returns what was flagged. */
export async function flagPossibleDuplicatesOfEach(db: Queryable, organisations: OrganisationToCheck[]): Promise<Map<string, DuplicateCandidate[]>> {
  const found = await findDuplicateCandidatesOfEach(db, organisations);
  // A pair flagged once, whichever of the two is checked (also two new ones in the same batch).
  const pairs = new Map<string, { organisationId: string; candidateId: string; reason: string }>();
  for (const [id, candidates] of found) {
    for (const c of candidates) {
      const key = [id, c.id].sort().join();
      if (!pairs.has(key)) pairs.set(key, { organisationId: id, candidateId: c.id, reason: c.reason });
    }
  }
  await insertOpenDuplicateFlags(db, [...pairs.values()]);
  return found;
}

/** Records open duplicate flags for one organisation (created, edited or imported); returns what was flagged. */
export async function flagPossibleDuplicates(db: Queryable, organisation: OrganisationToCheck): Promise<DuplicateCandidate[]> {
  return (await flagPossibleDuplicatesOfEach(db, [organisation])).get(organisation.id)!;
}
