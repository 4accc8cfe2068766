import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

export type EvidenceAgreement = {
  id: string; title: string; startOn: string | null; reviewOn: string | null; endOn: string | null;
  parties: { name: string; signed: boolean; signedByName: string | null; signedAt: string | null }[];
  flows: number; dpiaStatus: string | null; dpiaRisks: { residual: string }[] | null;
};

/** Every agreement with its parties, who signed its current version and when, its flow count and its DPIA. */
export async function agreementsForEvidence(db: Queryable): Promise<EvidenceAgreement[]> {
  return db.query<EvidenceAgreement>(sql`select a.id, a.title, a.start_on::text as "startOn", a.review_on::text as "reviewOn", a.end_on::text as "endOn",
      coalesce((select json_agg(json_build_object('name', o.name, 'signed', s.organisation_id is not null, 'signedByName', s.signed_by_name, 'signedAt', s.signed_at::date::text) order by o.name)
        from is_agreement_parties p join organisations o on o.id = p.organisation_id
        left join is_signatures s on s.agreement_id = a.id and s.organisation_id = p.organisation_id and s.fingerprint = a.fingerprint
        where p.agreement_id = a.id), '[]'::json) as parties,
      (select count(*)::int from is_flows f where f.agreement_id = a.id) as flows,
      d.status as "dpiaStatus", d.risks as "dpiaRisks"
    from is_agreements a left join is_dpias d on d.agreement_id = a.id order by a.title`);
}

export type EvidenceFlow = { agreementTitle: string; fromName: string; toName: string; flowType: string | null; identifiability: string; article6: string | null; article9: string | null; confidentialityBasis: string | null; optOutApplies: boolean | null; dataItems: string[] };

export async function flowsForEvidence(db: Queryable): Promise<EvidenceFlow[]> {
  return db.query<EvidenceFlow>(sql`select a.title as "agreementTitle", fo.name as "fromName", t.name as "toName", f.flow_type as "flowType", f.identifiability,
      f.article6, f.article9, f.confidentiality_basis as "confidentialityBasis", f.opt_out_applies as "optOutApplies", f.data_items::text[] as "dataItems"
    from is_flows f join is_agreements a on a.id = f.agreement_id join organisations fo on fo.id = f.from_organisation_id join organisations t on t.id = f.to_organisation_id
    order by a.title, f.position, f.id`);
}

export type RecordAccess = { organisationName: string | null; role: string | null; reads: number; people: number; readers: number };

/**
 * Reads of people's records (audit log entries 'viewed' of a social prescribing person) in the
 * period, by the reader's organisation and role (their first membership). Counts only.
 */
export async function recordAccess(db: Queryable, from: string, to: string): Promise<RecordAccess[]> {
  return db.query<RecordAccess>(sql`select o.name as "organisationName", m.role, count(*)::int as reads, count(distinct l.record_id)::int as people, count(distinct l.actor_user_id)::int as readers
    from audit_log l
    left join lateral (select organisation_id, role from memberships where user_id = l.actor_user_id order by created_at, id limit 1) m on true
    left join organisations o on o.id = m.organisation_id
    where l.record_type = 'sp_person' and l.action = 'viewed' and l.at >= ${from}::date and l.at < (${to}::date + 1)
    group by o.name, m.role order by reads desc, o.name`);
}
