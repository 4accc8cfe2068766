import type { Queryable } from '../../platform/db/database.ts';
import type { LocationRecord, OrganisationRecord, ScheduleRecord, ServiceRecord } from './directory.types.ts';

/*
 * Writing and reading whole services. Every writer (editing, import, demo, tests) saves through
 * saveServiceRecords, and every full reader (service page, ORUK, export) loads through
 * loadServiceRecords, so the nested shape is mapped to tables in one place.
 * Rows go in as one JSON parameter per table (jsonb_to_recordset): a few statements per batch
 * rather than per row, the same on PGlite and PostgreSQL.
 */

const json = (rows: unknown[]) => JSON.stringify(rows);

async function insertRows(db: Queryable, table: string, columns: string, rows: unknown[]): Promise<void> {
  if (!rows.length) return;
  const names = columns
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0])
    .join(', ');
  await db.query(`insert into ${table} (${names}) select ${names} from jsonb_to_recordset($1::jsonb) as x(${columns})`, [json(rows)]);
}

const scheduleRow = (s: ScheduleRecord, serviceId: string | null, salId: string | null) => ({
  id: s.id,
  service_id: serviceId,
  service_at_location_id: salId,
  freq: s.freq,
  interval: s.interval ?? 1,
  byday: s.byday ?? null,
  bymonthday: s.bymonthday ?? null,
  opens_at: s.opensAt ?? null,
  closes_at: s.closesAt ?? null,
  valid_from: s.validFrom ?? null,
  valid_to: s.validTo ?? null,
  dtstart: s.dtstart ?? null,
  description: s.description ?? null,
  notes: s.notes ?? null,
  attending_type: s.attendingType ?? null,
});

const iso = (v: Date | string | null | undefined) => (v instanceof Date ? v.toISOString() : (v ?? null));

/** Inserts or replaces organisations (by id) with their identifiers. */
export async function saveOrganisationRecords(db: Queryable, organisations: OrganisationRecord[]): Promise<void> {
  if (!organisations.length) return;
  await db.query(
    `insert into organisations (id, name, description, kind, email, website, logo, parent_organisation_id, postcode, last_reviewed_at, updated_at)
     select id, name, description, kind, email, website, logo, parent_organisation_id, postcode, coalesce(last_reviewed_at, now()), now()
       from jsonb_to_recordset($1::jsonb) as x(id uuid, name text, description text, kind text, email text, website text, logo text,
            parent_organisation_id uuid, postcode text, last_reviewed_at timestamptz)
     on conflict (id) do update set name = excluded.name, description = excluded.description, kind = excluded.kind,
       email = excluded.email, website = excluded.website, logo = excluded.logo,
       parent_organisation_id = excluded.parent_organisation_id, postcode = excluded.postcode,
       last_reviewed_at = excluded.last_reviewed_at, updated_at = now()`,
    [
      json(
        organisations.map((o) => ({
          id: o.id,
          name: o.name,
          description: o.description,
          kind: o.kind,
          email: o.email ?? null,
          website: o.website ?? null,
          logo: o.logo ?? null,
          parent_organisation_id: o.parentOrganisationId ?? null,
          postcode: o.postcode ?? null,
          last_reviewed_at: iso(o.lastReviewedAt),
        })),
      ),
    ],
  );
  await db.query('delete from organisation_identifiers where organisation_id = any($1::uuid[])', [organisations.map((o) => o.id)]);
  await insertRows(
    db,
    'organisation_identifiers',
    'id uuid, organisation_id uuid, identifier_scheme text, identifier_type text, identifier text',
    organisations.flatMap((o) => o.identifiers.map((i) => ({ id: i.id, organisation_id: o.id, identifier_scheme: i.scheme, identifier_type: i.type, identifier: i.identifier }))),
  );
}

/** Saves locations; returns the ids of saved locations whose coordinates this changes. */
async function saveLocations(db: Queryable, locations: LocationRecord[]): Promise<string[]> {
  const unique = [...new Map(locations.map((l) => [l.id, l])).values()];
  if (!unique.length) return [];
  // Only a moved place changes the search copies of the other services there (see saveServiceRecords).
  const moved = await db.query<{ id: string }>(
    `select l.id from locations l
       join jsonb_to_recordset($1::jsonb) as x(id uuid, latitude double precision, longitude double precision) on x.id = l.id
      where l.latitude is distinct from x.latitude or l.longitude is distinct from x.longitude`,
    [json(unique.map((l) => ({ id: l.id, latitude: l.latitude ?? null, longitude: l.longitude ?? null })))],
  );
  await db.query(
    `insert into locations (id, organisation_id, location_type, name, description, latitude, longitude, earth,
                            address_1, address_2, city, region, state_province, postal_code, country, accessibility, updated_at)
     select id,
            -- A shared venue may belong to an organisation not (yet) in this directory, as in a
            -- partial import: keep the place and leave its owner blank rather than fail the batch.
            (select o.id from organisations o where o.id = x.organisation_id), location_type, name, description, latitude, longitude,
            case when latitude is not null and longitude is not null then ll_to_earth(latitude, longitude) end,
            address_1, address_2, city, region, state_province, postal_code, coalesce(country, 'GB'), accessibility, now()
       from jsonb_to_recordset($1::jsonb) as x(id uuid, organisation_id uuid, location_type text, name text, description text,
            latitude double precision, longitude double precision, address_1 text, address_2 text, city text, region text,
            state_province text, postal_code text, country text, accessibility text)
     on conflict (id) do update set organisation_id = coalesce(excluded.organisation_id, locations.organisation_id),
       location_type = excluded.location_type, name = excluded.name, description = excluded.description,
       latitude = excluded.latitude, longitude = excluded.longitude, earth = excluded.earth, address_1 = excluded.address_1,
       address_2 = excluded.address_2,
       city = excluded.city, region = excluded.region, state_province = excluded.state_province,
       postal_code = excluded.postal_code, country = excluded.country, accessibility = excluded.accessibility, updated_at = now()`,
    [
      json(
        unique.map((l) => ({
          id: l.id,
          organisation_id: l.organisationId ?? null,
          location_type: l.locationType,
          name: l.name ?? null,
          description: l.description ?? null,
          latitude: l.latitude ?? null,
          longitude: l.longitude ?? null,
          address_1: l.address1 ?? null,
          address_2: l.address2 ?? null,
          city: l.city ?? null,
          region: l.region ?? null,
          state_province: l.stateProvince ?? null,
          postal_code: l.postalCode ?? null,
          country: l.country ?? null,
          accessibility: l.accessibility ?? null,
        })),
      ),
    ],
  );
  return moved.map((r) => r.id);
}

/**
 * Inserts or replaces services by id, with all their parts. A service's parts are replaced
 * whole, so saving the same record twice changes nothing and creates no duplicates.
 * Call inside a transaction.
 */
export async function saveServiceRecords(db: Queryable, services: ServiceRecord[]): Promise<void> {
  if (!services.length) return;
  const ids = services.map((s) => s.id);
  await db.query(
    `insert into services (id, organisation_id, name, description, url, email, status, reopening_date, fees, accreditations,
                           eligibility_description, minimum_age, maximum_age, free_of_charge, delivery_modes, assured_date,
                           assurer_email, alert, last_modified, last_reviewed_at, updated_at)
     select id, organisation_id, name, description, url, email, status, reopening_date, fees, accreditations,
            eligibility_description, minimum_age, maximum_age, free_of_charge,
            array(select jsonb_array_elements_text(delivery_modes)), assured_date, assurer_email, alert,
            coalesce(last_modified, now()), coalesce(last_reviewed_at, now()), now()
       from jsonb_to_recordset($1::jsonb) as x(id uuid, organisation_id uuid, name text, description text, url text, email text,
            status text, reopening_date date, fees text, accreditations text, eligibility_description text, minimum_age integer,
            maximum_age integer, free_of_charge boolean, delivery_modes jsonb, assured_date date, assurer_email text, alert text,
            last_modified timestamptz, last_reviewed_at timestamptz)
     on conflict (id) do update set organisation_id = excluded.organisation_id, name = excluded.name,
       description = excluded.description, url = excluded.url, email = excluded.email, status = excluded.status,
       reopening_date = excluded.reopening_date, fees = excluded.fees, accreditations = excluded.accreditations,
       eligibility_description = excluded.eligibility_description, minimum_age = excluded.minimum_age,
       maximum_age = excluded.maximum_age, free_of_charge = excluded.free_of_charge, delivery_modes = excluded.delivery_modes,
       assured_date = excluded.assured_date, assurer_email = excluded.assurer_email, alert = excluded.alert,
       last_modified = excluded.last_modified, last_reviewed_at = excluded.last_reviewed_at, updated_at = now()`,
    [
      json(
        services.map((s) => ({
          id: s.id,
          organisation_id: s.organisationId,
          name: s.name,
          description: s.description,
          url: s.url ?? null,
          email: s.email ?? null,
          status: s.status,
          reopening_date: s.reopeningDate ?? null,
          fees: s.fees ?? null,
          accreditations: s.accreditations ?? null,
          eligibility_description: s.eligibilityDescription ?? null,
          minimum_age: s.minimumAge ?? null,
          maximum_age: s.maximumAge ?? null,
          free_of_charge: s.freeOfCharge,
          delivery_modes: s.deliveryModes,
          assured_date: s.assuredDate ?? null,
          assurer_email: s.assurerEmail ?? null,
          alert: s.alert ?? null,
          last_modified: iso(s.lastModified),
          last_reviewed_at: iso(s.lastReviewedAt),
        })),
      ),
    ],
  );

  // Replace the parts. Schedules and contacts' phones go with their parents (on delete cascade).
  for (const table of ['service_languages', 'cost_options', 'contacts', 'phones', 'schedules', 'service_areas', 'service_at_locations']) {
    await db.query(`delete from ${table} where service_id = any($1::uuid[])`, [ids]);
  }
  await db.query(`delete from attributes where link_type = 'service' and link_id = any($1::uuid[])`, [ids]);

  const movedLocationIds = await saveLocations(db, services.flatMap((s) => s.locations.map((l) => ({ ...l, organisationId: l.organisationId ?? s.organisationId }))));
  await insertRows(
    db,
    'service_at_locations',
    'id uuid, service_id uuid, location_id uuid',
    services.flatMap((s) => s.locations.map((l) => ({ id: l.serviceAtLocationId, service_id: s.id, location_id: l.id }))),
  );
  const scheduleColumns =
    'id uuid, service_id uuid, service_at_location_id uuid, freq text, interval integer, byday text, bymonthday text, opens_at time, closes_at time, valid_from date, valid_to date, dtstart date, description text, notes text, attending_type text';
  await insertRows(
    db,
    'schedules',
    scheduleColumns,
    services.flatMap((s) => [
      ...s.schedules.map((x) => scheduleRow(x, s.id, null)),
      ...s.locations.flatMap((l) => l.schedules.map((x) => scheduleRow(x, s.id, l.serviceAtLocationId))),
    ]),
  );
  await insertRows(
    db,
    'service_languages',
    'id uuid, service_id uuid, name text, code text',
    services.flatMap((s) => s.languages.map((l) => ({ id: l.id, service_id: s.id, name: l.name, code: l.code ?? null }))),
  );
  await insertRows(
    db,
    'cost_options',
    'id uuid, service_id uuid, option text, amount numeric, amount_description text, valid_from date, valid_to date',
    services.flatMap((s) =>
      s.costOptions.map((c) => ({ id: c.id, service_id: s.id, option: c.option ?? null, amount: c.amount ?? null, amount_description: c.amountDescription ?? null, valid_from: c.validFrom ?? null, valid_to: c.validTo ?? null })),
    ),
  );
  await insertRows(
    db,
    'contacts',
    'id uuid, service_id uuid, name text, title text, email text',
    services.flatMap((s) => s.contacts.map((c) => ({ id: c.id, service_id: s.id, name: c.name ?? null, title: c.title ?? null, email: c.email ?? null }))),
  );
  await insertRows(
    db,
    'phones',
    'id uuid, contact_id uuid, service_id uuid, number text, description text',
    services.flatMap((s) => [
      ...s.phones.map((p) => ({ id: p.id, contact_id: null, service_id: s.id, number: p.number, description: p.description ?? null })),
      ...s.contacts.flatMap((c) => c.phones.map((p) => ({ id: p.id, contact_id: c.id, service_id: s.id, number: p.number, description: p.description ?? null }))),
    ]),
  );
  await insertRows(
    db,
    'service_areas',
    'id uuid, service_id uuid, name text, service_area text, extent text, extent_type text, uri text',
    services.flatMap((s) =>
      s.serviceAreas.map((a) => ({ id: a.id, service_id: s.id, name: a.name ?? null, service_area: a.serviceArea ?? null, extent: a.extent ?? null, extent_type: a.extentType ?? null, uri: a.uri ?? null })),
    ),
  );
  await db.query(
    `insert into attributes (id, link_type, link_id, taxonomy_term_id)
     select gen_random_uuid(), 'service', service_id, taxonomy_term_id
       from jsonb_to_recordset($1::jsonb) as x(service_id uuid, taxonomy_term_id uuid)
     on conflict do nothing`,
    [json(services.flatMap((s) => [...new Set(s.taxonomyTermIds)].map((t) => ({ service_id: s.id, taxonomy_term_id: t }))))],
  );
  // The search's copies of needs and places (migration 0020), also for other services at a location that moved.
  await db.query(
    'select refresh_service_search($1::uuid[] || array(select service_id from service_at_locations where location_id = any($2::uuid[])))',
    [ids, movedLocationIds],
  );
}

type Row = Record<string, unknown>;
const groupBy = (rows: Row[], key: string) => {
  const map = new Map<string, Row[]>();
  for (const r of rows) {
    const k = r[key] as string;
    if (!map.has(k)) map.set(k, []);
    map.get(k)!.push(r);
  }
  return map;
};
const time = (v: unknown) => (v ? String(v).slice(0, 5) : null);
const toSchedule = (r: Row): ScheduleRecord => ({
  id: r.id as string,
  freq: r.freq as 'WEEKLY' | 'MONTHLY',
  interval: r.interval as number,
  byday: r.byday as string | null,
  bymonthday: r.bymonthday as string | null,
  opensAt: time(r.opens_at),
  closesAt: time(r.closes_at),
  validFrom: r.valid_from as string | null,
  validTo: r.valid_to as string | null,
  dtstart: r.dtstart as string | null,
  description: r.description as string | null,
  notes: r.notes as string | null,
  attendingType: r.attending_type as string | null,
});

/** Loads whole services by id, in the order asked; ids not found are left out. */
export async function loadServiceRecords(db: Queryable, ids: string[]): Promise<ServiceRecord[]> {
  if (!ids.length) return [];
  const args = [ids];
  const [services, languages, costs, contacts, phones, sals, schedules, areas, attributes] = await Promise.all([
    db.query<Row>('select * from services where id = any($1::uuid[])', args),
    db.query<Row>('select * from service_languages where service_id = any($1::uuid[]) order by name', args),
    db.query<Row>('select * from cost_options where service_id = any($1::uuid[]) order by option nulls last', args),
    db.query<Row>('select * from contacts where service_id = any($1::uuid[]) order by name nulls last', args),
    db.query<Row>('select * from phones where service_id = any($1::uuid[]) order by number', args),
    db.query<Row>(
      `select sal.id as sal_id, sal.service_id, l.* from service_at_locations sal join locations l on l.id = sal.location_id
        where sal.service_id = any($1::uuid[]) order by l.name nulls last, l.id`,
      args,
    ),
    db.query<Row>('select * from schedules where service_id = any($1::uuid[]) order by byday nulls last, opens_at nulls last', args),
    db.query<Row>('select * from service_areas where service_id = any($1::uuid[]) order by name nulls last', args),
    db.query<Row>(
      `select a.link_id, a.taxonomy_term_id from attributes a where a.link_type = 'service' and a.link_id = any($1::uuid[])`,
      args,
    ),
  ]);
  const byService = {
    languages: groupBy(languages, 'service_id'),
    costs: groupBy(costs, 'service_id'),
    contacts: groupBy(contacts, 'service_id'),
    phones: groupBy(phones, 'service_id'),
    sals: groupBy(sals, 'service_id'),
    schedules: groupBy(schedules, 'service_id'),
    areas: groupBy(areas, 'service_id'),
    attributes: groupBy(attributes, 'link_id'),
  };
  const found = new Map(
    services.map((s) => {
      const id = s.id as string;
      const sched = byService.schedules.get(id) ?? [];
      const phoneRows = byService.phones.get(id) ?? [];
      const toPhone = (p: Row) => ({ id: p.id as string, number: p.number as string, description: p.description as string | null });
      const record: ServiceRecord = {
        id,
        organisationId: s.organisation_id as string,
        name: s.name as string,
        description: s.description as string,
        url: s.url as string | null,
        email: s.email as string | null,
        status: s.status as ServiceRecord['status'],
        reopeningDate: s.reopening_date as string | null,
        fees: s.fees as string | null,
        accreditations: s.accreditations as string | null,
        eligibilityDescription: s.eligibility_description as string | null,
        minimumAge: s.minimum_age as number | null,
        maximumAge: s.maximum_age as number | null,
        freeOfCharge: s.free_of_charge as boolean,
        deliveryModes: (s.delivery_modes as ServiceRecord['deliveryModes']) ?? [],
        assuredDate: s.assured_date as string | null,
        assurerEmail: s.assurer_email as string | null,
        alert: s.alert as string | null,
        lastModified: s.last_modified as Date,
        lastReviewedAt: s.last_reviewed_at as Date,
        languages: (byService.languages.get(id) ?? []).map((l) => ({ id: l.id as string, name: l.name as string, code: l.code as string | null })),
        costOptions: (byService.costs.get(id) ?? []).map((c) => ({
          id: c.id as string,
          option: c.option as string | null,
          amount: c.amount as number | null,
          amountDescription: c.amount_description as string | null,
          validFrom: c.valid_from as string | null,
          validTo: c.valid_to as string | null,
        })),
        contacts: (byService.contacts.get(id) ?? []).map((c) => ({
          id: c.id as string,
          name: c.name as string | null,
          title: c.title as string | null,
          email: c.email as string | null,
          phones: phoneRows.filter((p) => p.contact_id === c.id).map(toPhone),
        })),
        phones: phoneRows.filter((p) => !p.contact_id).map(toPhone),
        locations: (byService.sals.get(id) ?? []).map((l) => ({
          id: l.id as string,
          serviceAtLocationId: l.sal_id as string,
          organisationId: l.organisation_id as string | null,
          locationType: l.location_type as LocationRecord['locationType'],
          name: l.name as string | null,
          description: l.description as string | null,
          latitude: l.latitude as number | null,
          longitude: l.longitude as number | null,
          address1: l.address_1 as string | null,
          address2: l.address_2 as string | null,
          city: l.city as string | null,
          region: l.region as string | null,
          stateProvince: l.state_province as string | null,
          postalCode: l.postal_code as string | null,
          country: l.country as string | null,
          accessibility: l.accessibility as string | null,
          schedules: sched.filter((x) => x.service_at_location_id === l.sal_id).map(toSchedule),
        })),
        schedules: sched.filter((x) => !x.service_at_location_id).map(toSchedule),
        serviceAreas: (byService.areas.get(id) ?? []).map((a) => ({
          id: a.id as string,
          name: a.name as string | null,
          serviceArea: a.service_area as string | null,
          extent: a.extent as string | null,
          extentType: a.extent_type as string | null,
          uri: a.uri as string | null,
        })),
        taxonomyTermIds: (byService.attributes.get(id) ?? []).map((a) => a.taxonomy_term_id as string).sort(),
      };
      return [id, record] as const;
    }),
  );
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

/** Loads organisations by id with their identifiers. */
export async function loadOrganisationRecords(db: Queryable, ids: string[]): Promise<OrganisationRecord[]> {
  if (!ids.length) return [];
  const [orgs, identifiers] = await Promise.all([
    db.query<Row>('select * from organisations where id = any($1::uuid[])', [ids]),
    db.query<Row>('select * from organisation_identifiers where organisation_id = any($1::uuid[]) order by identifier_scheme', [ids]),
  ]);
  const idsByOrg = groupBy(identifiers, 'organisation_id');
  const found = new Map(
    orgs.map((o) => [
      o.id as string,
      {
        id: o.id as string,
        name: o.name as string,
        description: o.description as string,
        kind: o.kind as string,
        email: o.email as string | null,
        website: o.website as string | null,
        logo: o.logo as string | null,
        parentOrganisationId: o.parent_organisation_id as string | null,
        postcode: o.postcode as string | null,
        lastReviewedAt: o.last_reviewed_at as Date,
        identifiers: (idsByOrg.get(o.id as string) ?? []).map((i) => ({
          id: i.id as string,
          scheme: i.identifier_scheme as string,
          type: i.identifier_type as string,
          identifier: i.identifier as string,
        })),
      } satisfies OrganisationRecord,
    ]),
  );
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}
