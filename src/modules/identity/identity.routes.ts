import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { SESSION_COOKIE } from '../../platform/http/app.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Config } from '../../platform/config.ts';
import { forbidden, HttpProblem } from '../../platform/http/errors.ts';
import { validateForm } from '../../platform/http/forms.ts';
import { SignInForm } from './identity.schemas.ts';
import { SESSION_HOURS, signIn, signOut } from './identity.service.ts';

/** Only local paths, so a sign-in link cannot send people to another site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/';
}

export function requireSignIn(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.actor) return true;
  reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`);
  return false;
}

/**
 * For pages only some roles may use: anonymous people are sent to sign in, signed-in people
 * without the role get the 403 page. Pass a policy function from a *.policy.ts file.
 */
export function requirePermission(request: FastifyRequest, reply: FastifyReply, allowed: (actor: Actor) => boolean): boolean {
  if (!requireSignIn(request, reply)) return false;
  if (!allowed(request.actor!)) throw forbidden('Your account does not have a role that can use this page. Ask a partnership admin if you need it.');
  return true;
}

/** For API routes: the actor, or 401 problem+json that says how to authenticate. */
export function requireApiActor(request: FastifyRequest, reply: FastifyReply): Actor {
  if (request.actor) return request.actor;
  reply.header('www-authenticate', 'Bearer');
  throw new HttpProblem(401, 'Sign-in required', 'Send a personal API token (Authorization: Bearer cg_…) made on your account page.');
}

export function setSessionCookie(reply: FastifyReply, config: Config, sessionToken: string): void {
  reply.setCookie(SESSION_COOKIE, sessionToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
}


export function registerSignInRoutes(app: FastifyInstance, { db, config }: AppContext) {
  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const flash =
      query.invitation === 'added'
        ? 'You already had an account, so the invitation added its role to it. Sign in with your existing password.'
        : query.signedOut === '1'
          ? 'You have signed out.'
          : undefined;
    return reply.page('sign-in.njk', { title: 'Sign in', flash, values: { returnTo: safeReturnPath(query.returnTo) } });
  });

  app.post('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { email: body.email, returnTo: safeReturnPath(body.returnTo) };
    const form = validateForm(SignInForm, body);
    if (!form.ok) return reply.status(422).page('sign-in.njk', { title: 'Sign in', errors: form.errors, values });
    const result = await signIn(db, form.data.email, form.data.password, request.ip);
    if (!result.ok) {
      const message =
        result.reason === 'locked'
          ? `Too many attempts to sign in. Try again in ${result.minutes} minute${result.minutes === 1 ? '' : 's'}.`
          : 'Enter a correct email address and password';
      return reply
        .status(result.reason === 'locked' ? 429 : 401)
        .page('sign-in.njk', { title: 'Sign in', errors: [{ field: 'email', message }], values });
    }
    setSessionCookie(reply, config, result.sessionToken);
    return reply.redirect(values.returnTo, 303);
  });

  app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    if (request.actor) await signOut(db, request.actor, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1', 303);
  });
}
