import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** What a grant is for, how much and when: the award's terms, as saved and as published. */
export type GrantTerms = {
  title: string;
  description: string;
  amountPence: number;
  awardDate: string;
  plannedStart: string;
  plannedEnd: string;
  programme: string;
  classifications: string[];
};

export type Grant = GrantTerms & {
  id: string;
  fundId: string;
  fundName: string;
  funderOrganisationId: string;
  funderName: string;
  reference: string;
  recipientOrganisationId: string;
  recipientName: string;
  conditions: string;
  stage: 'awarded' | 'in_delivery' | 'closing' | 'closed';
  publish: boolean;
  investmentDecisionId: string | null;
  underspendPence: number;
  underspendOutcome: 'returned' | 'reallocated' | null;
  closedAt: Date | null;
  version: number;
  updatedAt: Date;
};

export type BudgetLine = { id: string; description: string; amountPence: number; position: number };
export type GrantLocation = { name: string; geoCode: string; geoCodeType: string };

/** A grant's `GrantTerms` columns, of `grants g`. */
export const grantTermColumns = sql`g.title, g.description, g.amount_pence as "amountPence", g.award_date as "awardDate", g.planned_start as "plannedStart",
  g.planned_end as "plannedEnd", g.programme, g.classifications`;
/** A grant with its fund (`f`), funder (`fo`) and recipient (`ro`). */
export const grantFrom = sql`from grants g join grant_funds f on f.id = g.fund_id join organisations fo on fo.id = f.funder_organisation_id join organisations ro on ro.id = g.recipient_organisation_id`;

const grantColumns = sql`g.id, g.fund_id as "fundId", f.name as "fundName", f.funder_organisation_id as "funderOrganisationId", fo.name as "funderName",
  g.reference, g.recipient_organisation_id as "recipientOrganisationId", ro.name as "recipientName", ${grantTermColumns}, g.conditions, g.stage, g.publish,
  g.investment_decision_id as "investmentDecisionId", g.underspend_pence as "underspendPence", g.underspend_outcome as "underspendOutcome",
  g.closed_at as "closedAt", g.version, g.updated_at as "updatedAt"`;

export async function findGrant(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<Grant | undefined> {
  return (await db.query<Grant>(sql`select ${grantColumns} ${grantFrom} where g.id = ${id} ${options.lock ? sql`for update of g` : sql``}`))[0];
}

/** Grants to the organisations given, for their editors. */
export async function grantsToRecipients(db: Queryable, organisationIds: string[]): Promise<Grant[]> {
  if (!organisationIds.length) return [];
  return db.query<Grant>(sql`select ${grantColumns} ${grantFrom} where g.recipient_organisation_id = any(${organisationIds}::uuid[]) order by g.award_date desc limit 200`);
}

/** Locks the fund and says how much of it is already awarded: two awards at once queue here. */
export async function lockFundAwarded(db: Queryable, fundId: string): Promise<{ totalPence: number; awardedPence: number }> {
  await db.query(sql`select 1 from grant_funds where id = ${fundId} for update`);
  return (
    await db.query<{ totalPence: number; awardedPence: number }>(sql`
      select f.total_pence as "totalPence", coalesce((select sum(amount_pence) from grants where fund_id = f.id), 0) as "awardedPence" from grant_funds f where f.id = ${fundId}`)
  )[0];
}

export type NewGrant = GrantTerms & {
  fundId: string;
  recipientOrganisationId: string;
  conditions: string;
  publish: boolean;
  investmentDecisionId: string | null;
  budgetLines: { description: string; amountPence: number }[];
  locations: GrantLocation[];
  createdBy: string | null;
};

export async function insertGrant(db: Queryable, g: NewGrant): Promise<string> {
  const id = crypto.randomUUID();
  const reference = id.slice(0, 8).toUpperCase();
  await db.query(sql`
    insert into grants (id, fund_id, reference, recipient_organisation_id, title, description, amount_pence, award_date, planned_start, planned_end,
      programme, conditions, classifications, publish, investment_decision_id, created_by)
    values (${id}, ${g.fundId}, ${`${reference}-${id.slice(9, 13).toUpperCase()}`}, ${g.recipientOrganisationId}, ${g.title}, ${g.description}, ${g.amountPence},
      ${g.awardDate}, ${g.plannedStart}, ${g.plannedEnd}, ${g.programme}, ${g.conditions}, ${g.classifications}, ${g.publish}, ${g.investmentDecisionId}, ${g.createdBy})`);
  const lines = g.budgetLines.map((l, i) => ({ id: crypto.randomUUID(), ...l, position: i }));
  for (const l of lines) {
    await db.query(sql`insert into grant_budget_lines (id, grant_id, description, amount_pence, position) values (${l.id}, ${id}, ${l.description}, ${l.amountPence}, ${l.position})`);
  }
  for (const loc of g.locations) {
    await db.query(sql`insert into grant_locations (id, grant_id, name, geo_code, geo_code_type) values (${crypto.randomUUID()}, ${id}, ${loc.name}, ${loc.geoCode}, ${loc.geoCodeType})`);
  }
  await insertBudgetVersion(db, id, 1, lines, g.plannedEnd, 'Budget at award', g.createdBy);
  return id;
}

export async function insertBudgetVersion(db: Queryable, grantId: string, version: number, lines: BudgetLine[], plannedEnd: string, reason: string, by: string | null) {
  await db.query(sql`insert into grant_budget_versions (id, grant_id, version, lines, planned_end, reason, created_by)
    values (${crypto.randomUUID()}, ${grantId}, ${version}, ${JSON.stringify(lines.map((l) => ({ description: l.description, amountPence: l.amountPence })))}::jsonb, ${plannedEnd}, ${reason}, ${by})`);
}

export async function budgetLines(db: Queryable, grantId: string): Promise<BudgetLine[]> {
  return db.query<BudgetLine>(sql`select id, description, amount_pence as "amountPence", position from grant_budget_lines where grant_id = ${grantId} order by position`);
}

export async function budgetVersions(db: Queryable, grantId: string) {
  return db.query<{ version: number; lines: { description: string; amountPence: number }[]; plannedEnd: string; reason: string; createdAt: Date; byName: string | null }>(sql`
    select v.version, v.lines, v.planned_end as "plannedEnd", v.reason, v.created_at as "createdAt", u.name as "byName"
    from grant_budget_versions v left join users u on u.id = v.created_by where v.grant_id = ${grantId} order by v.version desc`);
}

export async function locations(db: Queryable, grantId: string): Promise<GrantLocation[]> {
  return db.query<GrantLocation>(sql`select name, geo_code as "geoCode", geo_code_type as "geoCodeType" from grant_locations where grant_id = ${grantId} order by name`);
}

/** The LSOA of each postcode given (upper case, single space) that the directory's postcode table knows. */
export async function lsoaOfPostcodes(db: Queryable, postcodes: string[]): Promise<Map<string, string | null>> {
  if (!postcodes.length) return new Map();
  const rows = await db.query<{ postcode: string; lsoa: string | null }>(sql`select postcode, lsoa from postcodes where postcode = any(${postcodes}::text[])`);
  return new Map(rows.map((r) => [r.postcode, r.lsoa]));
}

export async function setStage(db: Queryable, grantId: string, stage: Grant['stage']): Promise<void> {
  await db.query(sql`update grants set stage = ${stage}, version = version + 1, updated_at = now(), closed_at = ${stage === 'closed' ? new Date() : null} where id = ${grantId}`);
}

export async function setPublish(db: Queryable, grantId: string, publish: boolean): Promise<void> {
  await db.query(sql`update grants set publish = ${publish}, version = version + 1, updated_at = now() where id = ${grantId}`);
}

export async function decisionAlreadyGranted(db: Queryable, decisionId: string): Promise<string | undefined> {
  return (await db.query<{ id: string }>(sql`select id from grants where investment_decision_id = ${decisionId}`))[0]?.id;
}

export async function anyGrantsTo(db: Queryable, organisationIds: string[]): Promise<boolean> {
  if (!organisationIds.length) return false;
  return (await db.query(sql`select 1 from grants where recipient_organisation_id = any(${organisationIds}::uuid[]) limit 1`)).length > 0;
}
