import crypto from 'node:crypto';
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { registerOrganisationPicker } from './organisation-picker.ts';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from '../actor.ts';
import { handleError, handleNotFound } from './errors.ts';
import { refuseUnstorableText } from './unstorable-text.ts';
import { formCsrfToken } from './forms.ts';
import { createViewEnvironment, designSystemStylesheet, nhsukDist } from './views.ts';
import { nationVocabulary, useNation } from '../nation.ts';
import { PageCache } from './page-cache.ts';
import type { Mailer } from '../mailer.ts';
import type { JobHandlers, Sweeps } from '../jobs/jobs.ts';
import type { NeedsMeItem } from '../needs-me.ts';

export type { NeedsMeItem } from '../needs-me.ts';

export type NavItem = { href: string; text: string };

export type AppContext = { config: Config; db: Database; mailer: Mailer };

/** A section another module adds to a directory organisation's public page: its template and the values it draws. */
export type OrganisationPanel = { template: string; values: Record<string, unknown> };

export type AppModule = {
  name: string;
  /** Template folders: the module's views/ and each feature's (moduleViews() finds them). */
  viewsDirs?: string[];
  /** Links this actor may use, for the header navigation. */
  navigation?: (actor: Actor | null, context: AppContext) => NavItem[] | Promise<NavItem[]>;
  register(app: FastifyInstance, context: AppContext): Promise<void> | void;
  /** What waits for this actor in the module, for the home page. Asked only when the home page is drawn. */
  needsMe?: (actor: Actor, context: AppContext) => NeedsMeItem[] | Promise<NeedsMeItem[]>;
  /** Sections for a directory organisation's public page (grants received …); the directory asks every module. */
  organisationPanels?: (organisationId: string, actor: Actor | null, context: AppContext) => OrganisationPanel[] | Promise<OrganisationPanel[]>;
  /** Background jobs this module enqueues (enqueueJob), by kind: '<module>.<what>'. */
  jobs?: JobHandlers;
  /** Work run every so often by one process at a time (finding reminders that are due …). */
  sweeps?: Sweeps;
};

/** A module's template folders: `views/` at its root and in each feature folder. */
export function moduleViews(moduleDir: string): string[] {
  const folders = [moduleDir, ...fs.readdirSync(moduleDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(moduleDir, d.name))];
  return folders.map((f) => path.join(f, 'views')).filter((v) => fs.existsSync(v));
}

export type Authenticator = {
  /** Reads the session cookie or API token; null when anonymous. */
  authenticate(request: FastifyRequest): Promise<Actor | null>;
};

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every route registered, for the robustness tests and the API page. */
    routeList: { method: string; url: string }[];
    /** Every module's "what needs me" items for the actor, in module order, only those with something to do. */
    needsMe(actor: Actor): Promise<{ module: string; items: NeedsMeItem[] }[]>;
    /** Every module's sections for a directory organisation's page, in module order. */
    organisationPanels(organisationId: string, actor: Actor | null): Promise<OrganisationPanel[]>;
  }
  interface FastifyReply {
    /**
     * Renders a page with the layout's shared values (actor, navigation, CSRF token, CSP nonce).
     * `reuse: true` keeps the HTML drawn for the same template and values (see PageCache).
     */
    page(template: string, values?: Record<string, unknown>, options?: { reuse?: boolean }): Promise<FastifyReply>;
    /** A success message shown once, on the next page drawn (after a redirect). */
    flash(message: string): FastifyReply;
  }
}

export const SESSION_COOKIE = 'cg_session';
const FLASH_COOKIE = 'cg_flash';

export async function buildApp(context: AppContext, modules: AppModule[], authenticator: Authenticator): Promise<FastifyInstance> {
  const { config } = context;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    // Only named proxies may say who the client is: anyone can write X-Forwarded-For, and rate
    // limits and the audit log key on the address.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  const routeList: { method: string; url: string }[] = [];
  app.decorate('routeList', routeList);
  app.decorate('needsMe', async (actor: Actor) => {
    const all = await Promise.all(modules.map(async (m) => ({ module: m.name, items: ((await m.needsMe?.(actor, context)) ?? []).filter((i) => i.count === undefined || i.count > 0) })));
    return all.filter((m) => m.items.length > 0);
  });
  app.decorate('organisationPanels', async (organisationId: string, actor: Actor | null) =>
    (await Promise.all(modules.map(async (m) => (await m.organisationPanels?.(organisationId, actor, context)) ?? []))).flat(),
  );
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: route.url });
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // The public ORUK API is read by other systems' pages.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: 'cg_csrf',
    cookieOpts: { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/' },
    getToken: (request: FastifyRequest) => {
      const header = request.headers['x-csrf-token'];
      return formCsrfToken(request) ?? (typeof header === 'string' ? header : undefined);
    },
  });
  await app.register(fastifyFormbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: 100 * 1024 * 1024, files: 1, fields: 50 },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Common Ground API',
        version: '1',
        description:
          'JSON API for Common Ground. Authenticate with a personal API token (Authorization: Bearer …) made on your account page. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { apiToken: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  const views = createViewEnvironment(modules.flatMap((m) => m.viewsDirs ?? []));

  await app.register(fastifyStatic, { root: path.join(nhsukDist, 'nhsuk/assets'), prefix: '/assets/', decorateReply: false });
  await app.register(fastifyStatic, {
    root: path.join(nhsukDist, 'nhsuk'),
    prefix: '/nhsuk/',
    allowedPath: (p) => /^\/nhsuk-frontend\.min\.js$/.test(p),
    decorateReply: false,
  });
  // The design system's stylesheet without its web font from an NHS host: pages fetch nothing from
  // elsewhere, and Frutiger is for the NHS's own services. The fallback stack (Arial…) is used instead.
  const stylesheet = designSystemStylesheet();
  app.get('/nhsuk/nhsuk-frontend.min.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );
  const logo = config.partnershipLogo ? { ...config.partnershipLogo, bytes: await readFile(config.partnershipLogo.path) } : undefined;
  if (logo) {
    app.get('/partnership-logo', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(logo.contentType).header('cache-control', 'public, max-age=3600').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(logo.bytes),
    );
  }
  useNation(config.nation);
  const nation = nationVocabulary();
  await app.register(fastifyStatic, { root: path.resolve(import.meta.dirname, '../../../public'), prefix: '/static/', decorateReply: false });

  // After the body is parsed (multipart's own preValidation hook is registered above), before any schema or handler.
  app.addHook('preValidation', refuseUnstorableText);

  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/assets/') || request.url.startsWith('/nhsuk/') || request.url.startsWith('/static/') || request.url.startsWith('/vendor/') || request.url === '/partnership-logo') return;
    request.actor = await authenticator.authenticate(request);
  });

  // CSRF on every change made with cookies. API token requests carry no cookie authority.
  app.addHook('preHandler', (request, reply, done) => {
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (!unsafe || request.actor?.via === 'api_token' || request.url.startsWith('/api/v1/') && !request.cookies[SESSION_COOKIE]) return done();
    app.csrfProtection(request, reply, done);
  });

  // A request in flight when the server is told to stop gets its answer and then its connection
  // closes; kept alive, the connection would hold the stop for Fastify's keep-alive timeout (72 s).
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  // What a signed-in person sees may be someone's personal record: never kept by a browser or proxy.
  app.addHook('onSend', async (request, reply) => {
    if (request.actor && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (closing) reply.header('connection', 'close');
  });

  app.decorateReply('flash', function (this: FastifyReply, message: string) {
    return this.setCookie(FLASH_COOKIE, message, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/', maxAge: 60 });
  });

  // Templates are read again on each render in development (views.ts), so nothing drawn is kept there.
  const pages = new PageCache(process.env.NODE_ENV !== 'development');
  app.decorateReply('page', async function (this: FastifyReply, template: string, values: Record<string, unknown> = {}, options: { reuse?: boolean } = {}) {
    const request = this.request;
    const actor = request.actor;
    const flash = request.cookies[FLASH_COOKIE];
    if (flash !== undefined) this.clearCookie(FLASH_COOKIE, { path: '/' });
    // Asked only when a page is drawn, so a module may look something up for its links.
    const navigation = (await Promise.all(modules.map((m) => m.navigation?.(actor, context) ?? []))).flat();
    const shared = {
      serviceName: config.serviceName,
      partnershipName: config.partnershipName,
      logoSrc: logo ? '/partnership-logo' : null,
      nation,
      ...values,
      flash: values.flash ?? flash,
      actor,
      navigation,
      currentPath: request.url.split('?')[0],
    };
    const nonce = (this as unknown as { cspNonce: { script: string } }).cspNonce?.script;
    const html = options.reuse
      ? pages.draw(template, shared, (slots) => views.render(template, { ...shared, ...slots }), { csrfToken: () => this.generateCsrf(), cspNonce: () => nonce ?? '' })
      : views.render(template, { ...shared, csrfToken: this.generateCsrf(), cspNonce: nonce });
    return this.type('text/html; charset=utf-8').send(html);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await context.db.query('select 1');
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });

  await registerOrganisationPicker(app, context.db);
  for (const module of modules) await module.register(app, context);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
