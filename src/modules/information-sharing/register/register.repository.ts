import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';
import type { Term } from '../catalogue.ts';
import { flowBasisColumns, flowOrganisations, termColumns, type FlowBasis } from '../agreements/agreements.repository.ts';

/** What the public register and the map show: agreements and their flows, with organisation names only. */

export type RegisterFlow = FlowBasis & Term & { agreementId: string; agreementTitle: string; purpose: string; flowId: string };

const activeOn = (on: string) => sql`a.start_on <= ${on}::date and (a.end_on is null or a.end_on > ${on}::date)
  and exists (select 1 from is_agreement_parties p where p.agreement_id = a.id)
  and not exists (select 1 from is_agreement_parties p where p.agreement_id = a.id
    and not exists (select 1 from is_signatures s where s.agreement_id = a.id and s.organisation_id = p.organisation_id and s.fingerprint = a.fingerprint))`;

/** Every flow of the agreements active on this date (or of every agreement), by agreement then flow. */
export async function registerFlows(db: Queryable, on: string, which: 'active' | 'all'): Promise<RegisterFlow[]> {
  return db.query<RegisterFlow>(sql`select a.id as "agreementId", a.title as "agreementTitle", a.purpose, ${termColumns}, f.id as "flowId", ${flowBasisColumns}
    from is_agreements a join is_flows f on f.agreement_id = a.id ${flowOrganisations}
    where ${which === 'active' ? activeOn(on) : sql`true`}
    order by a.title, a.id, f.position, f.id`);
}

/** The parties of the agreements active on this date, by name. */
export async function activeParties(db: Queryable, on: string): Promise<{ agreementId: string; name: string; role: string }[]> {
  return db.query(sql`select p.agreement_id as "agreementId", o.name, p.role from is_agreement_parties p join organisations o on o.id = p.organisation_id
    join is_agreements a on a.id = p.agreement_id where ${activeOn(on)} order by o.name`);
}
