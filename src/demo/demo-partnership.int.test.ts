import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/database.ts';
import { ukToday } from '../platform/dates.ts';
import { createTestDatabase } from '../../test/support/test-database.ts';
import { needs } from '../modules/directory/needs-taxonomy.ts';
import { loadDemoPartnership } from './demo-partnership.ts';

/*
 * Properties a person trying the demo relies on, checked over the whole generated demo rather than
 * the generator's own counts: names, services and times agree; nothing that happened is in the future.
 */

const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const codes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const needCode = new Map(needs.map((n) => [n.id, n.code]));

type Service = { id: string; name: string; description: string; organisation: string; kind: string; needs: string[] };
type Schedule = { serviceId: string; name: string; byday: string | null; opensAt: string; description: string | null };

describe('the demo partnership people try', () => {
  let db: Database;
  let services: Service[];
  let schedules: Schedule[];
  const today = ukToday();

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadDemoPartnership(db);
    services = await db.query<Service>(
      `select s.id, s.name, s.description, o.name as organisation, o.kind,
              coalesce(array_agg(a.taxonomy_term_id::text) filter (where a.taxonomy_term_id is not null), '{}') as needs
         from services s join organisations o on o.id = s.organisation_id
         left join attributes a on a.link_type = 'service' and a.link_id = s.id
        group by s.id, o.name, o.kind`,
    );
    for (const s of services) s.needs = s.needs.map((id) => needCode.get(id) ?? id);
    schedules = await db.query<Schedule>(
      `select s.id as "serviceId", s.name, sc.byday, to_char(sc.opens_at, 'HH24:MI') as "opensAt", sc.description
         from schedules sc left join service_at_locations sal on sal.id = sc.service_at_location_id
         join services s on s.id = coalesce(sc.service_id, sal.service_id)`,
    );
  }, 240_000);
  afterAll(async () => db?.close());

  it('has over 1,600 organisations', async () => {
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from organisations where merged_into_id is null');
    expect(n).toBeGreaterThanOrEqual(1_600);
  });

  it('names agree with times: a day in a name is the day it meets, a morning is in the morning', () => {
    const wrong: string[] = [];
    for (const s of schedules) {
      const name = s.name.toLowerCase();
      const day = days.findIndex((d) => new RegExp(`\\b${d}s?\\b`).test(name));
      if (day >= 0 && !(s.byday ?? '').split(',').every((d) => d.endsWith(codes[day]))) wrong.push(`${s.name}: ${s.byday}`);
      if (/\bmorning\b/.test(name) && !(s.opensAt < '12:00')) wrong.push(`${s.name}: opens ${s.opensAt}`);
      if (/\bafternoon\b/.test(name) && !(s.opensAt >= '12:00' && s.opensAt < '17:00')) wrong.push(`${s.name}: opens ${s.opensAt}`);
      if (/\bevening\b/.test(name) && !(s.opensAt >= '17:00')) wrong.push(`${s.name}: opens ${s.opensAt}`);
    }
    expect(schedules.length).toBeGreaterThan(1_000);
    expect(wrong).toEqual([]);
  });

  it('puts no days or times in notes: the structured times are the only schedule', () => {
    const dayOrTime = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*(am|pm)\b/i;
    expect(schedules.filter((s) => s.description && dayOrTime.test(s.description)).map((s) => s.description)).toEqual([]);
  });

  it('has every community group run only what it is named for, with one kind of need across its services', () => {
    const byOrganisation = new Map<string, Service[]>();
    for (const s of services.filter((x) => x.kind === 'community_group')) byOrganisation.set(s.organisation, [...(byOrganisation.get(s.organisation) ?? []), s]);
    const mixed = [...byOrganisation].filter(([, list]) => !list[0].needs.some((need) => list.every((s) => s.needs.includes(need)))).map(([name, list]) => `${name}: ${list.map((s) => s.name).join(', ')}`);
    expect(byOrganisation.size).toBeGreaterThan(1_000);
    expect(mixed).toEqual([]);
  });

  it('has each organisation offer services that fit its name', () => {
    // What a name promises → a need each of its services meets.
    const promises: [RegExp, string][] = [
      [/\b(food bank|pantry|community fridge)\b/i, 'food'],
      [/\blunch(eon)? club\b/i, 'food'],
      [/\b(walking group|health walks|ramblers|walk and talk)\b/i, 'physical-activity'],
      [/\b(choir|singers)\b/i, 'arts-and-creativity'],
      [/\b(befriending|telephone friends)\b/i, 'loneliness'],
      [/\b(memory|dementia) café\b/i, 'dementia'],
      [/\bcarers (group|together)\b/i, 'carers'],
      [/\b(stay and play|parent and toddler)\b/i, 'parenting-and-families'],
      [/\b(digital buddies|tech café)\b/i, 'digital-inclusion'],
    ];
    const broken = services.filter((s) => promises.some(([pattern, need]) => pattern.test(s.organisation) && !s.needs.includes(need))).map((s) => `${s.name} by ${s.organisation}`);
    expect(broken).toEqual([]);
    // A social enterprise's services and their descriptions speak of its own trade.
    const trades: [RegExp, RegExp][] = [
      [/Bike Workshop/, /bike/i],
      [/Growing Project/, /grow|garden|veg|horticulture/i],
      [/Kitchen/, /meal|cook|kitchen|catering/i],
      [/Community Café/, /café|food|meal/i],
      [/Repair Shop/, /repair|mend/i],
      [/Digital Hub/, /online|phone|tablet|laptop|digital|cv/i],
      [/Arts Studio/, /paint|draw|make|creative|studio/i],
      [/Fitness/, /class|yoga|walk|exercise/i],
    ];
    const enterprises = services.filter((s) => s.kind === 'social_enterprise');
    expect(enterprises.length).toBeGreaterThan(20);
    expect(enterprises.filter((s) => trades.some(([name, words]) => name.test(s.organisation) && !words.test(`${s.name} ${s.description}`))).map((s) => `${s.name} by ${s.organisation}`)).toEqual([]);
  });

  it('dates nothing that has already happened after today', async () => {
    // Every date column, in any table, that records something done (not a due date or a plan).
    const happened = ['received_on', 'triaged_on', 'opened_on', 'closed_on', 'contacted_on', 'taken_on', 'sent_on', 'responded_on', 'attendance_on', 'recorded_on', 'last_called_on', 'done_on', 'what_matters_recorded_on'];
    const present = await db.query<{ table: string; column: string }>(
      `select table_name as table, column_name as column from information_schema.columns where table_schema = 'public' and data_type = 'date' and column_name = any($1::text[])`,
      [happened],
    );
    expect(present.length).toBeGreaterThan(8);
    for (const { table, column } of present) {
      const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n from ${table} where ${column} > $1::date`, [today]);
      expect(n, `${table}.${column} after today`).toBe(0);
    }
    const [{ n: heldLater }] = await db.query<{ n: number }>('select count(*)::int as n from programme_sessions where held and starts_at > now()');
    expect(heldLater).toBe(0);
    const [{ n: reviewedLater }] = await db.query<{ n: number }>('select count(*)::int as n from services where last_reviewed_at > now()');
    expect(reviewedLater).toBe(0);
  });

  it('gives a representative set of organisations an editor: community groups, a faith group, a social enterprise, a housing association', async () => {
    const kinds = await db.query<{ kind: string }>(
      `select distinct o.kind from memberships m join organisations o on o.id = m.organisation_id where m.role = 'organisation_editor'`,
    );
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['community_group', 'faith_group', 'social_enterprise', 'housing_association', 'charity']));
  });

  it('has one programme in delivery with funded projects under way, and one taking ideas', async () => {
    const delivering = await db.query<{ id: string; funded: number; updated: number }>(
      `select p.id,
              (select count(*)::int from investment_decisions d where d.programme_id = p.id and d.awarded_pence > 0) as funded,
              (select count(distinct pr.id)::int from projects pr join project_updates u on u.project_id = pr.id where pr.programme_id = p.id) as updated
         from programmes p where p.stage = 'delivery'`,
    );
    expect(delivering).toHaveLength(1);
    expect(delivering[0].funded).toBeGreaterThanOrEqual(2);
    expect(delivering[0].updated).toBe(delivering[0].funded);
    const open = await db.query<{ ideas: number }>(`select (select count(*)::int from ideas i where i.programme_id = p.id) as ideas from programmes p where p.stage = 'ideas_open'`);
    expect(open).toHaveLength(1);
    expect(open[0].ideas).toBeGreaterThan(0);
  });
});
