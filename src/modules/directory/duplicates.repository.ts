import type { Queryable } from '../../platform/db/database.ts';

/* The SQL of possible duplicate organisations (duplicates.ts decides what to flag). */

export type DuplicateCandidate = { id: string; name: string; reason: string };

/** Names this alike (pg_trgm similarity) at the same postcode are probably one organisation. */
const NAME_SIMILARITY = 0.6;

export type OrganisationToCheck = { id: string; name: string; postcode?: string | null; identifiers: { scheme: string; identifier: string }[] };

/**
 * For each organisation (by its position n), those that share an official identifier with it, or
 * have a very similar name at the same postcode; identifier matches first. One query for any number.
 */
export async function duplicateCandidateRows(db: Queryable, organisations: OrganisationToCheck[]): Promise<(DuplicateCandidate & { of: string })[]> {
  return db.query<DuplicateCandidate & { of: string; n: number; kind: number }>(
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
}

/** Opens a flag for each pair, unless one is already open for it (either way round). */
export async function insertOpenDuplicateFlags(db: Queryable, pairs: { organisationId: string; candidateId: string; reason: string }[]): Promise<void> {
  if (!pairs.length) return;
  await db.query(
    `insert into duplicate_flags (id, organisation_id, candidate_id, reason)
     select gen_random_uuid(), x.organisation_id, x.candidate_id, x.reason
       from jsonb_to_recordset($1::jsonb) as x(organisation_id uuid, candidate_id uuid, reason text)
      where not exists (select 1 from duplicate_flags f where f.status = 'open'
                         and ((f.organisation_id = x.organisation_id and f.candidate_id = x.candidate_id)
                           or (f.organisation_id = x.candidate_id and f.candidate_id = x.organisation_id)))`,
    [JSON.stringify(pairs.map((p) => ({ organisation_id: p.organisationId, candidate_id: p.candidateId, reason: p.reason })))],
  );
}
