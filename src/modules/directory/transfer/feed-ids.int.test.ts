import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { loadServiceRecords } from '../directory.repository.ts';
import { importFromUrl } from './transfer.service.ts';

/** Issue 10: a feed whose /services/{id} answers with another service is noticed, reported, and not saved under the wrong id. */
describe('harvesting a feed whose services answer with the wrong id', () => {
  const organization = { id: '5a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0001', name: 'Wyndale Befrienders', description: 'A synthetic charity.' };
  const ids = {
    right: '5a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0101',
    answersWithRight: '5a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0102',
    answersWithUnknown: '5a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0103',
  };
  const unknownId = '5a0c9a52-1c1e-4b7a-9d0e-2a6f3e1b0199';
  const service = (id: string, name: string) => ({ id, name, status: 'active', description: `${name}, described by a test feed.`, organization });
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    vi.stubEnv('HARVEST_ALLOW_PRIVATE', 'true');
    server = http.createServer((request, response) => {
      const url = request.url ?? '';
      response.setHeader('content-type', 'application/json');
      if (url.startsWith('/oruk/services?')) {
        response.end(JSON.stringify({ total_pages: 1, last_page: true, contents: Object.values(ids).map((id) => ({ id, name: 'x', status: 'active' })) }));
      } else if (url === `/oruk/services/${ids.right}`) response.end(JSON.stringify(service(ids.right, 'Telephone befriending')));
      // A broken feed: another service's page answers with the first service, edited.
      else if (url === `/oruk/services/${ids.answersWithRight}`) response.end(JSON.stringify(service(ids.right, 'Garden visits')));
      else if (url === `/oruk/services/${ids.answersWithUnknown}`) response.end(JSON.stringify(service(unknownId, 'Coffee mornings')));
      else response.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oruk`;
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('rejects each such answer naming both ids, saves nothing under either, and speaks of the feed, not a file', async () => {
    const db = await createTestDatabase();
    try {
      const report = await importFromUrl(db, baseUrl);
      expect(report).toMatchObject({ total: 3, created: 1 });
      const reasons = Object.fromEntries(report.rejected.map((r) => [r.record.id, r.reasons.join(' ')]));
      expect(Object.keys(reasons).sort()).toEqual([ids.answersWithRight, ids.answersWithUnknown]);
      expect(reasons[ids.answersWithRight]).toMatch(new RegExp(`feed answered /services/${ids.answersWithRight} with a different service, id ${ids.right}`));
      expect(reasons[ids.answersWithUnknown]).toContain(unknownId);
      expect(JSON.stringify(report)).not.toMatch(/\bfile\b/);
      const saved = await loadServiceRecords(db, [ids.right, ids.answersWithRight, ids.answersWithUnknown, unknownId]);
      // The right service keeps its own answer, not the wrong one's.
      expect(saved.map((s) => [s.id, s.name])).toEqual([[ids.right, 'Telephone befriending']]);
    } finally {
      await db.close();
    }
  });
});
