import type { FastifyReply } from 'fastify';
import type { Config } from '../../../platform/config.ts';
import { SESSION_COOKIE } from '../../../platform/http/app.ts';
import { SESSION_HOURS } from './sign-in.service.ts';

/** Only local paths, so a sign-in link cannot send people to another site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/';
}

/** Signs the browser in: the session's secret in an HttpOnly, SameSite=Lax cookie. */
export function setSessionCookie(reply: FastifyReply, config: Config, sessionToken: string): void {
  reply.setCookie(SESSION_COOKIE, sessionToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
}
