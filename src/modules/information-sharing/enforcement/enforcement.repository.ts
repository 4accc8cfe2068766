import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** The token that changes with every change to agreements, parties, flows or signatures. */
export async function generationToken(db: Queryable): Promise<string> {
  const [row] = await db.query<{ token: string }>('select token::text as token from is_generation');
  return row.token;
}

export type ActiveFlow = { agreementId: string; title: string; flowType: string | null; fromOrganisationId: string; toOrganisationId: string; dataItems: string[]; confidentialityBasis: string | null };

/** Every flow of every agreement active on this date: all parties signed its current version, started, not ended. */
export async function activeFlows(db: Queryable, on: string): Promise<ActiveFlow[]> {
  return db.query<ActiveFlow>(sql`select a.id as "agreementId", a.title, f.flow_type as "flowType", f.from_organisation_id as "fromOrganisationId", f.to_organisation_id as "toOrganisationId",
      f.data_items::text[] as "dataItems", f.confidentiality_basis as "confidentialityBasis"
    from is_agreements a join is_flows f on f.agreement_id = a.id
    where a.start_on <= ${on}::date and (a.end_on is null or a.end_on > ${on}::date)
      and exists (select 1 from is_agreement_parties p where p.agreement_id = a.id)
      and not exists (select 1 from is_agreement_parties p where p.agreement_id = a.id
        and not exists (select 1 from is_signatures s where s.agreement_id = a.id and s.organisation_id = p.organisation_id and s.fingerprint = a.fingerprint))`);
}

export type PendingAgreement = { id: string; title: string; startOn: string | null; endOn: string | null; waitingFor: string[]; dataItems: string[] };

/** Agreements that would cover these parties for this flow type, but are not active: to say why. */
export async function inactiveAgreementsFor(db: Queryable, flowType: string, from: string, to: string): Promise<PendingAgreement[]> {
  return db.query<PendingAgreement>(sql`select a.id, a.title, a.start_on as "startOn", a.end_on as "endOn",
      array(select o.name from is_agreement_parties p join organisations o on o.id = p.organisation_id where p.agreement_id = a.id
        and not exists (select 1 from is_signatures s where s.agreement_id = a.id and s.organisation_id = p.organisation_id and s.fingerprint = a.fingerprint) order by o.name) as "waitingFor",
      f.data_items::text[] as "dataItems"
    from is_agreements a join is_flows f on f.agreement_id = a.id
    where f.from_organisation_id = ${from} and f.to_organisation_id = ${to} and (f.flow_type = ${flowType} or f.flow_type is null)
    order by a.title limit 5`);
}

export async function organisationNames(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; name: string }>(sql`select id, name from organisations where id = any(${ids}::uuid[])`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type PersonChoice = { given: boolean; recordedOn: string; recordedByName: string | null };

/** The person's latest recorded choice about this flow type, if any. */
export async function latestChoice(db: Queryable, personId: string, flowType: string): Promise<PersonChoice | undefined> {
  const [row] = await db.query<PersonChoice>(sql`select given, recorded_on::text as "recordedOn", recorded_by_name as "recordedByName" from is_person_choices
    where person_id = ${personId} and flow_type = ${flowType} order by recorded_at desc, recorded_on desc limit 1`);
  return row;
}

export async function insertChoice(db: Queryable, c: { personId: string; flowType: string; given: boolean; recordedOn: string; recordedByName: string | null }): Promise<void> {
  await db.query(sql`insert into is_person_choices (id, person_id, flow_type, given, recorded_on, recorded_by_name)
    values (${crypto.randomUUID()}, ${c.personId}, ${c.flowType}, ${c.given}, ${c.recordedOn}::date, ${c.recordedByName})`);
}

/** Whether this NHS number (10 digits) is on the uploaded national data opt-out list. */
export async function onOptOutList(db: Queryable, nhsNumber: string): Promise<boolean> {
  const rows = await db.query(sql`select 1 from is_opt_out_numbers where nhs_number = ${nhsNumber}`);
  return rows.length > 0;
}

