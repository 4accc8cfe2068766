import type { Database } from '../../src/platform/db/database.ts';
import { needs } from '../../src/modules/directory/index.ts';
import { buildService } from './directory-factories.ts';
import { buildOrganisation, buildUser, type TestApp, type TestClient } from './kit.ts';
import { buildReferralAgreement } from './sharing.ts';

/** Scenario builders for social prescribing tests: a partnership with PCNs, a link worker team and a community organisation. */

/** A PCN with a GP practice and a two-person link worker team, a second PCN, and a community organisation with a service. */
export async function buildPartnership(t: TestApp) {
  const db = t.db;
  const pcn = await buildOrganisation(db, { name: 'Test Valley PCN', kind: 'pcn' });
  const practice = await buildOrganisation(db, { name: 'Test Valley Surgery', kind: 'gp_practice' });
  await db.query('update organisations set parent_organisation_id = $1 where id = $2', [pcn.id, practice.id]);
  const otherPcn = await buildOrganisation(db, { name: 'Other Town PCN', kind: 'pcn' });
  const otherPractice = await buildOrganisation(db, { name: 'Other Town Medical Centre', kind: 'gp_practice' });
  await db.query('update organisations set parent_organisation_id = $1 where id = $2', [otherPcn.id, otherPractice.id]);
  const lw = await buildUser(db, { role: 'link_worker', organisationId: pcn.id, name: 'Lee Test-Linkworker' });
  const lw2 = await buildUser(db, { role: 'link_worker', organisationId: pcn.id, name: 'Sam Test-Colleague' });
  const otherLw = await buildUser(db, { role: 'link_worker', organisationId: otherPcn.id });
  const gpStaff = await buildUser(db, { role: 'organisation_editor', organisationId: practice.id });
  const charity = await buildOrganisation(db, { name: 'Test Friendship Group' });
  const editor = await buildUser(db, { role: 'organisation_editor', organisationId: charity.id, name: 'Eve Test-Editor' });
  const otherEditor = await buildUser(db, { role: 'organisation_editor' });
  const admin = await buildUser(db, { role: 'partnership_admin' });
  const ig = await buildUser(db, { role: 'ig_lead' });
  const service = await buildService(db, { organisationId: charity.id, name: 'Test Friendship Lunch Club', taxonomyTermIds: [needs[0].id] });
  // Referrals from the PCN to the charity are covered by an active information sharing agreement, signed by the link worker (for the PCN) and the charity's editor.
  await buildReferralAgreement(db, { pcnId: pcn.id, pcnSignatoryId: lw.id, organisationId: charity.id, organisationSignatoryId: editor.id });
  return { pcn, practice, otherPcn, otherPractice, lw, lw2, otherLw, gpStaff, charity, editor, otherEditor, admin, ig, service };
}

export const loneliness = needs[0].id;

export function personFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    givenName: 'Ada',
    familyName: 'Testperson',
    dateOfBirth: '1950-03-27',
    nhsNumber: '999 000 0018',
    postcode: 'wy1 2ab',
    phone: '01632 960123',
    email: 'ada@example.org',
    preferredContact: 'phone',
    ...overrides,
  };
}

/** Posts a multipart form with one file, as a browser's file upload does. */
export async function postMultipart(client: TestClient, url: string, fields: Record<string, string>, file: { name: string; filename: string; content: string; type: string }) {
  const boundary = `----cgtest${Date.now()}`;
  const token = await client.csrfToken();
  const parts = Object.entries({ _csrf: token, ...fields }).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n${file.content}\r\n`);
  const payload = `${parts.join('')}--${boundary}--\r\n`;
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return client.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

/** Refers a new person as GP practice staff and returns the referral id (from the audit trail). */
export async function referThroughForm(db: Database, client: TestClient, practiceId: string, overrides: Record<string, string> = {}) {
  const response = await client.postForm('/social-prescribing/refer', { ...personFields(overrides), gpPracticeId: practiceId, reasons: [loneliness], notes: 'Lives alone since spring.', consentToContact: 'yes' });
  if (response.statusCode !== 303) throw new Error(`referral failed: ${response.statusCode} ${response.body.slice(0, 500)}`);
  const id = new URL(response.headers.location as string, 'http://x').searchParams.get('id')!;
  const [row] = await db.query<{ person_id: string }>('select person_id from sp_referrals where id = $1', [id]);
  return { referralId: id, personId: row.person_id };
}
