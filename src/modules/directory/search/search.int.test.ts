import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aLocation, buildService } from '../../../../test/support/directory-factories.ts';
import { aSignedInUser, buildOrganisation, createTestApp, TestClient, type TestApp } from '../../../../test/support/kit.ts';
import type { ServiceRecord } from '../directory.types.ts';
import { needs } from '../needs-taxonomy.ts';
import { searchCellsNear } from './search-cells.ts';

type Item = { id: string; name: string; organisationName: string; distanceMiles: number | null; nextOpening: { text: string } | null; mayBeOutOfDate: boolean; status: string; reopeningDate: string | null; needs: { code: string }[]; lastReviewedAt: string };
type SearchBody = { items: Item[]; total: number; page: number; pageSize: number };

// The origin postcode, and places due north of it at given distances (earthdistance's radius).
const ORIGIN = { postcode: 'WY1 2AB', latitude: 53.8, longitude: -1.55 };
const DEGREES_PER_MILE = 1609.344 / ((6378168 * Math.PI) / 180);
const milesNorth = (miles: number) => aLocation({ latitude: ORIGIN.latitude + miles * DEGREES_PER_MILE, longitude: ORIGIN.longitude });
const needId = (code: string) => needs.find((n) => n.code === code)!.id;
const word = () => `zq${crypto.randomUUID().replace(/[^a-f]/g, '').slice(0, 8)}`;

describe('searching the directory', () => {
  let t: TestApp;
  const api = async (query: string, status = 200): Promise<SearchBody> => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/services?${query}` });
    expect(response.statusCode, response.body.slice(0, 400)).toBe(status);
    return response.json();
  };
  const names = (body: SearchBody) => body.items.map((i) => i.name).sort();
  const service = (overrides: Partial<ServiceRecord>) => buildService(t.db, overrides);

  beforeAll(async () => {
    t = await createTestApp();
    await t.db.query('insert into postcodes (postcode, latitude, longitude) values ($1, $2, $3), ($4, $5, $6)', [
      ORIGIN.postcode,
      ORIGIN.latitude,
      ORIGIN.longitude,
      'WY9 9ZZ',
      53.1,
      -1.2,
    ]);
  });
  afterAll(() => t?.close());

  describe('free text', () => {
    it('finds words by their stem in name and description', async () => {
      const tag = word();
      await service({ name: `${tag} Lunch Club`, description: 'Hot meals every week.' });
      await service({ name: `${tag} Walking Group`, description: 'Gentle walks in the park for beginners.' });
      await service({ name: `${tag} Choir`, description: 'Singing for fun.' });
      expect(names(await api(`text=${tag}+lunch+clubs`))).toEqual([`${tag} Lunch Club`]);
      expect(names(await api(`text=${tag}+walking`))).toEqual([`${tag} Walking Group`]);
      expect(names(await api(`text=${tag}+meal`))).toEqual([`${tag} Lunch Club`]);
    });

    it('forgives a typo in a service name or an organisation name', async () => {
      const organisation = await buildOrganisation(t.db, { name: 'Brackenside Neighbours Trust' });
      const befriending = await service({ name: 'Wyndale Befriending Service', description: 'Weekly visits.' });
      const byOrganisation = await service({ organisationId: organisation.id, name: 'Tuesday Coffee Morning', description: 'Tea and a chat.' });
      const typo = await api('text=befreinding');
      expect(typo.items.map((i) => i.id)).toContain(befriending.id);
      const orgTypo = await api('text=Brakenside');
      expect(orgTypo.items.map((i) => i.id)).toContain(byOrganisation.id);
      expect(orgTypo.items.find((i) => i.id === byOrganisation.id)?.organisationName).toBe('Brackenside Neighbours Trust');
    });

    it('puts a name match before a match in the description', async () => {
      const tag = word();
      const inDescription = await service({ name: `${tag} Community Cafe`, description: 'Also hosts a knitting circle on Fridays.' });
      const inName = await service({ name: `${tag} Knitting Circle`, description: 'Wool provided.' });
      const body = await api(`text=${tag}+knitting`);
      expect(body.items.map((i) => i.id)).toEqual([inName.id, inDescription.id]);
    });
  });

  it('filters by need, given as a code or a term id', async () => {
    const tag = word();
    await service({ name: `${tag} Memory Cafe`, taxonomyTermIds: [needId('dementia')] });
    await service({ name: `${tag} Food Bank`, taxonomyTermIds: [needId('food')] });
    expect(names(await api(`text=${tag}&need=dementia`))).toEqual([`${tag} Memory Cafe`]);
    expect(names(await api(`text=${tag}&need=${needId('food')}`))).toEqual([`${tag} Food Bank`]);
    const body = await api(`text=${tag}&need=dementia`);
    expect(body.items[0].needs.map((n) => n.code)).toEqual(['dementia']);
  });

  it('filters by distance from a postcode, including the edge, nearest first, in miles to one decimal', async () => {
    const tag = word();
    await service({ name: `${tag} just inside`, locations: [milesNorth(2.97)] });
    await service({ name: `${tag} just outside`, locations: [milesNorth(3.03)] });
    await service({ name: `${tag} near`, locations: [milesNorth(0.5)] });
    // In two places: the nearer one counts.
    await service({ name: `${tag} two places`, locations: [milesNorth(8), milesNorth(1.24)] });
    await service({ name: `${tag} online only`, locations: [], deliveryModes: ['online'] });
    const body = await api(`text=${tag}&postcode=wy12ab&miles=3`);
    expect(body.items.map((i) => [i.name, i.distanceMiles])).toEqual([
      [`${tag} near`, 0.5],
      [`${tag} two places`, 1.2],
      [`${tag} just inside`, 3],
    ]);
    const postcodeOnly = await api(`postcode=WY1 2AB&miles=1`);
    expect(postcodeOnly.items.map((i) => i.distanceMiles)).toEqual([...postcodeOnly.items.map((i) => i.distanceMiles)].sort((a, b) => a! - b!));
    expect(postcodeOnly.items.every((i) => i.distanceMiles! <= 1)).toBe(true);
    expect(postcodeOnly.items.map((i) => i.name)).toContain(`${tag} near`);
    // Without a postcode, no distance.
    expect((await api(`text=${tag}`)).items.every((i) => i.distanceMiles === null)).toBe(true);
  });

  it('finds places at every distance offered, and services whose places are far apart', async () => {
    const tag = word();
    await service({ name: `${tag} 0.8 miles`, locations: [milesNorth(0.8)] });
    await service({ name: `${tag} 9 miles`, locations: [milesNorth(9)] });
    await service({ name: `${tag} 24 miles`, locations: [milesNorth(24)] });
    await service({ name: `${tag} 95 miles`, locations: [milesNorth(95)] });
    // Places 30 and 200 miles apart: found by the near one, at its distance.
    await service({ name: `${tag} near and 30 miles`, locations: [milesNorth(30.5), milesNorth(0.5)] });
    await service({ name: `${tag} near and 200 miles`, locations: [milesNorth(200), milesNorth(0.7)] });
    const found = async (miles: number) => (await api(`text=${tag}&postcode=WY1 2AB&miles=${miles}`)).items.map((i) => [i.name, i.distanceMiles]);
    expect(await found(1)).toEqual([
      [`${tag} near and 30 miles`, 0.5],
      [`${tag} near and 200 miles`, 0.7],
      [`${tag} 0.8 miles`, 0.8],
    ]);
    expect((await found(10)).map(([name]) => name)).toContain(`${tag} 9 miles`);
    expect((await found(25)).map(([name]) => name)).toContain(`${tag} 24 miles`);
    expect((await found(25)).map(([name]) => name)).not.toContain(`${tag} 95 miles`);
    expect((await found(100)).at(-1)).toEqual([`${tag} 95 miles`, 95]);
  });

  it('looks in the grid cells the database gives for a circle (search_cells_near), worked out without asking it', async () => {
    for (const [latitude, longitude] of [[53.8, -1.55], [50.06, -5.71], [58.64, -3.07], [0, 0], [89.9, 10], [51.5, 179.99], [-33.3, -70.1]]) {
      for (const miles of [0.1, 1, 3, 5, 10, 25, 50, 100, 500]) {
        const metres = miles * 1609.344;
        const [row] = await t.db.query<{ cells: number[] }>('select search_cells_near($1::float8, $2::float8, $3::float8) as cells', [latitude, longitude, metres]);
        const sorted = (cells: number[]) => [...cells].sort((a, b) => a - b);
        expect(sorted(searchCellsNear(latitude, longitude, metres)), `${latitude}, ${longitude}, ${miles} miles`).toEqual(sorted(row.cells));
      }
    }
  });

  it('keeps the distances right after a service moves', async () => {
    const tag = word();
    const moving = await service({ name: `${tag} moving`, locations: [milesNorth(1)] });
    expect((await api(`text=${tag}&postcode=WY1 2AB&miles=3`)).total).toBe(1);
    const { saveServiceRecords } = await import('../directory.repository.ts');
    await t.db.transaction((tx) => saveServiceRecords(tx, [{ ...moving, locations: [milesNorth(20)] }]));
    expect((await api(`text=${tag}&postcode=WY1 2AB&miles=3`)).total).toBe(0);
    expect((await api(`text=${tag}&postcode=WY1 2AB&miles=25`)).items[0].distanceMiles).toBe(20);
  });

  it('filters by age, with no lower or upper limit meaning any', async () => {
    const tag = word();
    await service({ name: `${tag} over 60s`, minimumAge: 60, maximumAge: null });
    await service({ name: `${tag} young people`, minimumAge: 11, maximumAge: 25 });
    await service({ name: `${tag} everyone`, minimumAge: null, maximumAge: null });
    expect(names(await api(`text=${tag}&age=60`))).toEqual([`${tag} everyone`, `${tag} over 60s`]);
    expect(names(await api(`text=${tag}&age=25`))).toEqual([`${tag} everyone`, `${tag} young people`]);
    expect(names(await api(`text=${tag}&age=26`))).toEqual([`${tag} everyone`]);
    expect(names(await api(`text=${tag}&age=10`))).toEqual([`${tag} everyone`]);
  });

  it('filters to free of charge services', async () => {
    const tag = word();
    await service({ name: `${tag} free`, freeOfCharge: true });
    await service({ name: `${tag} paid`, freeOfCharge: false, costOptions: [{ id: crypto.randomUUID(), option: 'Per session', amount: 3.5 }] });
    expect(names(await api(`text=${tag}&free=true`))).toEqual([`${tag} free`]);
    expect(names(await api(`text=${tag}&free=false`))).toEqual([`${tag} free`, `${tag} paid`]);
  });

  it('filters by how people take part, any of several', async () => {
    const tag = word();
    await service({ name: `${tag} in person`, deliveryModes: ['in_person'] });
    await service({ name: `${tag} online`, deliveryModes: ['online'] });
    await service({ name: `${tag} phone`, deliveryModes: ['phone', 'in_person'] });
    expect(names(await api(`text=${tag}&delivery=online`))).toEqual([`${tag} online`]);
    expect(names(await api(`text=${tag}&delivery=online&delivery=phone`))).toEqual([`${tag} online`, `${tag} phone`]);
    expect(names(await api(`text=${tag}&delivery=online,phone`))).toEqual([`${tag} online`, `${tag} phone`]);
  });

  it('filters by day open, weekly or monthly, at a place or for the service, and not by ended times', async () => {
    const tag = word();
    const id = () => crypto.randomUUID();
    await service({ name: `${tag} weekly Tuesday`, locations: [aLocation({ schedules: [{ id: id(), freq: 'WEEKLY', byday: 'MO,TU', opensAt: '10:00', closesAt: '12:00' }] })] });
    await service({ name: `${tag} first Tuesday`, locations: [aLocation({ schedules: [{ id: id(), freq: 'MONTHLY', byday: '1TU', opensAt: '10:00', closesAt: '12:00' }] })] });
    await service({ name: `${tag} last Tuesday by phone`, locations: [], schedules: [{ id: id(), freq: 'MONTHLY', byday: '-1TU', opensAt: '18:00', closesAt: '20:00' }] });
    await service({ name: `${tag} Thursday`, locations: [aLocation({ schedules: [{ id: id(), freq: 'WEEKLY', byday: 'TH', opensAt: '10:00', closesAt: '12:00' }] })] });
    await service({ name: `${tag} ended`, locations: [aLocation({ schedules: [{ id: id(), freq: 'WEEKLY', byday: 'TU', opensAt: '10:00', validTo: '2020-01-31' }] })] });
    expect(names(await api(`text=${tag}&day=TU`))).toEqual([`${tag} first Tuesday`, `${tag} last Tuesday by phone`, `${tag} weekly Tuesday`]);
    expect(names(await api(`text=${tag}&day=thursday`))).toEqual([`${tag} Thursday`]);
  });

  it('filters by language, by name or code, in any case', async () => {
    const tag = word();
    await service({ name: `${tag} Polish`, languages: [{ id: crypto.randomUUID(), name: 'Polish', code: 'pl' }, { id: crypto.randomUUID(), name: 'English', code: 'en' }] });
    await service({ name: `${tag} English`, languages: [{ id: crypto.randomUUID(), name: 'English', code: 'en' }] });
    expect(names(await api(`text=${tag}&language=polish`))).toEqual([`${tag} Polish`]);
    expect(names(await api(`text=${tag}&language=PL`))).toEqual([`${tag} Polish`]);
    expect(names(await api(`text=${tag}&language=English`))).toEqual([`${tag} English`, `${tag} Polish`]);
  });

  it('pages 20 at a time with the total, in order of name without text or postcode', async () => {
    const tag = word();
    const organisation = await buildOrganisation(t.db);
    const { saveServiceRecords } = await import('../directory.repository.ts');
    const { aService } = await import('../../../../test/support/directory-factories.ts');
    const many = Array.from({ length: 25 }, (_, i) => aService(organisation.id, { name: `${tag} group ${String(i).padStart(2, '0')}`, languages: [{ id: crypto.randomUUID(), name: tag }] }));
    await t.db.transaction((tx) => saveServiceRecords(tx, many));
    const first = await api(`language=${tag}`);
    expect([first.total, first.page, first.pageSize, first.items.length]).toEqual([25, 1, 20, 20]);
    expect(first.items[0].name).toBe(`${tag} group 00`);
    const second = await api(`language=${tag}&page=2`);
    expect([second.total, second.page, second.items.length]).toEqual([25, 2, 5]);
    expect(second.items.map((i) => i.name)).toEqual(many.slice(20).map((s) => s.name));
    const beyond = await api(`language=${tag}&page=9`);
    expect([beyond.total, beyond.items.length]).toEqual([25, 0]);
  });

  it('leaves out inactive and defunct services and those of merged organisations; shows temporarily closed ones with their reopening date', async () => {
    const tag = word();
    await service({ name: `${tag} active` });
    await service({ name: `${tag} inactive`, status: 'inactive' });
    await service({ name: `${tag} defunct`, status: 'defunct' });
    const paused = await service({ name: `${tag} paused`, status: 'temporarily closed', reopeningDate: '2027-01-05' });
    const merged = await buildOrganisation(t.db);
    const into = await buildOrganisation(t.db);
    await service({ name: `${tag} of merged`, organisationId: merged.id });
    await t.db.query('update organisations set merged_into_id = $1 where id = $2', [into.id, merged.id]);
    const body = await api(`text=${tag}`);
    expect(names(body)).toEqual([`${tag} active`, `${tag} paused`]);
    const item = body.items.find((i) => i.id === paused.id)!;
    expect([item.status, item.reopeningDate, item.nextOpening]).toEqual(['temporarily closed', '2027-01-05', null]);
  });

  it('says when a listing may be out of date, by the configured number of months', async () => {
    const tag = word();
    await service({ name: `${tag} old`, lastReviewedAt: new Date(Date.now() - 200 * 86_400_000) });
    await service({ name: `${tag} recent`, lastReviewedAt: new Date(Date.now() - 20 * 86_400_000) });
    const body = await api(`text=${tag}`);
    expect(body.items.map((i) => [i.name, i.mayBeOutOfDate])).toEqual([
      [`${tag} old`, true],
      [`${tag} recent`, false],
    ]);
  });

  it('gives the next opening time of each result', async () => {
    const tag = word();
    await service({ name: `${tag} every day`, locations: [aLocation({ schedules: [{ id: crypto.randomUUID(), freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR,SA,SU', opensAt: '00:00', closesAt: '23:59' }] })] });
    const [item] = (await api(`text=${tag}`)).items;
    expect(item.nextOpening?.text).toMatch(/^(Open now until 23:59|Opens (today|tomorrow) 00:00)$/);
  });

  describe('wrong input', () => {
    it('answers an unknown postcode with 422 naming the field, and a malformed one or a bad age with 400', async () => {
      const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/services?postcode=ZZ9 9ZZ' });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      expect(unknown.json().errors).toEqual([{ name: 'querystring.postcode', reason: expect.stringContaining('We could not find the postcode ZZ9 9ZZ') }]);
      for (const [query, field, reason] of [
        ['postcode=not-a-postcode', 'postcode', 'Enter a real postcode, like WY1 2AB'],
        ['age=abc', 'age', 'Enter age as a whole number of years, like 67'],
        ['age=-4', 'age', 'Age must be 0 or more'],
        ['need=knitting', 'need', 'Choose a need from the list'],
        ['delivery=carrier-pigeon', 'delivery', 'Choose how the service is given: in person, online or by phone'],
        ['day=Funday', 'day', 'Choose a day of the week, like Monday'],
        ['miles=0', 'miles', 'Distance must be a number of miles between 0.1 and 100, like 5'],
        ['page=0', 'page', 'Page must be a whole number from 1'],
      ]) {
        const response = await t.app.inject({ method: 'GET', url: `/api/v1/services?${query}` });
        expect(response.statusCode, query).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json().errors, query).toContainEqual({ name: `querystring.${field}`, reason });
      }
    });

    it('redisplays the page form with the error summary, keeping what was typed, for a postcode not found or malformed and a bad age', async () => {
      const client = new TestClient(t.app);
      const unknown = await client.get('/directory?text=lunch&postcode=ZZ9+9ZZ');
      expect(unknown.statusCode).toBe(422);
      expect(unknown.body).toContain('nhsuk-error-summary');
      expect(unknown.body).toContain('We could not find the postcode ZZ9 9ZZ');
      expect(unknown.body).toContain('href="#postcode"');
      expect(unknown.body).toContain('value="lunch"');
      expect(unknown.body).toContain('<title>Error: Find services');
      const malformed = await client.get('/directory?postcode=12345');
      expect(malformed.statusCode).toBe(422);
      expect(malformed.body).toContain('Enter a real postcode, like WY1 2AB');
      expect(malformed.body).toContain('value="12345"');
      for (const [age, message] of [
        ['abc', 'Enter age as a whole number of years, like 67'],
        ['-3', 'Age must be 0 or more'],
      ]) {
        const bad = await client.get(`/directory?age=${age}`);
        expect(bad.statusCode).toBe(422);
        expect(bad.body).toContain(message);
        expect(bad.body).toContain(`value="${age}"`);
        expect(bad.body).toContain('nhsuk-error-message');
      }
    });
  });

  describe('the search page', () => {
    it('shows results with distance, next opening, last checked, out-of-date and closed tags, and pages keeping the filters', async () => {
      const tag = word();
      const organisation = await buildOrganisation(t.db);
      const { saveServiceRecords } = await import('../directory.repository.ts');
      const { aService } = await import('../../../../test/support/directory-factories.ts');
      const many = Array.from({ length: 22 }, (_, i) =>
        aService(organisation.id, {
          name: `${tag} club ${String(i).padStart(2, '0')}`,
          locations: [milesNorth(0.1 * (i + 1))],
          taxonomyTermIds: [needId('loneliness')],
          lastReviewedAt: i === 0 ? new Date('2025-05-03T10:00:00Z') : new Date(),
          status: i === 1 ? 'temporarily closed' : 'active',
          reopeningDate: i === 1 ? '2027-02-01' : null,
        }),
      );
      await t.db.transaction((tx) => saveServiceRecords(tx, many));
      const page = await new TestClient(t.app).get(`/directory?text=${tag}&need=loneliness&postcode=WY1+2AB&miles=5`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('22 services found');
      expect(page.body).toContain('0.1 miles away');
      expect(page.body).toContain('Last checked 3 May 2025');
      expect(page.body).toContain('May be out of date');
      expect(page.body).toContain('Temporarily closed – reopens 1 February 2027');
      expect(page.body).toMatch(/Opens (today|tomorrow|\w+day) 10:00|Open now until 12:00|Opens \d+ \w+ 10:00/);
      expect(page.body).toContain(`href="/directory/services/${many[0].id}"`);
      const next = `/directory?text=${tag}&amp;need=${needId('loneliness')}&amp;postcode=WY1+2AB&amp;miles=5&amp;page=2`;
      expect(page.body).toContain(next);
      const second = await new TestClient(t.app).get(next.replace(/&amp;/g, '&'));
      expect(second.body).toContain(`${tag} club 21`);
      expect(second.body).toContain('Showing 21 to 22');
      // The need select shows the chosen need even when it came by id.
      expect(second.body).toMatch(/<option value="loneliness" selected/);
    });

    it('lists everything by name with no search, for anyone', async () => {
      const page = await new TestClient(t.app).get('/directory');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('services found');
      expect(page.body).toContain('In order of name');
    });
  });

  describe('service and organisation pages', () => {
    it('shows everything about a service, with tel: links and opening times in words', async () => {
      const organisation = await buildOrganisation(t.db, { name: 'Wyndale Carers Network' });
      const s = await service({
        organisationId: organisation.id,
        name: 'Carers Coffee Morning',
        description: 'A relaxed morning for unpaid carers.\n\nBring the person you care for if you like.',
        eligibilityDescription: 'Unpaid carers living in Wyndale',
        minimumAge: 18,
        maximumAge: null,
        freeOfCharge: false,
        costOptions: [{ id: crypto.randomUUID(), option: 'Per session', amount: 2.5, amountDescription: 'includes refreshments' }],
        deliveryModes: ['in_person', 'phone'],
        languages: [{ id: crypto.randomUUID(), name: 'English', code: 'en' }, { id: crypto.randomUUID(), name: 'Urdu', code: 'ur' }],
        url: 'https://carers.example.org',
        email: 'coffee@carers.example.org',
        phones: [{ id: crypto.randomUUID(), number: '01632 960123', description: 'Bookings' }],
        taxonomyTermIds: [needId('carers')],
        schedules: [{ id: crypto.randomUUID(), freq: 'MONTHLY', byday: '1TU', opensAt: '18:00', closesAt: '19:30', description: 'Phone support evening' }],
        locations: [
          aLocation({
            name: 'Millbeck Library',
            address1: '2 Library Lane',
            city: 'Millbeck',
            postalCode: 'WY3 4CD',
            accessibility: 'Step-free entrance and a hearing loop',
            schedules: [{ id: crypto.randomUUID(), freq: 'WEEKLY', byday: 'WE,MO', opensAt: '10:00', closesAt: '12:00' }],
          }),
        ],
      });
      const page = await new TestClient(t.app).get(`/directory/services/${s.id}`);
      expect(page.statusCode).toBe(200);
      for (const text of [
        '<h1>Carers Coffee Morning</h1>',
        'Bring the person you care for if you like.',
        'Unpaid carers living in Wyndale',
        '18 years and over',
        'Per session: £2.50: includes refreshments',
        'In person, By phone',
        'English, Urdu',
        'Carers',
        'href="tel:01632960123"',
        'href="mailto:coffee@carers.example.org"',
        'https://carers.example.org',
        'Millbeck Library',
        '2 Library Lane',
        'Step-free entrance and a hearing loop',
        'First Tuesday of the month',
        '18:00 to 19:30',
        'Phone support evening',
        'Last checked',
        `href="/directory/services/${s.id}/report-a-problem"`,
        `href="/directory/organisations/${organisation.id}"`,
      ]) {
        expect(page.body, text).toContain(text);
      }
      expect(page.body.indexOf('<td class="nhsuk-table__cell">Monday</td>')).toBeLessThan(page.body.indexOf('<td class="nhsuk-table__cell">Wednesday</td>'));
      expect(page.body).not.toContain('Edit this service');
    });

    it('offers "Edit this service" to the organisation’s editors only', async () => {
      const s = await service({ name: 'Editable Walking Group' });
      const { client: editorClient } = await aSignedInUser(t, 'organisation_editor', s.organisationId);
      const { client: otherClient } = await aSignedInUser(t, 'organisation_editor');
      expect((await editorClient.get(`/directory/services/${s.id}`)).body).toContain(`href="/directory/services/${s.id}/edit"`);
      const seen = await otherClient.get(`/directory/services/${s.id}`);
      expect(seen.statusCode).toBe(200);
      expect(seen.body).not.toContain('Edit this service');
    });

    it('shows an organisation with its identifiers in org-id form, its services, and where a merged one went', async () => {
      const org = await buildOrganisation(t.db, { name: 'Oakmoor Age Friendly' });
      await t.db.query(
        `insert into organisation_identifiers (id, organisation_id, identifier_scheme, identifier_type, identifier) values ($1, $2, 'GB-CHC', 'Charity number', '1234567'), ($3, $2, 'GB-COH', 'Company number', '01234567')`,
        [crypto.randomUUID(), org.id, crypto.randomUUID()],
      );
      const listed = await service({ organisationId: org.id, name: 'Oakmoor Tea Dance' });
      await service({ organisationId: org.id, name: 'Oakmoor Closed Club', status: 'defunct' });
      const page = await new TestClient(t.app).get(`/directory/organisations/${org.id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('GB-CHC-1234567');
      expect(page.body).toContain('Charity number (England and Wales)');
      expect(page.body).toContain('GB-COH-01234567');
      expect(page.body).toContain(`href="/directory/services/${listed.id}"`);
      expect(page.body).not.toContain('Oakmoor Closed Club');

      const json = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${org.id}` });
      expect(json.statusCode).toBe(200);
      expect(json.json()).toMatchObject({ name: 'Oakmoor Age Friendly', mergedIntoId: null, services: [{ id: listed.id, name: 'Oakmoor Tea Dance', status: 'active' }] });
      expect(json.json().identifiers.map((i: { orgId: string }) => i.orgId).sort()).toEqual(['GB-CHC-1234567', 'GB-COH-01234567']);

      const successor = await buildOrganisation(t.db, { name: 'Oakmoor Together' });
      await t.db.query('update organisations set merged_into_id = $1 where id = $2', [successor.id, org.id]);
      const merged = await new TestClient(t.app).get(`/directory/organisations/${org.id}`);
      expect(merged.body).toContain('This organisation has been merged');
      expect(merged.body).toContain(`href="/directory/organisations/${successor.id}"`);
    });

    it('gives the whole service as JSON with its organisation name', async () => {
      const organisation = await buildOrganisation(t.db, { name: 'Heathfield Hub' });
      const s = await service({ organisationId: organisation.id, name: 'Heathfield Digital Drop-in' });
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/services/${s.id}` });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ id: s.id, name: 'Heathfield Digital Drop-in', organisationId: organisation.id, organisationName: 'Heathfield Hub', freeOfCharge: true });
      expect(body.locations[0]).toMatchObject({ id: s.locations[0].id, postalCode: 'WY1 1AA', schedules: [{ byday: 'MO,WE', opensAt: '10:00', closesAt: '12:00' }] });
      expect(body.taxonomyTermIds).toEqual([...s.taxonomyTermIds].sort());
    });

    it('answers unknown and malformed ids with 404, as a page and as problem+json', async () => {
      const unknown = crypto.randomUUID();
      for (const path of [`/directory/services/${unknown}`, '/directory/services/not-an-id', `/directory/organisations/${unknown}`, "/directory/organisations/1'; drop table services"]) {
        const response = await new TestClient(t.app).get(path);
        expect(response.statusCode, path).toBe(404);
        expect(response.body).toContain('not found');
      }
      for (const path of [`/api/v1/services/${unknown}`, '/api/v1/services/nope', `/api/v1/organisations/${unknown}`, '/api/v1/organisations/123']) {
        const response = await t.app.inject({ method: 'GET', url: path });
        expect(response.statusCode, path).toBe(404);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    });
  });

  describe('kept results (search-cache.ts)', () => {
    it('shows a change to the directory at the next search, and never a change rolled back', async () => {
      const tag = word();
      const s = await service({ name: `${tag} Knit and Natter`, description: 'Bring your needles.' });
      expect(names(await api(`text=${tag}`))).toEqual([`${tag} Knit and Natter`]);
      // The same search again, answered from what was kept: still right.
      expect(names(await api(`text=${tag}`))).toEqual([`${tag} Knit and Natter`]);

      await t.db.query('update services set name = $1 where id = $2', [`${tag} Knit and Chat`, s.id]);
      expect(names(await api(`text=${tag}`))).toEqual([`${tag} Knit and Chat`]);

      await t.db.query(`update services set status = 'inactive' where id = $1`, [s.id]);
      expect(names(await api(`text=${tag}`))).toEqual([]);
      await t.db.query(`update services set status = 'active' where id = $1`, [s.id]);

      // A postcode loaded after a search that could not find it.
      await api(`text=${tag}&postcode=WY7+7QQ`, 422);
      await t.db.query('insert into postcodes (postcode, latitude, longitude) values ($1, $2, $3)', ['WY7 7QQ', ORIGIN.latitude, ORIGIN.longitude]);
      await api(`text=${tag}&postcode=WY7+7QQ`, 200);

      // Read inside a transaction that is then rolled back: nothing of it is kept.
      await t.db
        .transaction(async (tx) => {
          await tx.query('update services set name = $1 where id = $2', [`${tag} Phantom`, s.id]);
          const { searchDirectory } = await import('./search.service.ts');
          expect((await searchDirectory(tx, { text: tag, page: 1 } as Parameters<typeof searchDirectory>[1])).items.map((i) => i.name)).toEqual([`${tag} Phantom`]);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(names(await api(`text=${tag}`))).toEqual([`${tag} Knit and Chat`]);
    });
  });
});
