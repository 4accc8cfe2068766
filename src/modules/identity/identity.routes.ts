import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { SESSION_COOKIE } from '../../platform/http/app.ts';
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

export function registerSignInRoutes(app: FastifyInstance, { db, config }: AppContext) {
  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    return reply.page('sign-in.njk', { title: 'Sign in', values: { returnTo: safeReturnPath(query.returnTo) } });
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
    reply.setCookie(SESSION_COOKIE, result.sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    return reply.redirect(values.returnTo, 303);
  });

  app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    if (request.actor) await signOut(db, request.actor, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1', 303);
  });
}
