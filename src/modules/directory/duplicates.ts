import type { Queryable } from '../../platform/db/database.ts';

export type DuplicateCandidate = { id: string; name: string; reason: string };

/** Names this alike (pg_trgm similarity) at the same postcode are probably one organisation. */
export const NAME_SIMILARITY = 0.6;

type OrganisationToCheck = { id: string; name: string; postcode?: string | null; identifiers: { scheme: string; identifier: string }[] };

/**
 * Organisations that may be the same as each of these: sharing an official identifier, or with a
 * very similar name and the same postcode. One query for any number (an import checks hundreds).
 */
export async function findDuplicateCandidatesOfEach(db: Queryable, organisations: OrganisationToCheck[]): Promise<Map<string, DuplicateCandidate[]>> {
  const found = new Map<string, DuplicateCandidate[]>(organisations.map((o) => [o.id, []]));
  if (!organisations.length) return found;
  const rows = await db.query<DuplicateCandidate & { of: string; n: number; kind: number }>(
    // Each kind of match is one join over the whole batch (not a search per organisation).
    `with w as (select * from jsonb_to_recordset($1::jsonb) as w(n integer, id uuid, name text, postcode text, identifiers jsonb))
     select w.n, w.id as of, o.id, o.name, 'shares the identifier ' || i.identifier_scheme || '-' || i.identifier as reason, 1 as kind
       from w cross join lateral jsonb_to_recordset(w.identifiers) as x(scheme text, identifier text)
       join organisation_identifiers i on i.identifier_scheme = x.scheme and upper(i.identifier) = upper(x.identifier)
       join organisations o on o.id = i.organisation_id
      where o.id <> w.id and o.merged_into_id is null
     union all
     select w.n, w.id, o.id, o.name, 'has a very similar name at the same postcode', 2
       from w join organisations o on upper(replace(o.postcode, ' ', '')) = upper(replace(w.postcode, ' ', ''))
      where w.postcode is not null and o.id <> w.id and o.merged_into_id is null and similarity(lower(o.name), lower(w.name)) >= $2
      order by 1, 6`,
    [JSON.stringify(organisations.map((o, n) => ({ n, id: o.id, name: o.name, postcode: o.postcode ?? null, identifiers: o.identifiers.map((i) => ({ scheme: i.scheme, identifier: i.identifier })) }))), NAME_SIMILARITY],
  );
  for (const { of, id, name, reason } of rows) {
    const list = found.get(of)!;
    if (!list.some((c) => c.id === id)) list.push({ id, name, reason });
  }
  return found;
}

/** Organisations that may be the same as this one. Used when an organisation is created, edited or imported. */
export async function findDuplicateCandidates(db: Queryable, organisation: OrganisationToCheck): Promise<DuplicateCandidate[]> {
  return (await findDuplicateCandidatesOfEach(db, [organisation])).get(organisation.id)!;
}

/** Records open duplicate flags for an admin to merge or dismiss, for each organisation; returns what was flagged. */
export async function flagPossibleDuplicatesOfEach(db: Queryable, organisations: OrganisationToCheck[]): Promise<Map<string, DuplicateCandidate[]>> {
  const found = await findDuplicateCandidatesOfEach(db, organisations);
  // A pair flagged once, whichever of the two is checked (also two new ones in the same batch).
  const pairs = new Map<string, { organisation_id: string; candidate_id: string; reason: string }>();
  for (const [id, candidates] of found) {
    for (const c of candidates) {
      const key = [id, c.id].sort().join();
      if (!pairs.has(key)) pairs.set(key, { organisation_id: id, candidate_id: c.id, reason: c.reason });
    }
  }
  if (pairs.size) {
    await db.query(
      `insert into duplicate_flags (id, organisation_id, candidate_id, reason)
       select gen_random_uuid(), x.organisation_id, x.candidate_id, x.reason
         from jsonb_to_recordset($1::jsonb) as x(organisation_id uuid, candidate_id uuid, reason text)
        where not exists (select 1 from duplicate_flags f where f.status = 'open'
                           and ((f.organisation_id = x.organisation_id and f.candidate_id = x.candidate_id)
                             or (f.organisation_id = x.candidate_id and f.candidate_id = x.organisation_id)))`,
      [JSON.stringify([...pairs.values()])],
    );
  }
  return found;
}

/** Records open duplicate flags for one organisation; returns what was flagged. */
export async function flagPossibleDuplicates(db: Queryable, organisation: OrganisationToCheck): Promise<DuplicateCandidate[]> {
  return (await flagPossibleDuplicatesOfEach(db, [organisation])).get(organisation.id)!;
}
