import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** A synthetic funder organisation with its charity number, for the demo. */
export async function insertFunder(db: Queryable, name: string, description: string, postcode: string | null, charityNumber: string | null): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(sql`insert into organisations (id, name, kind, description, postcode) values (${id}, ${name}, 'charity', ${description}, ${postcode})`);
  if (charityNumber) {
    await db.query(sql`insert into organisation_identifiers (id, organisation_id, identifier_scheme, identifier_type, identifier) values (${crypto.randomUUID()}, ${id}, 'GB-CHC', 'Charity number', ${charityNumber})`);
  }
  return id;
}

/** Organisations with a charity or company number, to receive the demo grants; the given ones first. */
export async function recipients(db: Queryable, first: string[], count: number): Promise<{ id: string; name: string; postcode: string | null }[]> {
  return db.query(sql`
    select o.id, o.name, o.postcode from organisations o
    where o.merged_into_id is null and (o.id = any(${first}::uuid[]) or exists (select 1 from organisation_identifiers i where i.organisation_id = o.id and i.identifier_scheme in ('GB-CHC','GB-COH')))
    order by (o.id = any(${first}::uuid[])) desc, o.name limit ${count}`);
}

/** Some of the directory's postcodes with their LSOA, for beneficiary locations. */
export async function somePostcodes(db: Queryable, count: number): Promise<string[]> {
  return (await db.query<{ postcode: string }>(sql`select postcode from postcodes where lsoa is not null order by postcode limit ${count}`)).map((r) => r.postcode);
}

export async function alreadyLoaded(db: Queryable): Promise<boolean> {
  return (await db.query(sql`select 1 from grant_funds limit 1`)).length > 0;
}
