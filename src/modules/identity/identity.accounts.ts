import type { Database, Queryable } from '../../platform/db/database.ts';
import type { Role } from '../../platform/actor.ts';
import * as repo from './identity.repository.ts';
import { hashPassword } from './passwords.ts';

/** Creates a user who can sign in, with one role in one organisation (demo data, tests, first admin). */
export async function createUserWithMembership(
  db: Database,
  user: { name: string; email: string; password: string; organisationId: string; role: Role },
): Promise<string> {
  const passwordHash = await hashPassword(user.password);
  return db.transaction(async (tx) => {
    const id = await repo.insertUser(tx, { name: user.name, email: user.email, passwordHash });
    await repo.addMembership(tx, id, user.organisationId, user.role);
    return id;
  });
}

/** When two organisations are merged, their people and roles move to the one that remains. */
export async function transferMemberships(tx: Queryable, fromOrganisationId: string, toOrganisationId: string): Promise<void> {
  await tx.query(
    `insert into memberships (id, user_id, organisation_id, role)
     select gen_random_uuid(), user_id, $2, role from memberships where organisation_id = $1
     on conflict (user_id, organisation_id, role) do nothing`,
    [fromOrganisationId, toOrganisationId],
  );
  await tx.query('delete from memberships where organisation_id = $1', [fromOrganisationId]);
}
