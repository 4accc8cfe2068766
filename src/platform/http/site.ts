import path from 'node:path';
import type { AppModule } from './app.ts';
import { glossary } from '../glossary.ts';

/** Pages that belong to no module: home, glossary, API documentation. */
export const siteModule: AppModule = {
  name: 'site',
  viewsDirs: [path.resolve(import.meta.dirname, '../views')],
  register(app) {
    // Signed in, the home page is "what needs me": each module's items for this person.
    app.get('/', { schema: { hide: true } }, async (request, reply) =>
      reply.page('home.njk', { title: request.actor ? 'What needs you' : 'Home', needsMe: request.actor ? await app.needsMe(request.actor) : [] }),
    );
    app.get('/glossary', { schema: { hide: true } }, async (_request, reply) =>
      reply.page('glossary.njk', { title: 'Glossary', glossary: [...glossary].sort((a, b) => a.term.localeCompare(b.term)) }),
    );
    app.get('/api', { schema: { hide: true } }, async (_request, reply) => {
      const document = app.swagger() as { paths?: Record<string, Record<string, { summary?: string; description?: string; tags?: string[] }>> };
      const operations = Object.entries(document.paths ?? {}).flatMap(([route, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), route, summary: op.summary ?? '', description: op.description ?? '' })),
      );
      return reply.page('api.njk', { title: 'API documentation', operations, width: 'full' });
    });
  },
};
