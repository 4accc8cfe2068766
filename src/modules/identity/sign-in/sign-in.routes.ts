import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SESSION_COOKIE, type AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm } from '../../../platform/http/forms.ts';
import { safeReturnPath, setSessionCookie } from './session-cookie.ts';
import { SignInForm, SignInQuery } from './sign-in.schemas.ts';
import { signIn, signOut } from './sign-in.service.ts';

export function registerSignInRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/sign-in', { schema: { hide: true, querystring: SignInQuery } }, async (request, reply) =>
    reply.page('identity/sign-in.njk', { title: 'Sign in', values: { returnTo: safeReturnPath(request.query.returnTo) } }),
  );

  routes.post('/sign-in', { schema: { hide: true } }, (request, reply) => {
    const input = formBody(request);
    const values = { email: input.email, returnTo: safeReturnPath(input.returnTo) };
    return submitForm(reply, {
      schema: SignInForm,
      input,
      save: (form) => signIn(db, form.email, form.password, request.ip),
      redisplay: (errors) => reply.page('identity/sign-in.njk', { title: 'Sign in', errors, values }),
      done: (session) => {
        setSessionCookie(reply, config, session.sessionToken);
        return { redirect: values.returnTo };
      },
    });
  });

  // Open to anyone: signing out when already signed out just lands on the sign-in page.
  routes.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    if (request.actor) await signOut(db, request.actor, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.flash('You have signed out.');
    return reply.redirect('/sign-in', 303);
  });
}
