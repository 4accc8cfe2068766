import type { Database } from '../../platform/db/database.ts';
import type { Role } from '../../platform/http/actor.ts';
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
