import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database.ts';
import { createTestDatabase } from '../../../../test/support/test-database.ts';
import { needs } from '../needs-taxonomy.ts';
import { searchDirectory } from '../search/search.service.ts';
import { SearchQuerySchema } from '../search/search.schemas.ts';
import { generateDemoDirectory, saveDemoDirectory, type DemoDirectory } from './demo-directory.ts';

const DAY = 86_400_000;
const loadedAt = new Date();
const need = (code: string) => needs.find((n) => n.code === code)!.id;

describe('the synthetic Wyndale demo directory', () => {
  let db: Database;
  let directory: DemoDirectory;

  beforeAll(async () => {
    db = await createTestDatabase();
    directory = generateDemoDirectory({ now: loadedAt });
    await saveDemoDirectory(db, directory);
  });
  afterAll(async () => db.close());

  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0].n;

  it('has over 1,600 organisations of every kind, 4,000 services and 1,500 postcodes', async () => {
    // The partnership in the story has "over 1,600" organisations.
    expect(await count('select count(*)::int as n from organisations')).toBeGreaterThanOrEqual(1_600);
    expect(await count('select count(*)::int as n from services')).toBeGreaterThanOrEqual(4_000);
    expect(await count('select count(*)::int as n from services')).toBeLessThanOrEqual(4_100);
    expect(await count('select count(*)::int as n from postcodes')).toBeGreaterThanOrEqual(1_400);
    const kinds = await db.query<{ kind: string; n: number }>('select kind, count(*)::int as n from organisations group by kind');
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toMatchObject({ partnership: 1, council: 1, icb: 1, pcn: 5 });
    for (const kind of ['gp_practice', 'charity', 'housing_association', 'social_enterprise', 'faith_group', 'community_group']) {
      expect(kinds.find((k) => k.kind === kind)?.n, kind).toBeGreaterThan(kind === 'community_group' ? 1_000 : 4);
    }
  });

  it('gives the same names and ids on every load; only the dates move with the load time', async () => {
    const again = generateDemoDirectory({ now: new Date(loadedAt.getTime() + 40 * DAY) });
    const saved = await db.query<{ id: string; name: string }>('select id, name from services order by id');
    expect(saved).toEqual(again.services.map((s) => ({ id: s.id, name: s.name })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    const organisations = await db.query<{ id: string; name: string }>('select id, name from organisations order by id');
    expect(organisations).toEqual(again.organisations.map((o) => ({ id: o.id, name: o.name })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(again.anchors).toEqual(directory.anchors);
    // The same listings are stale whenever the demo is loaded.
    const stale = (d: DemoDirectory, now: Date) => d.services.filter((s) => new Date(s.lastReviewedAt!).getTime() < now.getTime() - 183 * DAY).map((s) => s.id);
    expect(stale(again, new Date(loadedAt.getTime() + 40 * DAY))).toEqual(stale(directory, loadedAt));
  });

  it('gives every service a place with coordinates at a known postcode, and at least one need', async () => {
    expect(await count(`select count(*)::int as n from services s where not exists (select 1 from service_at_locations sal join locations l on l.id = sal.location_id where sal.service_id = s.id and l.latitude is not null and l.longitude is not null)`)).toBe(0);
    expect(await count(`select count(*)::int as n from services s where not exists (select 1 from attributes a where a.link_type = 'service' and a.link_id = s.id)`)).toBe(0);
    expect(await count(`select count(*)::int as n from locations l where not exists (select 1 from postcodes p where p.postcode = l.postal_code)`)).toBe(0);
    const box = await db.query<{ min_lat: number; max_lat: number; min_long: number; max_long: number }>(
      'select min(latitude) as min_lat, max(latitude) as max_lat, min(longitude) as min_long, max(longitude) as max_long from postcodes',
    );
    expect(box[0].min_lat).toBeGreaterThan(53.6);
    expect(box[0].max_lat).toBeLessThan(53.8);
    expect(box[0].min_long).toBeGreaterThan(-2.05);
    expect(box[0].max_long).toBeLessThan(-1.75);
    expect(await count(`select count(*)::int as n from postcodes where postcode !~ '^WY[1-9] [0-9][A-Z]{2}$' or imd_decile is null or lsoa !~ '^E0199[0-9]{4}$'`)).toBe(0);
  });

  it('contains only example.org or .invalid emails and Ofcom drama phone numbers', async () => {
    const emails = await db.query<{ email: string }>(
      `select email from organisations where email is not null union select email from services where email is not null
       union select email from contacts where email is not null`,
    );
    expect(emails.length).toBeGreaterThan(100);
    expect(emails.filter((e) => !/^[a-z0-9.+-]+@([a-z0-9-]+\.)*(example\.org|invalid)$/.test(e.email))).toEqual([]);
    const phones = await db.query<{ number: string }>('select distinct number from phones');
    expect(phones.length).toBeGreaterThan(100);
    expect(phones.filter((p) => !/^(01632 960\d{3}|07700 900\d{3})$/.test(p.number))).toEqual([]);
    const websites = await db.query<{ url: string }>('select website as url from organisations where website is not null union select url from services where url is not null');
    expect(websites.filter((w) => !/^https:\/\/([a-z0-9-]+\.)*example\.org(\/|$)/.test(w.url))).toEqual([]);
  });

  it('has about one listing in ten out of date, a few temporarily closed with a reopening date, and a few defunct', async () => {
    const total = await count('select count(*)::int as n from services');
    const stale = await count(`select count(*)::int as n from services where last_reviewed_at < now() - interval '6 months'`);
    expect(stale / total).toBeGreaterThan(0.07);
    expect(stale / total).toBeLessThan(0.14);
    expect(await count(`select count(*)::int as n from services where status = 'temporarily closed' and reopening_date > current_date`)).toBeGreaterThan(10);
    expect(await count(`select count(*)::int as n from services where status = 'temporarily closed' and reopening_date is null`)).toBe(0);
    expect(await count(`select count(*)::int as n from services where status = 'defunct'`)).toBeGreaterThan(5);
  });

  it('groups GP practices with fake ODS codes under Primary Care Networks, and gives larger charities fake charity numbers', async () => {
    const orphans = await count(
      `select count(*)::int as n from organisations o left join organisations p on p.id = o.parent_organisation_id
        where o.kind = 'gp_practice' and (p.kind is distinct from 'pcn')`,
    );
    expect(orphans).toBe(0);
    const codes = await db.query<{ identifier: string }>(
      `select i.identifier from organisation_identifiers i join organisations o on o.id = i.organisation_id where o.kind = 'gp_practice'`,
    );
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.every((c) => /^Y9\d{4}$/.test(c.identifier))).toBe(true);
    const charityNumbers = await db.query<{ identifier: string }>(`select identifier from organisation_identifiers where identifier_scheme = 'GB-CHC'`);
    expect(charityNumbers.every((c) => /^19\d{5}$/.test(c.identifier))).toBe(true);
    const anchors = await db.query<{ id: string; kind: string; name: string }>('select id, kind, name from organisations where id = any($1::uuid[])', [Object.values(directory.anchors)]);
    expect(anchors.map((a) => a.kind).sort()).toEqual(['charity', 'council', 'gp_practice', 'partnership', 'pcn']);
    expect(anchors.find((a) => a.kind === 'partnership')!.name).toBe('Wyndale Health and Care Partnership');
  });

  it('flags the deliberate near-duplicate organisations for an admin to merge', async () => {
    const flags = await db.query<{ organisation_id: string; reason: string }>(`select organisation_id, reason from duplicate_flags where status = 'open'`);
    const flagged = new Set(flags.map((f) => f.organisation_id));
    expect(directory.duplicates.length).toBeGreaterThanOrEqual(5);
    expect(directory.duplicates.filter((d) => !flagged.has(d.id))).toEqual([]);
    expect(flags.some((f) => f.reason.startsWith('shares the identifier GB-CHC'))).toBe(true);
    expect(flags.some((f) => f.reason.includes('similar name'))).toBe(true);
  });

  it('answers realistic searches: walking near WY3, dementia support in Eastmoor, free food on Saturdays', async () => {
    const eastmoor = directory.postcodes.find((p) => p.neighbourhood === 'Eastmoor')!.postcode;
    const search = (query: Record<string, string>) => searchDirectory(db, SearchQuerySchema.parse(query), { now: loadedAt });
    const walking = await search({ text: 'walking', postcode: eastmoor, miles: '3' });
    expect(walking.total).toBeGreaterThanOrEqual(5);
    expect(walking.items[0].distanceMiles).toBeLessThan(1.5);
    const dementia = await search({ need: 'dementia', postcode: eastmoor, miles: '2' });
    expect(dementia.total).toBeGreaterThanOrEqual(3);
    expect(dementia.items.every((i) => i.needs.some((n) => n.id === need('dementia')))).toBe(true);
    const saturdayFood = await search({ need: 'food', free: 'true', day: 'SA' });
    expect(saturdayFood.total).toBeGreaterThanOrEqual(10);
    const urdu = await search({ need: 'money-and-debt', language: 'Urdu' });
    expect(urdu.total).toBeGreaterThanOrEqual(3);
  });
});
