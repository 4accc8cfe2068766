import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';

/** Agreements whose review date is within the reminder window, and the reminders already sent. */

export type DueReview = { id: string; title: string; reviewOn: string; daysLeft: number; sent: number[] };

export async function reviewsWithin(db: Queryable, on: string, days: number): Promise<DueReview[]> {
  return db.query<DueReview>(sql`select a.id, a.title, a.review_on as "reviewOn", (a.review_on - ${on}::date)::int as "daysLeft",
      array(select r.days_before from is_review_reminders r where r.agreement_id = a.id and r.review_on = a.review_on) as sent
    from is_agreements a where a.review_on is not null and a.review_on - ${on}::date <= ${days} and a.review_on >= ${on}::date
      and (a.end_on is null or a.end_on > ${on}::date)`);
}

/** Claims one reminder (this agreement, this review date, this many days before); false if already claimed. */
export async function claimReminder(db: Queryable, agreementId: string, reviewOn: string, daysBefore: number): Promise<boolean> {
  const rows = await db.query(sql`insert into is_review_reminders (agreement_id, review_on, days_before) values (${agreementId}, ${reviewOn}::date, ${daysBefore}) on conflict do nothing returning 1`);
  return rows.length === 1;
}

/** Who is told: each party's senior signatory and whoever wrote the agreement. */
export async function reviewRecipients(db: Queryable, agreementId: string): Promise<string[]> {
  const rows = await db.query<{ email: string }>(sql`select distinct u.email from users u where u.id in (
      select s.senior_signatory_user_id from is_agreement_parties p join is_assurance s on s.organisation_id = p.organisation_id where p.agreement_id = ${agreementId}
      union select created_by from is_agreements where id = ${agreementId}) order by u.email`);
  return rows.map((r) => r.email);
}
