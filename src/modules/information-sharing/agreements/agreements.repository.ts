import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';
import type { AgreementAnswers, Term } from '../catalogue.ts';

/** Agreements for a purpose (tier 2): their parties, flows and signatures. */

export type AgreementDetails = AgreementAnswers & { title: string };
export type Party = { organisationId: string; name: string; role: string; signatoryUserId: string | null; signatoryName: string | null; signatoryEmail: string | null };
/** What a flow shares, from whom to whom, how and on what basis: what the agreement and the public register both read. */
export type FlowBasis = {
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
export type Flow = FlowBasis & { id: string; schedule1: string | null; caldicott: Record<string, string>; position: number };
export type Signature = { organisationId: string; fingerprint: string; signedBy: string; signedByName: string; signedAt: Date };
export type Agreement = AgreementDetails & { id: string; fingerprint: string; version: number; createdAt: Date; parties: Party[]; flows: Flow[]; signatures: Signature[] };

/** An agreement's `Term` columns (of `is_agreements a`). */
export const termColumns = sql`a.start_on as "startOn", a.review_on as "reviewOn", a.end_on as "endOn"`;

const detailColumns = sql`a.id, a.title, a.purpose, a.benefits, a.uses::text[] as uses, a.retention, a.security, a.rights_requests as "rightsRequests",
  a.rights_contact as "rightsContact", a.breach_procedure as "breachProcedure", ${termColumns},
  a.fingerprint, a.version, a.created_at as "createdAt"`;

/** A flow's `FlowBasis` columns, from `is_flows f` joined with `flowOrganisations`. */
export const flowBasisColumns = sql`f.flow_type as "flowType", f.from_organisation_id as "fromOrganisationId", fo.name as "fromName",
  f.to_organisation_id as "toOrganisationId", t.name as "toName", f.data_items::text[] as "dataItems", f.identifiability, f.frequency, f.method,
  f.article6, f.article9, f.confidentiality_basis as "confidentialityBasis", f.opt_out_applies as "optOutApplies"`;
export const flowOrganisations = sql`join organisations fo on fo.id = f.from_organisation_id join organisations t on t.id = f.to_organisation_id`;

const flowColumns = sql`f.id, f.agreement_id as "agreementId", ${flowBasisColumns}, f.schedule1, f.caldicott, f.position`;

export async function findAgreement(db: Queryable, id: string): Promise<Agreement | undefined> {
  const [a] = await db.query<Omit<Agreement, 'parties' | 'flows' | 'signatures'>>(sql`select ${detailColumns} from is_agreements a where a.id = ${id}`);
  if (!a) return undefined;
  const [parties, flows, signatures] = await Promise.all([
    db.query<Party>(sql`select p.organisation_id as "organisationId", o.name, p.role, s.senior_signatory_user_id as "signatoryUserId", u.name as "signatoryName", u.email as "signatoryEmail"
      from is_agreement_parties p join organisations o on o.id = p.organisation_id left join is_assurance s on s.organisation_id = p.organisation_id left join users u on u.id = s.senior_signatory_user_id
      where p.agreement_id = ${id} order by o.name`),
    db.query<Flow>(sql`select ${flowColumns} from is_flows f ${flowOrganisations} where f.agreement_id = ${id} order by f.position, f.id`),
    db.query<Signature>(sql`select organisation_id as "organisationId", fingerprint, signed_by as "signedBy", signed_by_name as "signedByName", signed_at as "signedAt" from is_signatures where agreement_id = ${id} order by signed_at`),
  ]);
  return { ...a, parties, flows, signatures };
}

export type AgreementSummary = Term & { id: string; title: string; purpose: string; parties: number; signed: number; flows: number };

/** Every agreement with how many parties have signed its current version. */
export async function listAgreements(db: Queryable): Promise<AgreementSummary[]> {
  return db.query<AgreementSummary>(sql`select a.id, a.title, a.purpose, ${termColumns},
      (select count(*)::int from is_agreement_parties p where p.agreement_id = a.id) as parties,
      (select count(*)::int from is_signatures s join is_agreement_parties p on p.agreement_id = s.agreement_id and p.organisation_id = s.organisation_id where s.agreement_id = a.id and s.fingerprint = a.fingerprint) as signed,
      (select count(*)::int from is_flows f where f.agreement_id = a.id) as flows
    from is_agreements a order by a.title`);
}

export async function insertAgreement(db: Queryable, a: { id: string; title: string; purpose: string; benefits: string | null; uses: string[]; createdBy: string | null; fingerprint: string }): Promise<void> {
  await db.query(sql`insert into is_agreements (id, title, purpose, benefits, uses, created_by, fingerprint) values (${a.id}, ${a.title}, ${a.purpose}, ${a.benefits}, ${a.uses}::text[], ${a.createdBy}, ${a.fingerprint})`);
}

/** Saves the details; false when someone else saved first. */
export async function updateAgreement(db: Queryable, id: string, version: number, d: AgreementDetails): Promise<boolean> {
  const rows = await db.query(sql`update is_agreements set title = ${d.title}, purpose = ${d.purpose}, benefits = ${d.benefits}, uses = ${d.uses}::text[], retention = ${d.retention},
      security = ${d.security}, rights_requests = ${d.rightsRequests}, rights_contact = ${d.rightsContact}, breach_procedure = ${d.breachProcedure},
      start_on = ${d.startOn}::date, review_on = ${d.reviewOn}::date, end_on = ${d.endOn}::date, version = version + 1, updated_at = now()
    where id = ${id} and version = ${version} returning id`);
  return rows.length === 1;
}

export async function setFingerprint(db: Queryable, id: string, fingerprint: string): Promise<void> {
  await db.query(sql`update is_agreements set fingerprint = ${fingerprint} where id = ${id} and fingerprint <> ${fingerprint}`);
}

export async function insertParty(db: Queryable, agreementId: string, organisationId: string, role: string): Promise<boolean> {
  const rows = await db.query(sql`insert into is_agreement_parties (agreement_id, organisation_id, role) values (${agreementId}, ${organisationId}, ${role}) on conflict do nothing returning 1`);
  return rows.length === 1;
}

export async function deleteParty(db: Queryable, agreementId: string, organisationId: string): Promise<void> {
  await db.query(sql`delete from is_agreement_parties where agreement_id = ${agreementId} and organisation_id = ${organisationId}`);
}

export type NewFlow = Omit<Flow, 'fromName' | 'toName' | 'position'>;

export async function insertFlow(db: Queryable, agreementId: string, f: NewFlow): Promise<void> {
  await db.query(sql`insert into is_flows (id, agreement_id, flow_type, from_organisation_id, to_organisation_id, data_items, identifiability, frequency, method, article6, article9, schedule1,
      confidentiality_basis, opt_out_applies, caldicott, position)
    values (${f.id}, ${agreementId}, ${f.flowType}, ${f.fromOrganisationId}, ${f.toOrganisationId}, ${f.dataItems}::text[], ${f.identifiability}, ${f.frequency}, ${f.method}, ${f.article6},
      ${f.article9}, ${f.schedule1}, ${f.confidentialityBasis}, ${f.optOutApplies}, ${JSON.stringify(f.caldicott)}::jsonb, (select count(*) from is_flows where agreement_id = ${agreementId}))`);
}

export async function deleteFlow(db: Queryable, agreementId: string, flowId: string): Promise<boolean> {
  return (await db.query(sql`delete from is_flows where agreement_id = ${agreementId} and id = ${flowId} returning 1`)).length === 1;
}

export async function insertSignature(db: Queryable, s: { agreementId: string; organisationId: string; fingerprint: string; userId: string; name: string }): Promise<boolean> {
  const rows = await db.query(sql`insert into is_signatures (agreement_id, organisation_id, fingerprint, signed_by, signed_by_name) values (${s.agreementId}, ${s.organisationId}, ${s.fingerprint}, ${s.userId}, ${s.name}) on conflict do nothing returning 1`);
  return rows.length === 1;
}

/** How many flows of each agreement's were allowed since a moment: the audit log's count. */
export async function flowsAllowedSince(db: Queryable, agreementId: string, since: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql`select count(*)::int as n from audit_log where record_type = 'sharing_agreement' and record_id = ${agreementId} and action = 'flow_allowed'
    and at >= (${since}::date)::timestamp at time zone 'Europe/London'`);
  return row.n;
}
