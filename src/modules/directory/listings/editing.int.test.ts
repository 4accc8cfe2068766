import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, brokenErrorSummaryLinks, buildOrganisation, createTestApp, type TestApp, TestClient } from '../../../../test/support/kit.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import { loadServiceRecords } from '../directory.repository.ts';
import { addPostcodes, anEditorsOrganisation, serviceForm, versionOn } from '../../../../test/support/directory.ts';

describe('editing services, locations and times', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await addPostcodes(t.db);
  });
  afterAll(async () => t?.close());

  it('lets an editor add a service to their organisation, saving every field and auditing it', async () => {
    const { organisation, client, user } = await anEditorsOrganisation(t);
    const form = await client.get(`/directory/services/new?organisation=${organisation.id}`);
    expect(form.statusCode).toBe(200);
    const response = await client.postForm(`/directory/services/new?organisation=${organisation.id}`, serviceForm());
    expect(response.statusCode).toBe(303);
    const id = /\/directory\/services\/([0-9a-f-]{36})\/locations/.exec(response.headers.location as string)![1];
    const [saved] = await loadServiceRecords(t.db, [id]);
    expect(saved).toMatchObject({
      organisationId: organisation.id,
      name: 'Brackenside Lunch Club',
      minimumAge: 60,
      maximumAge: null,
      freeOfCharge: false,
      deliveryModes: ['in_person'],
      url: 'https://www.example.org/lunch',
    });
    expect(saved.costOptions[0]).toMatchObject({ option: 'Per lunch', amount: 3.5 });
    expect(saved.languages.map((l) => l.name)).toEqual(['English', 'Urdu']);
    expect(saved.contacts[0]).toMatchObject({ name: 'Lunch club coordinator', phones: [{ number: '01632 960123' }] });
    expect(saved.taxonomyTermIds).toHaveLength(2);
    const audit = await t.db.query<{ action: string; actor_user_id: string; details: { changes: Record<string, { to: unknown }> } }>(
      `select action, actor_user_id, details from audit_log where record_type = 'service' and record_id = $1`,
      [id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'created', actor_user_id: user.id });
    expect(audit[0].details.changes.cost.to).toBe('£3.50, Per lunch');
  });

  it('refuses editors of another organisation (403), and sends anonymous people to sign in', async () => {
    const service = await buildService(t.db);
    const { client } = await anEditorsOrganisation(t);
    expect((await client.get(`/directory/services/${service.id}/edit`)).statusCode).toBe(403);
    const post = await client.postForm(`/directory/services/${service.id}/edit`, serviceForm());
    expect(post.statusCode).toBe(403);
    expect((await client.get(`/directory/services/new?organisation=${service.organisationId}`)).statusCode).toBe(403);
    expect((await client.get(`/directory/services/${service.id}/locations`)).statusCode).toBe(403);
    const [unchanged] = await loadServiceRecords(t.db, [service.id]);
    expect(unchanged.name).toBe(service.name);

    const linkWorker = await aSignedInUser(t, 'link_worker', service.organisationId);
    expect((await linkWorker.client.get(`/directory/services/${service.id}/edit`)).statusCode).toBe(403);

    const anonymous = new TestClient(t.app);
    const page = await anonymous.get(`/directory/services/${service.id}/edit`);
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(`/directory/services/${service.id}/edit`)}`);
  });

  it('lets a partnership admin edit any service', async () => {
    const service = await buildService(t.db);
    const { client } = await aSignedInUser(t, 'partnership_admin');
    const form = await client.get(`/directory/services/${service.id}/edit`);
    expect(form.statusCode).toBe(200);
    const saved = await client.postForm(`/directory/services/${service.id}/edit`, serviceForm({ name: 'Renamed by an admin', version: versionOn(form.body) }));
    expect(saved.statusCode).toBe(303);
    expect((await loadServiceRecords(t.db, [service.id]))[0].name).toBe('Renamed by an admin');
  });

  it('answers 404 for unknown or malformed ids', async () => {
    const { client } = await aSignedInUser(t, 'partnership_admin');
    for (const url of ['/directory/services/not-a-uuid/edit', `/directory/services/${crypto.randomUUID()}/edit`, '/directory/services/new?organisation=nope', `/directory/services/${crypto.randomUUID()}/locations`]) {
      expect((await client.get(url)).statusCode, url).toBe(404);
    }
  });

  it.each([
    [{ name: '' }, "Enter the service's name"],
    [{ description: '' }, 'Enter a description of the service'],
    [{ status: '' }, 'Select whether the service is running'],
    [{ status: 'temporarily closed' }, 'Enter the date the service reopens'],
    [{ status: 'temporarily closed', 'reopeningDate-day': '31', 'reopeningDate-month': '2', 'reopeningDate-year': '2030' }, 'Reopening date must be a real date'],
    [{ status: 'temporarily closed', 'reopeningDate-day': '1', 'reopeningDate-month': '1', 'reopeningDate-year': '2001' }, 'Reopening date must be today or in the future'],
    [{ minimumAge: '70', maximumAge: '65' }, 'Minimum age must be the same as or lower than the maximum age'],
    [{ minimumAge: 'sixty' }, 'Minimum age must be a whole number of years from 0 to 120'],
    [{ costAmount: '' }, 'Enter the cost in pounds and pence, like 3.50'],
    [{ costAmount: '3.505' }, 'Enter the cost in pounds and pence, like 3.50'],
    [{ freeOfCharge: '' }, 'Select whether the service is free'],
    [{ deliveryModes: [] }, 'Select how the service is delivered'],
    [{ email: 'not an email' }, 'Enter an email address in the correct format, like name@example.org'],
    [{ url: 'http://' }, 'Enter a website address in the correct format, like https://www.example.org'],
    [{ contactPhone: '12345' }, 'Enter a phone number, like 01632 960 001 or 07700 900 982'],
    [{ needs: ['6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b9999'] }, 'Select needs from the list'],
  ])('redisplays the form for %j with "%s", keeping what was typed and saving nothing', async (change, message) => {
    const { organisation, client } = await anEditorsOrganisation(t);
    const service = await buildService(t.db, { organisationId: organisation.id });
    const form = await client.get(`/directory/services/${service.id}/edit`);
    const response = await client.postForm(`/directory/services/${service.id}/edit`, serviceForm({ name: 'Typed but not saved', ...change, version: versionOn(form.body) }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body.replaceAll('&#39;', "'")).toContain(message);
    expect(response.body).toContain('Error: Edit');
    expect(brokenErrorSummaryLinks(response.body)).toEqual([]);
    if (!('name' in change)) expect(response.body).toContain('value="Typed but not saved"');
    expect((await loadServiceRecords(t.db, [service.id]))[0].name).toBe(service.name);
  });

  it('saves a temporary closure with its reopening date, and clears it when running again', async () => {
    const { organisation, client } = await anEditorsOrganisation(t);
    const service = await buildService(t.db, { organisationId: organisation.id });
    let form = await client.get(`/directory/services/${service.id}/edit`);
    const closed = serviceForm({ status: 'temporarily closed', 'reopeningDate-day': '3', 'reopeningDate-month': '9', 'reopeningDate-year': '2099', version: versionOn(form.body) });
    expect((await client.postForm(`/directory/services/${service.id}/edit`, closed)).statusCode).toBe(303);
    expect((await loadServiceRecords(t.db, [service.id]))[0]).toMatchObject({ status: 'temporarily closed', reopeningDate: '2099-09-03' });
    form = await client.get(`/directory/services/${service.id}/edit`);
    expect(form.body).toContain('value="2099"');
    await client.postForm(`/directory/services/${service.id}/edit`, serviceForm({ version: versionOn(form.body), 'reopeningDate-day': '3', 'reopeningDate-month': '9', 'reopeningDate-year': '2099' }));
    expect((await loadServiceRecords(t.db, [service.id]))[0]).toMatchObject({ status: 'active', reopeningDate: null });
  });

  it('refuses to overwrite someone else’s newer save, keeping the user’s input', async () => {
    const { organisation, client } = await anEditorsOrganisation(t);
    const other = await aSignedInUser(t, 'organisation_editor', organisation.id);
    const service = await buildService(t.db, { organisationId: organisation.id });
    const mine = await client.get(`/directory/services/${service.id}/edit`);
    const theirs = await other.client.get(`/directory/services/${service.id}/edit`);
    expect((await other.client.postForm(`/directory/services/${service.id}/edit`, serviceForm({ name: 'Their change', version: versionOn(theirs.body) }))).statusCode).toBe(303);

    const refused = await client.postForm(`/directory/services/${service.id}/edit`, serviceForm({ name: 'My change', version: versionOn(mine.body) }));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Someone else saved changes to this service while you were editing it');
    expect(refused.body).toContain('value="My change"');
    expect(brokenErrorSummaryLinks(refused.body)).toEqual([]);
    expect((await loadServiceRecords(t.db, [service.id]))[0].name).toBe('Their change');
    // Saving again, knowingly, replaces theirs.
    const again = await client.postForm(`/directory/services/${service.id}/edit`, serviceForm({ name: 'My change', version: versionOn(refused.body) }));
    expect(again.statusCode).toBe(303);
    expect((await loadServiceRecords(t.db, [service.id]))[0].name).toBe('My change');
  });

  it('adds, changes and removes a location, placing it by postcode', async () => {
    const { organisation, client } = await anEditorsOrganisation(t);
    const service = await buildService(t.db, { organisationId: organisation.id, locations: [] });
    const location = { name: 'Millbrook Community Centre', addressLine1: '2 Mill Lane', addressLine2: 'Millbrook', town: 'Wyndale', postcode: 'wy23bb', accessibility: 'Step-free entrance' };

    const unknown = await client.postForm(`/directory/services/${service.id}/locations/new`, { ...location, postcode: 'WY9 9ZZ' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('We could not find that postcode');
    expect(unknown.body).toContain('value="Millbrook Community Centre"');
    expect(brokenErrorSummaryLinks(unknown.body)).toEqual([]);
    const malformed = await client.postForm(`/directory/services/${service.id}/locations/new`, { ...location, postcode: 'not a postcode' });
    expect(malformed.body).toContain('Enter a real postcode');
    const blank = await client.postForm(`/directory/services/${service.id}/locations/new`, { name: '', addressLine1: '', town: '', postcode: '' });
    for (const message of ['Enter the name of the place', 'Enter the first line of the address', 'Enter the town or city', 'Enter the postcode']) expect(blank.body).toContain(message);

    expect((await client.postForm(`/directory/services/${service.id}/locations/new`, location)).statusCode).toBe(303);
    let [saved] = await loadServiceRecords(t.db, [service.id]);
    expect(saved.locations).toHaveLength(1);
    expect(saved.locations[0]).toMatchObject({ name: 'Millbrook Community Centre', address1: '2 Mill Lane', address2: 'Millbrook', postalCode: 'WY2 3BB', latitude: 53.72, longitude: -1.85 });

    const locationId = saved.locations[0].id;
    const edit = await client.get(`/directory/services/${service.id}/locations/${locationId}/edit`);
    expect(edit.body).toContain('value="2 Mill Lane"');
    await client.postForm(`/directory/services/${service.id}/locations/${locationId}/edit`, { ...location, postcode: 'WY1 1AA', version: versionOn(edit.body) });
    [saved] = await loadServiceRecords(t.db, [service.id]);
    expect(saved.locations[0]).toMatchObject({ id: locationId, postalCode: 'WY1 1AA', latitude: 53.7 });

    expect((await client.get(`/directory/services/${service.id}/locations/${locationId}/remove`)).body).toContain('Remove location');
    expect((await client.postForm(`/directory/services/${service.id}/locations/${locationId}/remove`, {})).statusCode).toBe(303);
    expect((await loadServiceRecords(t.db, [service.id]))[0].locations).toEqual([]);
  });

  it('adds weekly and monthly times, checks them, changes and removes them', async () => {
    const { organisation, client } = await anEditorsOrganisation(t);
    const service = await buildService(t.db, { organisationId: organisation.id });
    const locationId = service.locations[0].id;
    const url = `/directory/services/${service.id}/times/new?location=${locationId}`;

    const errors = [
      [{ frequency: '' }, 'Select whether it runs every week or once a month'],
      [{ frequency: 'weekly', opensAt: '10:00', closesAt: '12:00' }, 'Select the days it runs'],
      [{ frequency: 'monthly', opensAt: '10:00', closesAt: '12:00' }, 'Select which week of the month it runs'],
      [{ frequency: 'monthly', week: '1', opensAt: '10:00', closesAt: '12:00' }, 'Select the day of the week it runs'],
      [{ frequency: 'weekly', days: ['TU'], opensAt: '', closesAt: '12:00' }, 'Enter the opening time, like 09:30'],
      [{ frequency: 'weekly', days: ['TU'], opensAt: '25:00', closesAt: '12:00' }, 'Enter the opening time in 24-hour format'],
      [{ frequency: 'weekly', days: ['TU'], opensAt: '14:00', closesAt: '12:00' }, 'Closing time must be after the opening time'],
    ] as const;
    for (const [fields, message] of errors) {
      const response = await client.postForm(url, fields as Record<string, string>);
      expect(response.statusCode, message).toBe(422);
      expect(response.body).toContain(message);
      expect(brokenErrorSummaryLinks(response.body), message).toEqual([]);
    }

    expect((await client.postForm(url, { frequency: 'weekly', days: ['TU', 'TH'], opensAt: '9:30', closesAt: '11.45' })).statusCode).toBe(303);
    expect((await client.postForm(`/directory/services/${service.id}/times/new`, { frequency: 'monthly', week: '-1', weekday: 'FR', opensAt: '14:00', closesAt: '16:00', description: 'Not in August' })).statusCode).toBe(303);
    let [saved] = await loadServiceRecords(t.db, [service.id]);
    const added = saved.locations[0].schedules.find((s) => s.byday === 'TU,TH')!;
    expect(added).toMatchObject({ freq: 'WEEKLY', opensAt: '09:30', closesAt: '11:45' });
    expect(saved.schedules).toMatchObject([{ freq: 'MONTHLY', byday: '-1FR', opensAt: '14:00', closesAt: '16:00', description: 'Not in August' }]);
    const page = await client.get(`/directory/services/${service.id}/locations`);
    expect(page.body).toContain('Tuesdays and Thursdays, 09:30 to 11:45');
    expect(page.body).toContain('Last Friday of the month, 14:00 to 16:00 (Not in August)');

    const edit = await client.get(`/directory/services/${service.id}/times/${added.id}/edit`);
    expect(edit.body).toContain('value="09:30"');
    await client.postForm(`/directory/services/${service.id}/times/${added.id}/edit`, { frequency: 'weekly', days: ['WE'], opensAt: '10:00', closesAt: '12:30', version: versionOn(edit.body) });
    [saved] = await loadServiceRecords(t.db, [service.id]);
    expect(saved.locations[0].schedules.find((s) => s.id === added.id)).toMatchObject({ byday: 'WE', closesAt: '12:30' });

    await client.postForm(`/directory/services/${service.id}/times/${added.id}/remove`, {});
    [saved] = await loadServiceRecords(t.db, [service.id]);
    expect(saved.locations[0].schedules.some((s) => s.id === added.id)).toBe(false);
  });

  it('stamps last modified and last reviewed on every save', async () => {
    const { organisation, client } = await anEditorsOrganisation(t);
    const service = await buildService(t.db, { organisationId: organisation.id });
    await t.db.query(`update services set last_modified = now() - interval '1 year', last_reviewed_at = now() - interval '1 year' where id = $1`, [service.id]);
    await client.postForm(`/directory/services/${service.id}/times/new`, { frequency: 'weekly', days: ['MO'], opensAt: '10:00', closesAt: '11:00' });
    const [row] = await t.db.query<{ fresh: boolean }>(
      `select last_modified > now() - interval '1 minute' and last_reviewed_at > now() - interval '1 minute' as fresh from services where id = $1`,
      [service.id],
    );
    expect(row.fresh).toBe(true);
  });

  it('does not let an editor add a service to an organisation that does not exist', async () => {
    const { client } = await anEditorsOrganisation(t);
    const organisation = await buildOrganisation(t.db);
    expect((await client.postForm(`/directory/services/new?organisation=${organisation.id}`, serviceForm())).statusCode).toBe(403);
    expect((await client.postForm(`/directory/services/new?organisation=${crypto.randomUUID()}`, serviceForm())).statusCode).toBe(404);
  });
});
