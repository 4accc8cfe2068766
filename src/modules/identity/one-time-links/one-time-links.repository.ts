import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import type { Role } from '../../../platform/actor.ts';

export type LinkPurpose = 'invitation' | 'password_reset';

export type OneTimeLink = {
  id: string;
  purpose: LinkPurpose;
  email: string;
  name: string | null;
  organisationId: string | null;
  organisationName: string | null;
  role: Role | null;
  userId: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  expired: boolean;
  /** Where an invitation takes the person once they have set their password (a path on this site). */
  returnTo: string | null;
};

export async function insertOneTimeLink(
  db: Queryable,
  link: {
    purpose: LinkPurpose;
    tokenHash: string;
    email: string;
    name?: string | null;
    organisationId?: string | null;
    role?: Role | null;
    userId?: string | null;
    createdBy?: string | null;
    validMinutes: number;
    returnTo?: string | null;
  },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into one_time_links (id, purpose, token_hash, email, name, organisation_id, role, user_id, created_by, expires_at, return_to)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(mins => $10::int), $11)`,
    [id, link.purpose, link.tokenHash, link.email, link.name ?? null, link.organisationId ?? null, link.role ?? null, link.userId ?? null, link.createdBy ?? null, link.validMinutes, link.returnTo ?? null],
  );
  return id;
}

export const linkColumns = `l.id, l.purpose, l.email, l.name, l.organisation_id as "organisationId", o.name as "organisationName", l.role,
  l.user_id as "userId", l.created_by as "createdBy", l.created_at as "createdAt", l.expires_at as "expiresAt", l.used_at as "usedAt",
  l.expires_at <= now() as expired, l.return_to as "returnTo"`;

export async function findOneTimeLink(db: Queryable, purpose: LinkPurpose, tokenHash: string): Promise<OneTimeLink | undefined> {
  return (
    await db.query<OneTimeLink>(
      `select ${linkColumns} from one_time_links l left join organisations o on o.id = l.organisation_id
        where l.purpose = $1 and l.token_hash = $2`,
      [purpose, tokenHash],
    )
  )[0];
}

/** Marks a link used if it still can be: the one step that makes each link single-use under races. */
export async function consumeOneTimeLink(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query('update one_time_links set used_at = now(), updated_at = now() where id = $1 and used_at is null and expires_at > now() returning id', [id]);
  return rows.length > 0;
}

export async function invalidateResetLinksOf(db: Queryable, userId: string): Promise<void> {
  await db.query(`update one_time_links set used_at = now(), updated_at = now() where purpose = 'password_reset' and user_id = $1 and used_at is null`, [userId]);
}

export async function countRecentResetLinks(db: Queryable, userId: string, minutes: number): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from one_time_links where purpose = 'password_reset' and user_id = $1 and created_at > now() - make_interval(mins => $2::int)`,
    [userId, minutes],
  );
  return rows[0].n;
}
