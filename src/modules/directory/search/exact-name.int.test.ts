import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../../../../test/support/directory-factories.ts';
import { createTestApp, type TestApp } from '../../../../test/support/kit.ts';

describe('searching for a service by its name', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('ranks the service named exactly what was typed first, above listings that say the words more often', async () => {
    // Ten listings full of the words, and the one whose name is the words.
    for (let i = 0; i < 10; i++) {
      await buildService(t.db, {
        name: `Friendship club ${i} at the park`,
        description: 'A friendship club in the park: park walks, park games and a friendship club café for club members. Park friendship for all.',
      });
    }
    const wanted = await buildService(t.db, { name: 'Park Friendship Club', description: 'Meet people over tea.' });
    for (const typed of ['park friendship club', 'Park friendship club!', 'PARK  FRIENDSHIP CLUB']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/services?text=${encodeURIComponent(typed)}` });
      expect(response.statusCode).toBe(200);
      const body = response.json() as { items: { id: string; name: string }[]; total: number };
      expect(body.total, typed).toBe(11);
      expect(body.items[0].id, typed).toBe(wanted.id);
    }
    const page = await t.app.inject({ method: 'GET', url: '/directory?text=park+friendship+club' });
    expect(page.statusCode).toBe(200);
    expect(page.body.indexOf('Park Friendship Club')).toBeLessThan(page.body.indexOf('Friendship club 0 at the park'));
  });
});
