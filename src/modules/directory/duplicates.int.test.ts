import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { saveOrganisationRecords } from './directory.repository.ts';
import { flagPossibleDuplicates, flagPossibleDuplicatesOfEach } from './duplicates.ts';

const org = (name: string, postcode: string | null, identifiers: { scheme: string; identifier: string }[] = []) => ({
  id: crypto.randomUUID(),
  name,
  description: '',
  kind: 'charity',
  postcode,
  identifiers: identifiers.map((i) => ({ id: crypto.randomUUID(), type: 'charity number', ...i })),
});

describe('flagging possible duplicate organisations', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it('flags a shared identifier, and a very similar name at the same postcode, once each', async () => {
    const existing = org('Brackenside Befriending Scheme', 'WY3 4QP', [{ scheme: 'GB-CHC', identifier: '1234567' }]);
    await saveOrganisationRecords(db, [existing]);
    const sameNumber = org('Totally Different Name', null, [{ scheme: 'GB-CHC', identifier: '1234567' }]);
    const similarName = org('Brackenside Befriending Scheme Ltd', 'wy34qp');
    const elsewhere = org('Brackenside Befriending Scheme', 'WY9 9ZZ');
    const unrelated = org('Millbrook Walking Group', 'WY3 4QP');
    await saveOrganisationRecords(db, [sameNumber, similarName, elsewhere, unrelated]);

    expect((await flagPossibleDuplicates(db, sameNumber)).map((c) => c.reason)).toEqual(['shares the identifier GB-CHC-1234567']);
    expect((await flagPossibleDuplicates(db, similarName)).map((c) => c.id)).toEqual([existing.id]);
    expect(await flagPossibleDuplicates(db, elsewhere)).toEqual([]);
    expect(await flagPossibleDuplicates(db, unrelated)).toEqual([]);
    await flagPossibleDuplicates(db, similarName);
    const flags = await db.query<{ n: number }>("select count(*)::int as n from duplicate_flags where status = 'open'");
    expect(flags[0].n).toBe(2);
  });

  it('checks a batch of organisations at once, flagging a pair within the batch once', async () => {
    const first = org('Oakmoor Tenants Association', 'WY5 1AB');
    const second = org('Oakmoor Tenants Association CIC', 'wy5 1ab');
    const other = org('Stonebridge Community Shed', 'WY5 1AB', [{ scheme: 'GB-CHC', identifier: '7654321' }]);
    await saveOrganisationRecords(db, [first, second, other]);
    const found = await flagPossibleDuplicatesOfEach(db, [first, second, other]);
    expect([found.get(first.id)!.map((c) => c.id), found.get(second.id)!.map((c) => c.id), found.get(other.id)]).toEqual([[second.id], [first.id], []]);
    const flags = await db.query<{ n: number }>(
      `select count(*)::int as n from duplicate_flags where status = 'open' and organisation_id = any($1::uuid[]) and candidate_id = any($1::uuid[])`,
      [[first.id, second.id]],
    );
    expect(flags[0].n).toBe(1);
  });
});
