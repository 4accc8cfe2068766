import type { FastifyRequest } from 'fastify';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit.ts';
import * as repo from './identity.repository.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const SESSION_HOURS = 12;
export const SIGN_IN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type SignInResult =
  | { ok: true; sessionToken: string; userId: string }
  | { ok: false; reason: 'wrong_credentials' }
  | { ok: false; reason: 'locked'; minutes: number };

function minutesUntil(oldest: Date | null): number {
  if (!oldest) return SIGN_IN_WINDOW_MINUTES;
  const ends = new Date(oldest).getTime() + SIGN_IN_WINDOW_MINUTES * 60_000;
  return Math.max(1, Math.ceil((ends - Date.now()) / 60_000));
}

export async function signIn(db: Database, email: string, password: string, ip: string): Promise<SignInResult> {
  const failures = await repo.recentFailures(db, email, ip, SIGN_IN_WINDOW_MINUTES);
  if (failures.byEmail >= MAX_FAILURES_PER_ACCOUNT) return { ok: false, reason: 'locked', minutes: minutesUntil(failures.emailOldest) };
  if (failures.byIp >= MAX_FAILURES_PER_ADDRESS) return { ok: false, reason: 'locked', minutes: minutesUntil(failures.ipOldest) };

  const user = await repo.findUserByEmail(db, email);
  const valid = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
  if (!user || !valid || !user.is_active) {
    await repo.recordSignInFailure(db, email, ip);
    await recordAudit(db, { actor: null, action: 'sign_in_failed', recordType: 'user', recordId: user?.id, ip, details: { email } });
    return { ok: false, reason: 'wrong_credentials' };
  }
  const sessionToken = await db.transaction(async (tx) => {
    await repo.clearSignInFailures(tx, email);
    const token = await startSession(tx, user.id);
    await recordAudit(tx, { actor: { userId: user.id, name: user.name }, action: 'signed_in', recordType: 'user', recordId: user.id, ip });
    return token;
  });
  return { ok: true, sessionToken, userId: user.id };
}

/** A new session for someone who has just proved who they are; returns the cookie's secret. */
export async function startSession(tx: Queryable, userId: string): Promise<string> {
  const token = newSecret();
  await repo.insertSession(tx, userId, hashSecret(token), new Date(Date.now() + SESSION_HOURS * 3_600_000));
  return token;
}

export async function signOut(db: Database, actor: Actor, ip: string): Promise<void> {
  if (!actor.sessionId) return;
  await db.transaction(async (tx) => {
    await repo.deleteSession(tx, actor.sessionId!);
    await recordAudit(tx, { actor, action: 'signed_out', recordType: 'user', recordId: actor.userId, ip });
  });
}

async function actorFor(db: Database, userId: string, via: Actor['via'], sessionId?: string): Promise<Actor | null> {
  const user = await repo.findUserById(db, userId);
  if (!user || !user.is_active) return null;
  return { userId: user.id, name: user.name, email: user.email, memberships: await repo.membershipsOf(db, user.id), via, sessionId };
}

/** The authenticator the platform calls on each request: an API token, else the session cookie. */
export function createAuthenticator(db: Database, cookieName: string) {
  return {
    async authenticate(request: FastifyRequest): Promise<Actor | null> {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        const token = await repo.findLiveApiToken(db, hashSecret(header.slice(7).trim()));
        if (!token) return null;
        await repo.touchApiToken(db, token.id);
        return actorFor(db, token.user_id, 'api_token');
      }
      const cookie = request.cookies[cookieName];
      if (!cookie) return null;
      const session = await repo.findLiveSession(db, hashSecret(cookie));
      return session ? actorFor(db, session.user_id, 'session', session.id) : null;
    },
  };
}
