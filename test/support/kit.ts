/**
 * The one test kit: every test signs people in, builds people and organisations, and checks
 * pages through these, so a change to sign-in or a page convention is made once.
 */
import type { Role } from '../../src/platform/actor.ts';
import { buildUser } from './factories.ts';
import { createTestApp, TestClient, type TestApp } from './test-app.ts';
import { startRecordingSmtpServer, type RecordingSmtpServer } from './mail.ts';

export { buildOrganisation, buildUser, TEST_PASSWORD } from './factories.ts';
export { brokenErrorSummaryLinks, errorSummaryTargets } from './html-checks.ts';
export { createTestApp, TestClient, type TestApp } from './test-app.ts';

/** A client signed in through the sign-in form, as a person a test made. */
export function signedInAs(t: TestApp, person: { email: string; password: string }): Promise<TestClient> {
  return TestClient.signedIn(t.app, person.email, person.password);
}

/** A new person with one role (in a new organisation unless one is given), signed in. */
export async function aSignedInUser(t: TestApp, role: Role, organisationId?: string) {
  const user = await buildUser(t.db, { role, organisationId });
  return { user, client: await signedInAs(t, user) };
}

/** A test app that sends its email through a real SMTP server on this machine; close() stops both. */
export async function createTestAppWithMailServer(env: Record<string, string> = {}): Promise<TestApp & { smtp: RecordingSmtpServer }> {
  const smtp = await startRecordingSmtpServer();
  const t = await createTestApp({ ...env, SMTP_URL: smtp.url });
  return {
    ...t,
    smtp,
    async close() {
      await t.close();
      await smtp.close();
    },
  };
}
