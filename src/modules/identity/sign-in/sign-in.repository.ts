import crypto from 'node:crypto';
import type { Membership } from '../../../platform/actor.ts';
import type { Queryable } from '../../../platform/db/database.ts';

/** Who holds a live credential: the person (active) and their memberships, read in one statement. */
export type Holder = { credentialId: string; userId: string; name: string; email: string; memberships: Membership[] };

// One statement per request instead of three (credential, person, memberships): every signed-in
// request asks it, and each statement is a round trip to the database. The memberships come as one
// JSON array, in the order membershipsOf gives them.
const holderColumns = `u.id as "userId", u.name, u.email,
  coalesce((select json_agg(json_build_object('organisationId', m.organisation_id, 'organisationName', o.name, 'role', m.role) order by o.name, m.role)
              from memberships m join organisations o on o.id = m.organisation_id where m.user_id = u.id), '[]'::json) as memberships`;

/** The session with this token hash, while it has not expired and its person is active. */
export async function findLiveSession(db: Queryable, tokenHash: string): Promise<Holder | undefined> {
  return (
    await db.query<Holder>(
      `select s.id as "credentialId", ${holderColumns}
         from sessions s join users u on u.id = s.user_id
        where s.token_hash = $1 and s.expires_at > now() and u.is_active`,
      [tokenHash],
    )
  )[0];
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query('delete from sessions where id = $1', [id]);
}

/** The API token with this hash, while it is not revoked and its person is active. */
export async function findLiveApiToken(db: Queryable, tokenHash: string): Promise<Holder | undefined> {
  return (
    await db.query<Holder>(
      `select t.id as "credentialId", ${holderColumns}
         from api_tokens t join users u on u.id = t.user_id
        where t.token_hash = $1 and t.revoked_at is null and u.is_active`,
      [tokenHash],
    )
  )[0];
}

export async function touchApiToken(db: Queryable, id: string): Promise<void> {
  await db.query(`update api_tokens set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [id]);
}

/**
 * Holds, until the transaction ends, a lock for the account and one for the address of a sign-in
 * attempt, so that two attempts sharing either are counted one after the other (PostgreSQL's
 * advisory locks; PGlite runs one transaction at a time anyway). Taken in one order everywhere, so
 * two attempts cannot each wait for the other.
 */
export async function lockSignInCounts(tx: Queryable, email: string, ip: string): Promise<void> {
  const keys = [`account ${email.toLowerCase()}`, `address ${ip}`].map((k) => crypto.createHash('sha256').update(`sign-in ${k}`).digest().readBigInt64BE(0));
  for (const key of keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    await tx.query('select pg_advisory_xact_lock($1::bigint)', [key.toString()]);
  }
}

/**
 * Counts an attempt as a failure before its password is checked (`forgetSignInFailures` takes it
 * back when the password was right), so attempts running at the same time each see the others.
 */
export async function recordSignInAttempt(tx: Queryable, email: string, ip: string): Promise<void> {
  await tx.query('insert into sign_in_failures (id, email, ip) values ($1, $2, $3)', [crypto.randomUUID(), email.toLowerCase(), ip]);
}

export type RecentFailures = {
  byAccountAndAddress: number;
  byAddress: number;
  byAccount: number;
  accountAndAddressOldest: Date | null;
  addressOldest: Date | null;
  accountOldest: Date | null;
};

/**
 * How many failures (attempts in progress included) there were within the window, and when the
 * oldest was: for this account from this address, for this address, and for this account.
 */
export async function recentFailures(tx: Queryable, email: string, ip: string, windowMinutes: number): Promise<RecentFailures> {
  const rows = await tx.query<RecentFailures>(
    `select
       count(*) filter (where lower(email) = lower($1) and ip = $2)::int as "byAccountAndAddress",
       count(*) filter (where ip = $2)::int as "byAddress",
       count(*) filter (where lower(email) = lower($1))::int as "byAccount",
       min(created_at) filter (where lower(email) = lower($1) and ip = $2) as "accountAndAddressOldest",
       min(created_at) filter (where ip = $2) as "addressOldest",
       min(created_at) filter (where lower(email) = lower($1)) as "accountOldest"
     from sign_in_failures
     where (lower(email) = lower($1) or ip = $2) and created_at > now() - make_interval(mins => $3::int)`,
    [email, ip, windowMinutes],
  );
  return rows[0];
}

/** After a right password: forgets the failures of this account from this address (this attempt's included). */
export async function forgetSignInFailures(db: Queryable, email: string, ip: string): Promise<void> {
  await db.query('delete from sign_in_failures where lower(email) = lower($1) and ip = $2', [email, ip]);
}
