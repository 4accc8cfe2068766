import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse, type Refusal } from '../../../platform/refusal.ts';
import * as people from '../identity.repository.ts';
import { dummyPasswordHash, verifyPassword } from '../passwords.ts';
import { hashSecret, newSecret } from '../tokens.ts';
import * as repo from './sign-in.repository.ts';

export const SESSION_HOURS = 12;
const SIGN_IN_WINDOW_MINUTES = 15;

/**
 * Wrong passwords allowed in the window before attempts are refused. Keyed by account and address
 * together, so that someone failing an account's password from their address cannot lock its owner
 * out elsewhere; by address, so one address cannot try many accounts; and by account alone with a
 * much higher limit, so that guessing one account's password from many addresses stops too.
 */
const LIMITS = [
  { scope: 'account_and_address', max: 5, count: (f: repo.RecentFailures) => f.byAccountAndAddress, oldest: (f: repo.RecentFailures) => f.accountAndAddressOldest },
  { scope: 'address', max: 20, count: (f: repo.RecentFailures) => f.byAddress, oldest: (f: repo.RecentFailures) => f.addressOldest },
  { scope: 'account', max: 50, count: (f: repo.RecentFailures) => f.byAccount, oldest: (f: repo.RecentFailures) => f.accountOldest },
] as const;

/**
 * A wrong email or password: one generic message on the email field, answered 401 (the
 * credentials were not accepted), so it does not say which was wrong.
 */
const credentialsNotAccepted = () => refuse.unauthenticated('email', 'Enter a correct email address and password');

function minutesUntil(oldest: Date | null): number {
  if (!oldest) return SIGN_IN_WINDOW_MINUTES;
  const ends = new Date(oldest).getTime() + SIGN_IN_WINDOW_MINUTES * 60_000;
  return Math.max(1, Math.ceil((ends - Date.now()) / 60_000));
}

function tooManyAttempts(oldest: Date | null): Refusal {
  const minutes = minutesUntil(oldest);
  return refuse.tooMany(`Too many attempts to sign in. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, 'email');
}

/**
 * Counts this attempt before its password is checked, in one step with reading the count, so that
 * attempts made at the same moment cannot all read the count before any of them adds to it. Over a
 * limit, the attempt is refused and not counted (the transaction rolls back). Returns the counts,
 * this attempt included.
 */
function beginAttempt(db: Database, email: string, ip: string): Promise<repo.RecentFailures> {
  return db.transaction(async (tx) => {
    await repo.lockSignInCounts(tx, email, ip);
    await repo.recordSignInAttempt(tx, email, ip);
    const failures = await repo.recentFailures(tx, email, ip, SIGN_IN_WINDOW_MINUTES);
    const over = LIMITS.find((limit) => limit.count(failures) > limit.max);
    if (over) throw tooManyAttempts(over.oldest(failures));
    return failures;
  });
}

/** Checks the password (rate limited by account and address, by address, and by account) and starts a session; returns the cookie's secret. */
export async function signIn(db: Database, email: string, password: string, ip: string): Promise<{ sessionToken: string; userId: string }> {
  const failures = await beginAttempt(db, email, ip);
  const user = await people.findUserByEmail(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !valid || !user.isActive) {
    // The attempt already counts as a failure; the audit log says so, and which limits it reached.
    await recordAudit(db, { actor: null, action: 'sign_in_failed', recordType: 'user', recordId: user?.id, ip, details: { email } });
    const reached = LIMITS.filter((limit) => limit.count(failures) === limit.max).map((limit) => limit.scope);
    if (reached.length > 0) {
      await recordAudit(db, { actor: null, action: 'sign_in_limit_reached', recordType: 'user', recordId: user?.id, ip, details: { email, limits: reached, minutes: SIGN_IN_WINDOW_MINUTES } });
    }
    throw credentialsNotAccepted();
  }
  const sessionToken = await db.transaction(async (tx) => {
    await repo.forgetSignInFailures(tx, email, ip);
    const token = await startSession(tx, user.id);
    await recordAudit(tx, { actor: { userId: user.id, name: user.name }, action: 'signed_in', recordType: 'user', recordId: user.id, ip });
    return token;
  });
  return { sessionToken, userId: user.id };
}

/** A new session for someone who has just proved who they are; returns the cookie's secret. */
export async function startSession(tx: Queryable, userId: string): Promise<string> {
  const token = newSecret();
  await people.insertSession(tx, userId, hashSecret(token), new Date(Date.now() + SESSION_HOURS * 3_600_000));
  return token;
}

export async function signOut(db: Database, actor: Actor, ip: string): Promise<void> {
  if (!actor.sessionId) return;
  await db.transaction(async (tx) => {
    await repo.deleteSession(tx, actor.sessionId!);
    await recordAudit(tx, { actor, action: 'signed_out', recordType: 'user', recordId: actor.userId, ip });
  });
}

/** The person a personal API token belongs to, while it is live and they are active. */
export async function actorForApiToken(db: Database, token: string): Promise<Actor | null> {
  const found = await repo.findLiveApiToken(db, hashSecret(token));
  if (!found) return null;
  await repo.touchApiToken(db, found.credentialId);
  return { userId: found.userId, name: found.name, email: found.email, memberships: found.memberships, via: 'api_token' };
}

/** The person a session cookie belongs to, while the session is live and they are active: read afresh on every request, so signing out or deactivating takes effect at once. */
export async function actorForSession(db: Database, cookie: string): Promise<Actor | null> {
  const found = await repo.findLiveSession(db, hashSecret(cookie));
  return found ? { userId: found.userId, name: found.name, email: found.email, memberships: found.memberships, via: 'session', sessionId: found.credentialId } : null;
}
