import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs, type TestApp, type TestClient } from '../../../../test/support/kit.ts';
import { buildPartnership, postMultipart } from '../../../../test/support/social-prescribing.ts';

describe('social prescribing: loading an outreach cohort file', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof buildPartnership>>;
  let lw: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPartnership(t);
    lw = await signedInAs(t, w.lw);
  });
  afterAll(async () => t?.close());

  const upload = (name: string, content: string) => postMultipart(lw, '/social-prescribing/cohorts/new', { name, pcnId: w.pcn.id }, { name: 'file', filename: 'cohort.csv', content, type: 'text/csv' });

  it('refuses a file with a NUL character, naming the row, and loads nothing', async () => {
    const withNul = 'First name,Last name,Phone\nAlma,Cohortson,01632 960001\nBe\u0000rt,Cohortson,01632 960002\nCora,Cohortson,01632\u0000960003\n';
    const refused = await upload('List with a NUL', withNul);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Row 3: the row has a NUL character');
    expect(refused.body).toContain('Row 4: the row has a NUL character');
    expect(refused.body).not.toContain('Row 2:');
    expect(await t.db.query("select 1 from sp_cohorts where name = 'List with a NUL'")).toHaveLength(0);

    const inHeader = await upload('Header with a NUL', 'First name,Last name\u0000\nAlma,Cohortson\n');
    expect(inHeader.statusCode).toBe(422);
    expect(inHeader.body).toContain('Row 1: the row has a NUL character');

    // The same file without the NUL loads.
    const fixed = await upload('List with a NUL', withNul.replace(/\u0000/g, ''));
    expect(fixed.statusCode).toBe(303);
    expect(await t.db.query("select 1 from sp_cohort_members m join sp_cohorts c on c.id = m.cohort_id where c.name = 'List with a NUL'")).toHaveLength(3);
  });
});
