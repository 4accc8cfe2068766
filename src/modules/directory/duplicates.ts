import crypto from 'node:crypto';
import type { Queryable } from '../../platform/db/database.ts';

export type DuplicateCandidate = { id: string; name: string; reason: string };

/** Names this alike (pg_trgm similarity) at the same postcode are probably one organisation. */
export const NAME_SIMILARITY = 0.6;

/**
 * Organisations that may be the same as this one: sharing an official identifier, or with a very
 * similar name and the same postcode. Used when an organisation is created, edited or imported.
 */
export async function findDuplicateCandidates(
  db: Queryable,
  organisation: { id: string; name: string; postcode?: string | null; identifiers: { scheme: string; identifier: string }[] },
): Promise<DuplicateCandidate[]> {
  const rows = await db.query<DuplicateCandidate>(
    `select o.id, o.name, 'shares the identifier ' || i.identifier_scheme || '-' || i.identifier as reason
       from organisation_identifiers i join organisations o on o.id = i.organisation_id
       join jsonb_to_recordset($2::jsonb) as x(scheme text, identifier text)
         on x.scheme = i.identifier_scheme and upper(x.identifier) = upper(i.identifier)
      where o.id <> $1 and o.merged_into_id is null
     union all
     select o.id, o.name, 'has a very similar name at the same postcode' as reason
       from organisations o
      where o.id <> $1 and o.merged_into_id is null and $3::text is not null
        and upper(replace(o.postcode, ' ', '')) = upper(replace($3::text, ' ', ''))
        and similarity(lower(o.name), lower($4)) >= $5`,
    [organisation.id, JSON.stringify(organisation.identifiers), organisation.postcode ?? null, organisation.name, NAME_SIMILARITY],
  );
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

/** Records open duplicate flags for an admin to merge or dismiss; returns what was flagged. */
export async function flagPossibleDuplicates(
  db: Queryable,
  organisation: Parameters<typeof findDuplicateCandidates>[1],
): Promise<DuplicateCandidate[]> {
  const candidates = await findDuplicateCandidates(db, organisation);
  for (const c of candidates) {
    await db.query(
      `insert into duplicate_flags (id, organisation_id, candidate_id, reason)
       select $1, $2, $3, $4
        where not exists (select 1 from duplicate_flags where status = 'open'
                          and ((organisation_id = $2 and candidate_id = $3) or (organisation_id = $3 and candidate_id = $2)))`,
      [crypto.randomUUID(), organisation.id, c.id, c.reason],
    );
  }
  return candidates;
}
