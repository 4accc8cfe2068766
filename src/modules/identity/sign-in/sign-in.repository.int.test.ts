/**
 * Who holds a session or API token, read in one statement on every signed-in request (the person
 * and their memberships as JSON). Named `*.repository.int.test.ts` so it runs on PostgreSQL as well
 * as PGlite: the JSON and the order of the memberships come from the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, buildUser, createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { addMembership, insertSession } from '../identity.repository.ts';
import { hashSecret, newSecret } from '../tokens.ts';
import { findLiveApiToken, findLiveSession } from './sign-in.repository.ts';

describe('the holder of a session or API token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const inAnHour = () => new Date(Date.now() + 3_600_000);

  it('is the person with every membership, ordered by organisation name then role', async () => {
    const zebra = await buildOrganisation(t.db, { name: 'Zebra Crossing Community Trust' });
    const acorn = await buildOrganisation(t.db, { name: 'Acorn Lane Carers' });
    const user = await buildUser(t.db, { role: 'organisation_editor', organisationId: zebra.id, name: 'Priya Okafor' });
    await addMembership(t.db, user.id, acorn.id, 'link_worker');
    await addMembership(t.db, user.id, acorn.id, 'partnership_admin');
    const token = newSecret();
    const sessionId = await insertSession(t.db, user.id, hashSecret(token), inAnHour());

    const holder = await findLiveSession(t.db, hashSecret(token));

    expect(holder).toEqual({
      credentialId: sessionId,
      userId: user.id,
      name: 'Priya Okafor',
      email: user.email,
      memberships: [
        { organisationId: acorn.id, organisationName: 'Acorn Lane Carers', role: 'link_worker' },
        { organisationId: acorn.id, organisationName: 'Acorn Lane Carers', role: 'partnership_admin' },
        { organisationId: zebra.id, organisationName: 'Zebra Crossing Community Trust', role: 'organisation_editor' },
      ],
    });
  });

  it('has no memberships when the person holds none', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    await t.db.query('delete from memberships where user_id = $1', [user.id]);
    const token = newSecret();
    await insertSession(t.db, user.id, hashSecret(token), inAnHour());
    expect((await findLiveSession(t.db, hashSecret(token)))?.memberships).toEqual([]);
  });

  it('is nobody once the session has expired, been deleted, or the person deactivated', async () => {
    const user = await buildUser(t.db, { role: 'analyst' });
    const expired = newSecret();
    await insertSession(t.db, user.id, hashSecret(expired), new Date(Date.now() - 1000));
    expect(await findLiveSession(t.db, hashSecret(expired))).toBeUndefined();

    const live = newSecret();
    await insertSession(t.db, user.id, hashSecret(live), inAnHour());
    expect(await findLiveSession(t.db, hashSecret(live))).toBeDefined();
    await t.db.query('update users set is_active = false where id = $1', [user.id]);
    expect(await findLiveSession(t.db, hashSecret(live))).toBeUndefined();
  });

  it('of an API token is nobody once the token is revoked', async () => {
    const user = await buildUser(t.db, { role: 'analyst', name: 'Tomasz Reid' });
    const token = newSecret();
    const [{ id }] = await t.db.query<{ id: string }>(
      `insert into api_tokens (id, user_id, name, token_hash, token_hint) values (gen_random_uuid(), $1, 'Reporting', $2, 'abcd') returning id`,
      [user.id, hashSecret(token)],
    );
    expect(await findLiveApiToken(t.db, hashSecret(token))).toMatchObject({ credentialId: id, userId: user.id, name: 'Tomasz Reid', memberships: [{ role: 'analyst' }] });
    await t.db.query('update api_tokens set revoked_at = now() where id = $1', [id]);
    expect(await findLiveApiToken(t.db, hashSecret(token))).toBeUndefined();
  });
});
