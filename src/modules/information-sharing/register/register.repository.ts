import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** What the public register and the map show: agreements and their flows, with organisation names only. */

export type RegisterFlow = {
  agreementId: string;
  agreementTitle: string;
  purpose: string;
  startOn: string | null;
  reviewOn: string | null;
  endOn: string | null;
  flowId: string;
  flowType: string | null;
  fromOrganisationId: string;
  fromName: string;
  toOrganisationId: string;
  toName: string;
  dataItems: string[];
  identifiability: string;
  frequency: string;
  method: string;
  article6: string;
  article9: string | null;
  confidentialityBasis: string | null;
  optOutApplies: boolean;
};

const activeOn = (on: string) => sql`a.start_on <= ${on}::date and (a.end_on is null or a.end_on > ${on}::date)
  and exists (select 1 from is_agreement_parties p where p.agreement_id = a.id)
  and not exists (select 1 from is_agreement_parties p where p.agreement_id = a.id
    and not exists (select 1 from is_signatures s where s.agreement_id = a.id and s.organisation_id = p.organisation_id and s.fingerprint = a.fingerprint))`;

/** Every flow of the agreements active on this date (or of every agreement), by agreement then flow. */
export async function registerFlows(db: Queryable, on: string, which: 'active' | 'all'): Promise<RegisterFlow[]> {
  return db.query<RegisterFlow>(sql`select a.id as "agreementId", a.title as "agreementTitle", a.purpose, a.start_on as "startOn", a.review_on as "reviewOn", a.end_on as "endOn",
      f.id as "flowId", f.flow_type as "flowType", f.from_organisation_id as "fromOrganisationId", fo.name as "fromName", f.to_organisation_id as "toOrganisationId", t.name as "toName",
      f.data_items::text[] as "dataItems", f.identifiability, f.frequency, f.method, f.article6, f.article9, f.confidentiality_basis as "confidentialityBasis", f.opt_out_applies as "optOutApplies"
    from is_agreements a join is_flows f on f.agreement_id = a.id join organisations fo on fo.id = f.from_organisation_id join organisations t on t.id = f.to_organisation_id
    where ${which === 'active' ? activeOn(on) : sql`true`}
    order by a.title, a.id, f.position, f.id`);
}

/** The parties of the agreements active on this date, by name. */
export async function activeParties(db: Queryable, on: string): Promise<{ agreementId: string; name: string; role: string }[]> {
  return db.query(sql`select p.agreement_id as "agreementId", o.name, p.role from is_agreement_parties p join organisations o on o.id = p.organisation_id
    join is_agreements a on a.id = p.agreement_id where ${activeOn(on)} order by o.name`);
}
