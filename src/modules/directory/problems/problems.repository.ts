import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { empty, raw, sql, whereAll } from '../../../platform/db/sql.ts';

export type ProblemReason = 'closed' | 'wrong_contact_details' | 'wrong_times' | 'other';

export type ProblemRow = {
  id: string;
  serviceId: string | null;
  serviceName: string | null;
  organisationId: string;
  organisationName: string;
  reason: ProblemReason;
  details: string;
  reporterEmail: string | null;
  status: 'open' | 'resolved';
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedByName: string | null;
  resolutionNote: string | null;
};

const SELECT = `select p.id, p.service_id as "serviceId", s.name as "serviceName", p.organisation_id as "organisationId",
       o.name as "organisationName", p.reason, p.details, p.reporter_email as "reporterEmail", p.status,
       p.created_at as "createdAt", p.resolved_at as "resolvedAt", u.name as "resolvedByName", p.resolution_note as "resolutionNote"
  from problem_reports p
  join organisations o on o.id = p.organisation_id
  left join services s on s.id = p.service_id
  left join users u on u.id = p.resolved_by`;

export async function insertProblemReport(
  db: Queryable,
  report: { serviceId: string; organisationId: string; reason: ProblemReason; details: string; reporterEmail: string | null },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into problem_reports (id, service_id, organisation_id, reason, details, reporter_email) values ($1, $2, $3, $4, $5, $6)`,
    [id, report.serviceId, report.organisationId, report.reason, report.details, report.reporterEmail],
  );
  return id;
}

/** Open reports first (oldest waiting first), then resolved ones, newest first. */
export async function listProblemReports(db: Queryable, organisationIds: string[] | 'all', page: { limit: number; offset: number }): Promise<{ total: number; open: number; rows: ProblemRow[] }> {
  const scope = whereAll([organisationIds === 'all' ? empty : sql`p.organisation_id = any(${organisationIds}::uuid[])`]);
  const [count] = await db.query<{ total: number; open: number }>(
    sql`select count(*)::int as total, count(*) filter (where p.status = 'open')::int as open from problem_reports p ${scope}`,
  );
  const rows = await db.query<ProblemRow>(
    sql`${raw(SELECT)} ${scope}
      order by p.status = 'open' desc, case when p.status = 'open' then p.created_at end asc, p.resolved_at desc nulls last, p.id
      limit ${page.limit} offset ${page.offset}`,
  );
  return { total: count.total, open: count.open, rows };
}

export async function findProblemReport(db: Queryable, id: string): Promise<ProblemRow | undefined> {
  return (await db.query<ProblemRow>(`${SELECT} where p.id = $1`, [id]))[0];
}

export async function resolveProblemReport(db: Queryable, id: string, userId: string, note: string): Promise<boolean> {
  const rows = await db.query(
    `update problem_reports set status = 'resolved', resolved_by = $2, resolved_at = now(), resolution_note = $3, updated_at = now()
      where id = $1 and status = 'open' returning id`,
    [id, userId, note],
  );
  return rows.length > 0;
}

/** Who hears about a problem: the organisation's editors; if it has none, the partnership admins. */
export async function problemRecipients(db: Queryable, organisationId: string): Promise<string[]> {
  const rows = await db.query<{ email: string }>(
    `select distinct u.email from users u join memberships m on m.user_id = u.id
      where u.is_active and ((m.role = 'organisation_editor' and m.organisation_id = $1)
         or (m.role = 'partnership_admin' and not exists (
              select 1 from memberships e join users eu on eu.id = e.user_id
               where e.role = 'organisation_editor' and e.organisation_id = $1 and eu.is_active)))
      order by u.email`,
    [organisationId],
  );
  return rows.map((r) => r.email);
}
