import type { Queryable } from '../../../platform/db/database.ts';
import { empty, raw, sql } from '../../../platform/db/sql.ts';
import { camelRow, camelRows } from '../rows.ts';

/*
 * People and their consents, and the platform's organisations and users read with small queries
 * (GP practices, PCNs, link worker teams). The directory is reached only through its index.ts.
 */

export type Person = {
  id: string;
  pcnId: string;
  gpPracticeId: string | null;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  email: string | null;
  preferredContact: string;
  communicationNeeds: string | null;
  whatMatters: string | null;
  whatMattersRecordedOn: string | null;
  anonymisedAt: Date | null;
  version: number;
  createdAt: Date;
};

export type Consent = {
  id: string;
  personId: string;
  kind: 'contact' | 'share_with_organisation' | 'share_outcomes_with_gp';
  organisationId: string | null;
  organisationName: string | null;
  fields: string[];
  given: boolean;
  recordedOn: string;
  recordedByName: string | null;
};

export type Organisation = { id: string; name: string; kind: string; parentOrganisationId: string | null; email: string | null };

// ---- organisations and users (platform tables) ------------------------------------------

export async function findOrganisation(db: Queryable, id: string): Promise<Organisation | null> {
  const [row] = await db.query('select id, name, kind, parent_organisation_id, email from organisations where id = $1', [id]);
  return row ? camelRow<Organisation>(row) : null;
}

export async function listGpPractices(db: Queryable): Promise<{ id: string; name: string; pcnId: string | null }[]> {
  return camelRows(await db.query(`select id, name, parent_organisation_id as pcn_id from organisations where kind = 'gp_practice' and merged_into_id is null order by name`));
}

export async function listPcns(db: Queryable, ids?: string[]): Promise<{ id: string; name: string }[]> {
  return db.query(sql`select id, name from organisations where kind = 'pcn' and ${ids ? sql`id = any(${ids}::uuid[])` : sql`merged_into_id is null`} order by name`);
}

/** The link worker team of a PCN: users with the link_worker role there. */
export async function listLinkWorkers(db: Queryable, pcnId: string): Promise<{ id: string; name: string }[]> {
  return db.query(
    `select u.id, u.name from users u join memberships m on m.user_id = u.id
      where m.organisation_id = $1 and m.role = 'link_worker' and u.is_active order by u.name`,
    [pcnId],
  );
}

// ---- people ------------------------------------------------------------------------------

const PERSON_COLUMNS = `id, pcn_id, gp_practice_id, given_name, family_name, date_of_birth, nhs_number, address, postcode, phone, email,
  preferred_contact, communication_needs, what_matters, what_matters_recorded_on, anonymised_at, version, created_at`;

export async function findPerson(db: Queryable, id: string): Promise<Person | null> {
  const [row] = await db.query(`select ${PERSON_COLUMNS} from sp_people where id = $1`, [id]);
  return row ? camelRow<Person>(row) : null;
}

export type NewPerson = Omit<Person, 'whatMatters' | 'whatMattersRecordedOn' | 'anonymisedAt' | 'version' | 'createdAt'>;

export async function insertPerson(db: Queryable, p: NewPerson): Promise<void> {
  await db.query(
    `insert into sp_people (id, pcn_id, gp_practice_id, given_name, family_name, date_of_birth, nhs_number, address, postcode, phone, email, preferred_contact, communication_needs)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [p.id, p.pcnId, p.gpPracticeId, p.givenName, p.familyName, p.dateOfBirth, p.nhsNumber, p.address, p.postcode, p.phone, p.email, p.preferredContact, p.communicationNeeds],
  );
}

/** Updates when the version still matches; false when someone else saved first. */
export async function updatePerson(db: Queryable, id: string, version: number, p: Omit<NewPerson, 'id'>): Promise<boolean> {
  const rows = await db.query(
    `update sp_people set pcn_id = $3, gp_practice_id = $4, given_name = $5, family_name = $6, date_of_birth = $7, nhs_number = $8, address = $9,
       postcode = $10, phone = $11, email = $12, preferred_contact = $13, communication_needs = $14, version = version + 1, updated_at = now()
     where id = $1 and version = $2 returning id`,
    [id, version, p.pcnId, p.gpPracticeId, p.givenName, p.familyName, p.dateOfBirth, p.nhsNumber, p.address, p.postcode, p.phone, p.email, p.preferredContact, p.communicationNeeds],
  );
  return rows.length === 1;
}

export async function saveWhatMatters(db: Queryable, id: string, text: string, on: string): Promise<void> {
  await db.query('update sp_people set what_matters = $2, what_matters_recorded_on = $3, updated_at = now() where id = $1', [id, text, on]);
}

export type DuplicateCheck = { nhsNumber: string | null; familyName: string; dateOfBirth: string | null; postcode: string | null };

/** Same NHS number, or same last name, date of birth and postcode (first name may be spelt differently). */
export async function findPossibleDuplicates(db: Queryable, pcnIds: string[] | 'all', p: DuplicateCheck): Promise<Person[]> {
  const inScope = pcnIds === 'all' ? empty : sql`and pcn_id = any(${pcnIds}::uuid[])`;
  const rows = await db.query(sql`select ${raw(PERSON_COLUMNS)} from sp_people
      where anonymised_at is null ${inScope}
        and ((nhs_number is not null and nhs_number = ${p.nhsNumber})
          or (lower(family_name) = lower(${p.familyName}) and date_of_birth = ${p.dateOfBirth}::date and replace(upper(postcode), ' ', '') = replace(upper(${p.postcode ?? ''}), ' ', '')))
      order by family_name, given_name limit 10`);
  return camelRows<Person>(rows);
}

export async function listConsents(db: Queryable, personId: string): Promise<Consent[]> {
  const rows = await db.query(
    `select c.id, c.person_id, c.kind, c.organisation_id, o.name as organisation_name, c.fields, c.given, c.recorded_on, c.recorded_by_name
       from sp_consents c left join organisations o on o.id = c.organisation_id where c.person_id = $1 order by c.recorded_on desc, c.created_at desc`,
    [personId],
  );
  return camelRows<Consent>(rows);
}

type NewConsent = { id: string; personId: string; kind: string; organisationId: string | null; fields: string[]; given: boolean; recordedOn: string; recordedBy: string | null; recordedByName: string | null };

export async function insertConsent(db: Queryable, c: NewConsent): Promise<void> {
  await db.query(
    `insert into sp_consents (id, person_id, kind, organisation_id, fields, given, recorded_on, recorded_by, recorded_by_name) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [c.id, c.personId, c.kind, c.organisationId, c.fields, c.given, c.recordedOn, c.recordedBy, c.recordedByName],
  );
}

// ---- the audit log's entries about people ---------------------------------------------------

export type PersonAuditBatch = { actorUserId: string | null; actorName: string | null; action: string; ip: string | null; personIds: string[]; details: Record<string, unknown>[] };

/**
 * One audit entry (record type 'sp_person') for each person, in one statement: a list page
 * showing hundreds of people writes its entries in one round trip.
 */
export async function insertPersonAudits(db: Queryable, b: PersonAuditBatch): Promise<void> {
  if (!b.personIds.length) return;
  await db.query(
    `insert into audit_log (id, actor_user_id, actor_name, action, record_type, record_id, ip, details)
     select gen_random_uuid(), $1::uuid, $2, $3, 'sp_person', u.person_id, $4, u.details::jsonb
       from unnest($5::text[], $6::text[]) as u(person_id, details)`,
    [b.actorUserId, b.actorName, b.action, b.ip, b.personIds, b.details.map((d) => JSON.stringify(d))],
  );
}
