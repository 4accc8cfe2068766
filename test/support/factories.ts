import crypto from 'node:crypto';
import type { Database } from '../../src/platform/db/database.ts';
import type { Role } from '../../src/platform/actor.ts';
import { createUserWithMembership } from '../../src/modules/identity/index.ts';

let counter = 0;
const next = () => ++counter;

export async function buildOrganisation(db: Database, overrides: { name?: string; kind?: string; postcode?: string } = {}): Promise<{ id: string; name: string }> {
  const id = crypto.randomUUID();
  const name = overrides.name ?? `Test Community Group ${next()}`;
  await db.query('insert into organisations (id, name, kind, postcode, description) values ($1, $2, $3, $4, $5)', [
    id,
    name,
    overrides.kind ?? 'community_group',
    overrides.postcode ?? null,
    'A synthetic organisation made by a test.',
  ]);
  return { id, name };
}

export const TEST_PASSWORD = 'a-long-test-password';

export async function buildUser(
  db: Database,
  options: { role: Role; organisationId?: string; name?: string; email?: string; password?: string },
): Promise<{ id: string; email: string; password: string; organisationId: string; name: string }> {
  const n = next();
  const organisationId = options.organisationId ?? (await buildOrganisation(db)).id;
  const email = options.email ?? `user${n}-${crypto.randomUUID().slice(0, 8)}@test.common-ground.invalid`;
  const password = options.password ?? TEST_PASSWORD;
  const name = options.name ?? `Test User ${n}`;
  const id = await createUserWithMembership(db, { name, email, password, organisationId, role: options.role });
  return { id, email, password, organisationId, name };
}
