import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';
import type { FundInput } from './funds.schemas.ts';

export type Fund = {
  id: string;
  funderOrganisationId: string;
  funderName: string;
  name: string;
  totalPence: number;
  opensOn: string;
  closesOn: string;
  programmes: string[];
  spendOutOn: string | null;
  endMonthsBeforeSpendOut: number;
  approvalThresholdPence: number;
  lateMovePercent: number;
  lateMoveMaxPence: number;
  lateWindowMonths: number;
  letterTemplate: string;
};

export type FundSummary = Fund & { awardedPence: number; paidPence: number; grants: number };

const fundColumns = sql`f.id, f.funder_organisation_id as "funderOrganisationId", o.name as "funderName", f.name, f.total_pence as "totalPence",
  f.opens_on as "opensOn", f.closes_on as "closesOn", f.programmes, f.spend_out_on as "spendOutOn", f.end_months_before_spend_out as "endMonthsBeforeSpendOut",
  f.approval_threshold_pence as "approvalThresholdPence", f.late_move_percent as "lateMovePercent", f.late_move_max_pence as "lateMoveMaxPence",
  f.late_window_months as "lateWindowMonths", f.letter_template as "letterTemplate"`;

export async function findFund(db: Queryable, id: string): Promise<Fund | undefined> {
  return (await db.query<Fund>(sql`select ${fundColumns} from grant_funds f join organisations o on o.id = f.funder_organisation_id where f.id = ${id}`))[0];
}

/** Funds, with what each has awarded and paid; only the funders given (null: every fund). */
export async function listFunds(db: Queryable, funderIds: string[] | null): Promise<FundSummary[]> {
  const only = funderIds ? sql`where f.funder_organisation_id = any(${funderIds}::uuid[])` : sql``;
  return db.query<FundSummary>(sql`
    select ${fundColumns},
      coalesce((select sum(g.amount_pence) from grants g where g.fund_id = f.id), 0) as "awardedPence",
      coalesce((select sum(t.amount_pence) from grant_tranches t join grants g on g.id = t.grant_id where g.fund_id = f.id and t.status = 'paid'), 0) as "paidPence",
      (select count(*) from grants g where g.fund_id = f.id)::int as grants
    from grant_funds f join organisations o on o.id = f.funder_organisation_id ${only}
    order by f.name`);
}

export async function insertFund(db: Queryable, input: FundInput & { letterTemplate: string }, createdBy: string | null): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(sql`
    insert into grant_funds (id, funder_organisation_id, name, total_pence, opens_on, closes_on, programmes, spend_out_on, end_months_before_spend_out,
      approval_threshold_pence, late_move_percent, late_move_max_pence, letter_template, created_by)
    values (${id}, ${input.funderOrganisationId}, ${input.name}, ${input.total}, ${input.opensOn}, ${input.closesOn}, ${input.programmes}, ${input.spendOutOn ?? null},
      ${input.endMonthsBeforeSpendOut}, ${input.approvalThreshold ?? 0}, ${input.lateMovePercent}, ${input.lateMoveMax ?? 0}, ${input.letterTemplate}, ${createdBy})`);
  return id;
}

export async function organisationExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(sql`select 1 from organisations where id = ${id} and merged_into_id is null`)).length > 0;
}

/** Organisations to choose from, by name. */
export type StageCount = { stage: string; grants: number; amountPence: number };

/** The spend-out dashboard's figures for one fund, in a few queries that use the indexes. */
export async function fundFigures(db: Queryable, fundId: string, today: string, deadline: string | null) {
  const stages = await db.query<StageCount>(sql`select stage, count(*)::int as grants, coalesce(sum(amount_pence), 0) as "amountPence" from grants where fund_id = ${fundId} group by stage`);
  const money = (
    await db.query<{ committedPence: number; paidPence: number; underspendPence: number }>(sql`
      select coalesce(sum(g.amount_pence), 0) as "committedPence",
        coalesce(sum(g.underspend_pence), 0) as "underspendPence",
        coalesce((select sum(t.amount_pence) from grant_tranches t join grants g2 on g2.id = t.grant_id where g2.fund_id = ${fundId} and t.status = 'paid'), 0) as "paidPence"
      from grants g where g.fund_id = ${fundId}`)
  )[0];
  const overdue = (
    await db.query<{ n: number }>(sql`select count(*)::int as n from grant_reports r join grants g on g.id = r.grant_id where g.fund_id = ${fundId} and r.status = 'due' and r.due_on < ${today}`)
  )[0].n;
  const awaitingSignature = (
    await db.query<{ n: number }>(sql`
      select count(*)::int as n from grants g
      where g.fund_id = ${fundId} and g.stage = 'closing'
        and exists (
          select 1 from grant_letter_versions v
          where v.grant_id = g.id and v.version = (select max(version) from grant_letter_versions where grant_id = g.id)
            and (select count(*) from grant_letter_signatures s where s.version_id = v.id and s.fingerprint = v.fingerprint) < 2)`)
  )[0].n;
  // Grants at risk: ending after the deadline, reports overdue, or paid far behind the time gone.
  const atRisk = await db.query<{ id: string; reference: string; title: string; recipientName: string; plannedEnd: string; stage: string; endsLate: boolean; overdueReports: number; behindPlan: boolean }>(sql`
    select g.id, g.reference, g.title, o.name as "recipientName", g.planned_end as "plannedEnd", g.stage,
      (${deadline}::date is not null and g.planned_end > ${deadline}::date) as "endsLate",
      coalesce(r.n, 0)::int as "overdueReports",
      (g.stage = 'in_delivery' and ${today}::date > g.planned_start and coalesce(p.paid, 0) * (g.planned_end - g.planned_start + 1) < g.amount_pence * least(${today}::date - g.planned_start, g.planned_end - g.planned_start) / 2) as "behindPlan"
    from grants g join organisations o on o.id = g.recipient_organisation_id
      left join (select grant_id, count(*) as n from grant_reports where status = 'due' and due_on < ${today} group by grant_id) r on r.grant_id = g.id
      left join (select grant_id, sum(amount_pence) as paid from grant_tranches where status = 'paid' group by grant_id) p on p.grant_id = g.id
    where g.fund_id = ${fundId} and g.stage <> 'closed'
      and ((${deadline}::date is not null and g.planned_end > ${deadline}::date) or coalesce(r.n, 0) > 0
        or (g.stage = 'in_delivery' and ${today}::date > g.planned_start and coalesce(p.paid, 0) * (g.planned_end - g.planned_start + 1) < g.amount_pence * least(${today}::date - g.planned_start, g.planned_end - g.planned_start) / 2))
    order by g.planned_end desc limit 50`);
  // Money by month: paid, and still to pay on the schedule.
  const months = await db.query<{ month: string; paidPence: number; duePence: number }>(sql`
    select to_char(coalesce(t.paid_on, t.due_on), 'YYYY-MM') as month,
      coalesce(sum(t.amount_pence) filter (where t.status = 'paid'), 0) as "paidPence",
      coalesce(sum(t.amount_pence) filter (where t.status <> 'paid'), 0) as "duePence"
    from grant_tranches t join grants g on g.id = t.grant_id where g.fund_id = ${fundId}
    group by 1 order by 1`);
  return { stages, ...money, overdue, awaitingSignature, atRisk, months };
}

/** A page of the fund's grants, for the dashboard's list. */
export async function fundGrants(db: Queryable, fundId: string, limit: number) {
  return db.query<{ id: string; reference: string; title: string; recipientName: string; amountPence: number; stage: string; plannedEnd: string }>(sql`
    select g.id, g.reference, g.title, o.name as "recipientName", g.amount_pence as "amountPence", g.stage, g.planned_end as "plannedEnd"
    from grants g join organisations o on o.id = g.recipient_organisation_id
    where g.fund_id = ${fundId} order by g.created_at desc limit ${limit}`);
}

/** The grants data's change counter (migration 0301): cached figures are good while it stands still. */
export async function changesVersion(db: Queryable): Promise<number> {
  return (await db.query<{ version: number }>(sql`select version from grants_changes where id = 1`))[0].version;
}
