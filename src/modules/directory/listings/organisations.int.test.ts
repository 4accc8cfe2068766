import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, brokenErrorSummaryLinks, buildOrganisation, createTestApp, type TestApp, TestClient } from '../../../../test/support/kit.ts';
import { loadOrganisationRecords } from '../directory.repository.ts';
import { anEditorsOrganisation, versionOn } from '../../../../test/support/directory.ts';

const organisationForm = (overrides: Record<string, string> = {}) => ({
  name: 'Brackenside Befriending Scheme',
  kind: 'charity',
  description: 'Volunteers who visit and phone older people.',
  email: 'hello@example.org',
  website: 'https://www.example.org',
  postcode: 'wy3 4qp',
  charityNumber: '1234567',
  companyNumber: '1234567',
  odsCode: '',
  ...overrides,
});

describe('adding and editing organisations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('lets an admin add an organisation with its identifiers, audited', async () => {
    const { client, user } = await aSignedInUser(t, 'partnership_admin');
    expect((await client.get('/directory/organisations/new')).statusCode).toBe(200);
    const response = await client.postForm('/directory/organisations/new', organisationForm({ name: 'Unique Riverside Allotments', charityNumber: '7654321', companyNumber: '', odsCode: 'y01234' }));
    expect(response.statusCode).toBe(303);
    const id = /organisations\/([0-9a-f-]{36})\/edit/.exec(response.headers.location as string)![1];
    const [saved] = await loadOrganisationRecords(t.db, [id]);
    expect(saved).toMatchObject({ name: 'Unique Riverside Allotments', kind: 'charity', postcode: 'WY3 4QP', email: 'hello@example.org' });
    expect(saved.identifiers.map((i) => `${i.scheme}-${i.identifier}`).sort()).toEqual(['GB-CHC-7654321', 'GB-NHS-Y01234']);
    const page = await client.get(response.headers.location as string);
    expect(page.body).toContain('The organisation has been added');
    expect(page.body).not.toContain('This may be a duplicate');
    const [audit] = await t.db.query<{ action: string; actor_user_id: string }>(`select action, actor_user_id from audit_log where record_type = 'organisation' and record_id = $1`, [id]);
    expect(audit).toEqual({ action: 'created', actor_user_id: user.id });
  });

  it('flags a possible duplicate on create and says so, linking to it', async () => {
    const { client } = await aSignedInUser(t, 'partnership_admin');
    const first = await client.postForm('/directory/organisations/new', organisationForm({ charityNumber: '1112223', companyNumber: '' }));
    const firstId = /organisations\/([0-9a-f-]{36})\//.exec(first.headers.location as string)![1];
    const second = await client.postForm('/directory/organisations/new', organisationForm({ name: 'Brackenside Befriending', charityNumber: '1112223', companyNumber: '' }));
    const page = await client.get(second.headers.location as string);
    expect(page.body).toContain('This may be a duplicate');
    expect(page.body).toContain(`href="/directory/organisations/${firstId}"`);
    expect(page.body).toContain('shares the identifier GB-CHC-1112223');
    expect(page.body).toContain('href="/directory/duplicates"');
    const flags = await t.db.query(`select 1 from duplicate_flags where status = 'open' and (organisation_id = $1 or candidate_id = $1)`, [firstId]);
    expect(flags).toHaveLength(1);
  });

  it.each([
    [{ name: '' }, 'Enter the organisation&#39;s name'],
    [{ kind: '' }, 'Select what kind of organisation it is'],
    [{ email: 'nope' }, 'Enter an email address in the correct format, like name@example.org'],
    [{ website: 'not a website' }, 'Enter a website address in the correct format, like https://www.example.org'],
    [{ postcode: 'WY' }, 'Enter a real postcode'],
    [{ charityNumber: '12' }, 'Enter a charity number of 6 to 8 digits, like 1234567'],
    [{ companyNumber: 'ABC' }, 'Enter a company number of 8 characters, like 01234567 or SC123456'],
    [{ odsCode: 'R' }, 'Enter an NHS ODS code of 3 to 6 letters and numbers, like RAX or Y01234'],
  ])('redisplays the form for %j with "%s" and keeps what was typed', async (change, message) => {
    const { client } = await aSignedInUser(t, 'partnership_admin');
    const response = await client.postForm('/directory/organisations/new', organisationForm({ description: 'Typed description', ...change }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(message);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('Typed description');
    expect(brokenErrorSummaryLinks(response.body)).toEqual([]);
  });

  it('lets only admins add organisations', async () => {
    const { client } = await anEditorsOrganisation(t);
    expect((await client.get('/directory/organisations/new')).statusCode).toBe(403);
    expect((await client.postForm('/directory/organisations/new', organisationForm())).statusCode).toBe(403);
    expect((await new TestClient(t.app).get('/directory/organisations/new')).statusCode).toBe(302);
  });

  it('lets an editor change their own organisation, keeping identifiers the form does not show, and refuses a stale version', async () => {
    const { organisation, client } = await anEditorsOrganisation(t);
    await t.db.query(`insert into organisation_identifiers (id, organisation_id, identifier_scheme, identifier_type, identifier) values (gen_random_uuid(), $1, 'GB-SC', 'Scottish charity number', 'SC012345')`, [organisation.id]);
    const form = await client.get(`/directory/organisations/${organisation.id}/edit`);
    const version = versionOn(form.body);
    const saved = await client.postForm(`/directory/organisations/${organisation.id}/edit`, organisationForm({ name: 'Renamed Group', version }));
    expect(saved.statusCode).toBe(303);
    const [after] = await loadOrganisationRecords(t.db, [organisation.id]);
    expect(after.name).toBe('Renamed Group');
    expect(after.identifiers.map((i) => i.scheme).sort()).toEqual(['GB-CHC', 'GB-COH', 'GB-SC']);
    expect(after.identifiers.find((i) => i.scheme === 'GB-COH')!.identifier).toBe('01234567');

    const stale = await client.postForm(`/directory/organisations/${organisation.id}/edit`, organisationForm({ name: 'Second Rename', version }));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else saved changes to this organisation');
    expect(stale.body).toContain('value="Second Rename"');
    expect(brokenErrorSummaryLinks(stale.body)).toEqual([]);
    expect((await loadOrganisationRecords(t.db, [organisation.id]))[0].name).toBe('Renamed Group');

    const other = await buildOrganisation(t.db);
    expect((await client.get(`/directory/organisations/${other.id}/edit`)).statusCode).toBe(403);
    expect((await client.postForm(`/directory/organisations/${other.id}/edit`, organisationForm())).statusCode).toBe(403);
    expect((await client.get('/directory/organisations/bad-id/edit')).statusCode).toBe(404);
  });
});
