import type { Queryable } from '../../../platform/db/database.ts';
import { empty, raw, sql, type Sql } from '../../../platform/db/sql.ts';
import { camelRows } from '../rows.ts';

/** Counts for commissioners' reports: a PCN or the whole partnership, a date range. No names. */
type ReportFilter = { pcnIds: string[] | 'all'; from: string; to: string };

/** `and <column> in the PCNs`, or nothing for the whole partnership. `column` is fixed in code. */
function scope(f: ReportFilter, column: string): Sql {
  return f.pcnIds === 'all' ? empty : sql`and ${raw(column)} = any(${f.pcnIds}::uuid[])`;
}

export async function referralsBySource(db: Queryable, f: ReportFilter) {
  return db.query<{ source: string; n: number }>(sql`select source, count(*)::int as n from sp_referrals where received_on between ${f.from} and ${f.to} ${scope(f, 'pcn_id')} group by source order by n desc`);
}

export async function referralsByReason(db: Queryable, f: ReportFilter) {
  return db.query<{ reason: string; n: number }>(
    sql`select reason::text as reason, count(*)::int as n from sp_referrals, unnest(reasons) as reason where received_on between ${f.from} and ${f.to} ${scope(f, 'pcn_id')} group by reason order by n desc`,
  );
}

export async function referralsByMonth(db: Queryable, f: ReportFilter) {
  return db.query<{ month: string; received: number; accepted: number; declined: number }>(
    sql`select to_char(received_on, 'YYYY-MM') as month, count(*)::int as received,
            count(*) filter (where status = 'accepted')::int as accepted, count(*) filter (where status = 'declined')::int as declined
       from sp_referrals where received_on between ${f.from} and ${f.to} ${scope(f, 'pcn_id')} group by 1 order by 1`,
  );
}

export async function referralOutcomes(db: Queryable, f: ReportFilter) {
  const rows = await db.query(
    sql`select status, decline_reason, count(*)::int as n from sp_referrals where received_on between ${f.from} and ${f.to} ${scope(f, 'pcn_id')} group by 1, 2 order by n desc`,
  );
  return camelRows<{ status: string; declineReason: string | null; n: number }>(rows);
}

/** Days from each accepted referral to the first contact on its case (attempted or made). */
export async function daysToFirstContact(db: Queryable, f: ReportFilter): Promise<number[]> {
  const rows = await db.query<{ days: number }>(
    sql`select (fc.first_on - r.received_on)::int as days
       from sp_referrals r join sp_cases c on c.referral_id = r.id
       join lateral (select min(contacted_on) as first_on from sp_contacts where case_id = c.id) fc on fc.first_on is not null
      where r.received_on between ${f.from} and ${f.to} ${scope(f, 'r.pcn_id')}`,
  );
  return rows.map((r) => r.days);
}

export async function onwardByOrganisation(db: Queryable, f: ReportFilter, noResponseBefore: string) {
  const rows = await db.query(
    sql`select o.organisation_name, o.kind,
            case when o.kind = 'signpost' then 'signposted'
                 when o.status = 'sent' and o.sent_on < ${noResponseBefore} then 'no_response'
                 when o.status = 'accepted' and o.attendance is not null then o.attendance
                 else o.status end as outcome,
            count(*)::int as n
       from sp_onward_referrals o join sp_cases c on c.id = o.case_id
      where o.sent_on between ${f.from} and ${f.to} ${scope(f, 'c.pcn_id')}
      group by 1, 2, 3 order by 1, 3`,
  );
  return camelRows<{ organisationName: string; kind: string; outcome: string; n: number }>(rows);
}

/** Each person's first and latest measurement of each measure taken in the range. */
export async function measureChanges(db: Queryable, f: ReportFilter) {
  const rows = await db.query(
    sql`with m as (
       select m.person_id, m.measure, m.answers, m.score::float8 as score,
              row_number() over (partition by m.person_id, m.measure order by m.taken_on, m.created_at) as first_rank,
              row_number() over (partition by m.person_id, m.measure order by m.taken_on desc, m.created_at desc) as last_rank,
              count(*) over (partition by m.person_id, m.measure) as taken
         from sp_measurements m join sp_cases c on c.id = m.case_id
        where m.taken_on between ${f.from} and ${f.to} ${scope(f, 'c.pcn_id')})
     select a.measure, a.answers as first_answers, b.answers as latest_answers, a.score as first_score, b.score as latest_score
       from m a join m b on a.person_id = b.person_id and a.measure = b.measure and b.last_rank = 1
      where a.first_rank = 1 and a.taken > 1`,
  );
  return camelRows<{ measure: string; firstAnswers: number[]; latestAnswers: number[]; firstScore: number | null; latestScore: number | null }>(rows);
}
