import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** Organisations' assurance, the overarching protocol's versions and who signed which. */

export type Assurance = {
  organisationId: string;
  organisationName: string;
  organisationKind: string | null;
  icoRegistration: string | null;
  dsptStatus: string | null;
  dsptYear: string | null;
  dpoName: string | null;
  caldicottGuardianName: string | null;
  siroName: string | null;
  igLeadName: string | null;
  seniorSignatoryUserId: string | null;
  seniorSignatoryName: string | null;
  submittedAt: Date | null;
  version: number;
  protocolVersionSigned: number | null;
};

const assuranceSelect = sql`select o.id as "organisationId", o.name as "organisationName", o.kind as "organisationKind",
    a.ico_registration as "icoRegistration", a.dspt_status as "dsptStatus", a.dspt_year as "dsptYear", a.dpo_name as "dpoName",
    a.caldicott_guardian_name as "caldicottGuardianName", a.siro_name as "siroName", a.ig_lead_name as "igLeadName",
    a.senior_signatory_user_id as "seniorSignatoryUserId", u.name as "seniorSignatoryName", a.submitted_at as "submittedAt",
    coalesce(a.version, 0) as version,
    (select max(p.version) from is_protocol_signatures s join is_protocols p on p.id = s.protocol_id where s.organisation_id = o.id) as "protocolVersionSigned"
  from organisations o left join is_assurance a on a.organisation_id = o.id left join users u on u.id = a.senior_signatory_user_id`;

export async function findAssurance(db: Queryable, organisationId: string): Promise<Assurance | undefined> {
  const [row] = await db.query<Assurance>(sql`${assuranceSelect} where o.id = ${organisationId}`);
  return row;
}

/** Every organisation that has begun set-up, or is a party to an agreement, or any named. */
export async function listAssurances(db: Queryable): Promise<Assurance[]> {
  return db.query<Assurance>(sql`${assuranceSelect} where a.organisation_id is not null or exists (select 1 from is_agreement_parties p where p.organisation_id = o.id) order by o.name`);
}

/** Organisations to choose from (for adding a party or starting set-up). */
export async function listOrganisations(db: Queryable): Promise<{ id: string; name: string }[]> {
  return db.query(`select id, name from organisations order by name limit 2000`);
}

export type AssuranceInput = {
  icoRegistration?: string;
  dsptStatus?: string;
  dsptYear?: string;
  dpoName?: string;
  caldicottGuardianName?: string;
  siroName?: string;
  igLeadName?: string;
  seniorSignatoryUserId?: string;
};

/** Saves the record (created on first save); false when someone else saved first (version). */
export async function saveAssurance(db: Queryable, organisationId: string, version: number, a: AssuranceInput, submitted: boolean): Promise<boolean> {
  const values = [a.icoRegistration ?? null, a.dsptStatus ?? null, a.dsptYear ?? null, a.dpoName ?? null, a.caldicottGuardianName ?? null, a.siroName ?? null, a.igLeadName ?? null, a.seniorSignatoryUserId ?? null];
  if (version === 0) {
    const rows = await db.query(
      `insert into is_assurance (organisation_id, ico_registration, dspt_status, dspt_year, dpo_name, caldicott_guardian_name, siro_name, ig_lead_name, senior_signatory_user_id, submitted_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, case when $10 then now() end) on conflict (organisation_id) do nothing returning 1`,
      [organisationId, ...values, submitted],
    );
    return rows.length === 1;
  }
  const rows = await db.query(
    `update is_assurance set ico_registration = $3, dspt_status = $4, dspt_year = $5, dpo_name = $6, caldicott_guardian_name = $7, siro_name = $8, ig_lead_name = $9,
       senior_signatory_user_id = $10, submitted_at = case when $11 then coalesce(submitted_at, now()) end, version = version + 1, updated_at = now()
     where organisation_id = $1 and version = $2 returning 1`,
    [organisationId, version, ...values, submitted],
  );
  return rows.length === 1;
}

/** The people of an organisation, who may be named its senior signatory. */
export async function membersOf(db: Queryable, organisationId: string): Promise<{ id: string; name: string }[]> {
  return db.query(`select distinct u.id, u.name from users u join memberships m on m.user_id = u.id where m.organisation_id = $1 order by u.name`, [organisationId]);
}

export type Protocol = { id: string; version: number; title: string; body: string; publishedAt: Date };

export async function currentProtocol(db: Queryable): Promise<Protocol | undefined> {
  const [row] = await db.query<Protocol>(`select id, version, title, body, published_at as "publishedAt" from is_protocols order by version desc limit 1`);
  return row;
}

export async function listProtocols(db: Queryable): Promise<(Protocol & { signatures: number })[]> {
  return db.query(`select p.id, p.version, p.title, p.body, p.published_at as "publishedAt", (select count(*)::int from is_protocol_signatures s where s.protocol_id = p.id) as signatures from is_protocols p order by version desc`);
}

export async function insertProtocol(db: Queryable, p: { id: string; title: string; body: string; publishedBy: string | null }): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    `insert into is_protocols (id, version, title, body, published_by) values ($1, (select coalesce(max(version), 0) + 1 from is_protocols), $2, $3, $4) returning version`,
    [p.id, p.title, p.body, p.publishedBy],
  );
  return row.version;
}

export async function signProtocol(db: Queryable, s: { organisationId: string; protocolId: string; userId: string; name: string }): Promise<boolean> {
  const rows = await db.query(
    `insert into is_protocol_signatures (organisation_id, protocol_id, signed_by, signed_by_name) values ($1, $2, $3, $4) on conflict do nothing returning 1`,
    [s.organisationId, s.protocolId, s.userId, s.name],
  );
  return rows.length === 1;
}
