import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/kit.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import { addPostcodes, anEditorsOrganisation, versionOn } from '../../../../test/support/directory.ts';
import { loadServiceRecords } from '../directory.repository.ts';

describe('listings people can trust: structured times are the truth, notes only add to them', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await addPostcodes(t.db);
  });
  afterAll(async () => t?.close());

  it('after the times change, a note restating the old ones is flagged to the editor, listed for review and kept off the public page', async () => {
    const { organisation, client } = await anEditorsOrganisation(t);
    const service = await buildService(t.db, { organisationId: organisation.id, name: 'Craft afternoon' });
    const location = service.locations[0];
    const url = `/directory/services/${service.id}/times/new?location=${location.id}`;
    // Times entered with a note that repeats them: allowed while they agree.
    expect((await client.postForm(url, { frequency: 'weekly', days: ['WE'], opensAt: '13:30', closesAt: '15:30', description: 'Every Wednesday, 13:30 to 15:30' })).headers.location).toMatch(/done=times$/);
    const schedule = (await loadServiceRecords(t.db, [service.id]))[0].locations[0].schedules.find((s) => s.byday === 'WE')!;
    expect((await client.get('/directory/listings')).body).not.toContain('A note does not match the times');

    // The group moves to 14:00; the editor changes the times but not the note.
    const edit = await client.get(`/directory/services/${service.id}/times/${schedule.id}/edit`);
    const saved = await client.postForm(`/directory/services/${service.id}/times/${schedule.id}/edit`, {
      frequency: 'weekly', days: ['WE'], opensAt: '14:00', closesAt: '16:00', description: 'Every Wednesday, 13:30 to 15:30', version: versionOn(edit.body),
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toMatch(/done=timesNoteDisagrees$/);
    const page = await client.get(saved.headers.location as string);
    expect(page.body).toContain('their note names other days or times');
    expect(page.body).toContain('A note does not match the times');
    expect(page.body).toContain('does not match the times, Wednesdays, 14:00 to 16:00');
    expect(page.body).toContain(`/directory/services/${service.id}/times/${schedule.id}/edit`);

    const listings = await client.get('/directory/listings');
    expect(listings.body).toContain('A note does not match the times');
    expect(listings.body).toMatch(/1 listing(s)? may be out of date/);

    // The public page shows the new times, not the old note.
    const publicPage = await new TestClient(t.app).get(`/directory/services/${service.id}`);
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).toContain('14:00 to 16:00');
    expect(publicPage.body).not.toContain('13:30 to 15:30');

    // A note that only adds to the times is fine, and the flag goes.
    const again = await client.get(`/directory/services/${service.id}/times/${schedule.id}/edit`);
    const fixed = await client.postForm(`/directory/services/${service.id}/times/${schedule.id}/edit`, {
      frequency: 'weekly', days: ['WE'], opensAt: '14:00', closesAt: '16:00', description: 'Term time only', version: versionOn(again.body),
    });
    expect(fixed.headers.location).toMatch(/done=times$/);
    expect((await client.get('/directory/listings')).body).not.toContain('A note does not match the times');
    expect((await new TestClient(t.app).get(`/directory/services/${service.id}`)).body).toContain('Term time only');
  });
});
