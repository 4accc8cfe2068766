import type { Queryable } from '../../platform/db/database.ts';
import { raw, sql } from '../../platform/db/sql.ts';
import type { LocationRecord, OrganisationRecord, ScheduleRecord, ServiceRecord } from './directory.types.ts';

/*
 * Writing and reading whole services. Every writer (editing, import, demo, tests) saves through
 * saveServiceRecords, and every full reader (service page, ORUK, export) loads through
 * loadServiceRecords, so the nested shape is mapped to tables in one place.
 * Rows go in as one JSON parameter per table (jsonb_to_recordset): a few statements per batch
 * rather than per row, the same on PGlite and PostgreSQL.
 */

const json = (rows: unknown[]) => JSON.stringify(rows);

/** The tables of a service's parts, written by insertRows and replaced whole (fixed in code: the only names raw() takes here). */
type PartTable = 'service_at_locations' | 'schedules' | 'service_languages' | 'cost_options' | 'contacts' | 'phones' | 'service_areas' | 'service_funding' | 'organisation_identifiers';

/** Inserts rows given as objects keyed by column; `columns` is the record definition ('id uuid, name text, …'), fixed in code. */
async function insertRows(db: Queryable, table: PartTable, columns: string, rows: unknown[]): Promise<void> {
  if (!rows.length) return;
  const names = raw(
    columns
      .split(',')
      .map((c) => c.trim().split(/\s+/)[0])
      .join(', '),
  );
  await db.query(sql`insert into ${raw(table)} (${names}) select ${names} from jsonb_to_recordset(${json(rows)}::jsonb) as x(${raw(columns)})`);
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
  schedule_link: s.scheduleLink ?? null,
});

const iso = (v: Date | string | null | undefined) => (v instanceof Date ? v.toISOString() : (v ?? null));

/** Inserts or replaces organisations (by id) with their identifiers. */
export async function saveOrganisationRecords(db: Queryable, organisations: OrganisationRecord[]): Promise<void> {
  if (!organisations.length) return;
  await db.query(
    // A parent we do not hold yet is kept aside (pending_parent_id) and linked below once it is here.
    `insert into organisations (id, name, description, kind, email, website, logo, uri, parent_organisation_id, pending_parent_id, postcode, last_reviewed_at, updated_at)
     select id, name, description, kind, email, website, logo, uri,
            (select o.id from organisations o where o.id = x.parent_organisation_id and o.id <> x.id),
            case when x.parent_organisation_id <> x.id and not exists (select 1 from organisations o where o.id = x.parent_organisation_id) then x.parent_organisation_id end,
            postcode, coalesce(last_reviewed_at, now()), now()
       from jsonb_to_recordset($1::jsonb) as x(id uuid, name text, description text, kind text, email text, website text, logo text, uri text,
            parent_organisation_id uuid, postcode text, last_reviewed_at timestamptz)
     on conflict (id) do update set name = excluded.name, description = excluded.description, kind = excluded.kind,
       email = excluded.email, website = excluded.website, logo = excluded.logo, uri = excluded.uri,
       parent_organisation_id = excluded.parent_organisation_id, pending_parent_id = excluded.pending_parent_id, postcode = excluded.postcode,
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
          uri: o.uri ?? null,
          parent_organisation_id: o.parentOrganisationId ?? null,
          postcode: o.postcode ?? null,
          last_reviewed_at: iso(o.lastReviewedAt),
        })),
      ),
    ],
  );
  await linkPendingParents(db);
  await db.query('delete from organisation_identifiers where organisation_id = any($1::uuid[])', [organisations.map((o) => o.id)]);
  await insertRows(
    db,
    'organisation_identifiers',
    'id uuid, organisation_id uuid, identifier_scheme text, identifier_type text, identifier text',
    organisations.flatMap((o) => o.identifiers.map((i) => ({ id: i.id, organisation_id: o.id, identifier_scheme: i.scheme, identifier_type: i.type, identifier: i.identifier }))),
  );
}

/** Organisations (and taxonomy terms) waiting for a parent that is now held are linked to it. */
async function linkPendingParents(db: Queryable): Promise<void> {
  await db.query(`update organisations c set parent_organisation_id = c.pending_parent_id, pending_parent_id = null
                   where c.pending_parent_id is not null and exists (select 1 from organisations p where p.id = c.pending_parent_id)`);
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
                            address_1, address_2, city, region, state_province, postal_code, country, accessibility,
                            accessibility_details, accessibility_url, external_identifier, external_identifier_type, address_attention, address_type, updated_at)
     select id,
            -- A shared venue may belong to an organisation not (yet) in this directory, as in a
            -- partial import: keep the place and leave its owner blank rather than fail the batch.
            (select o.id from organisations o where o.id = x.organisation_id), location_type, name, description, latitude, longitude,
            case when latitude is not null and longitude is not null then ll_to_earth(latitude, longitude) end,
            address_1, address_2, city, region, state_province, postal_code, coalesce(country, 'GB'), accessibility,
            accessibility_details, accessibility_url, external_identifier, external_identifier_type, address_attention, address_type, now()
       from jsonb_to_recordset($1::jsonb) as x(id uuid, organisation_id uuid, location_type text, name text, description text,
            latitude double precision, longitude double precision, address_1 text, address_2 text, city text, region text,
            state_province text, postal_code text, country text, accessibility text, accessibility_details text, accessibility_url text,
            external_identifier text, external_identifier_type text, address_attention text, address_type text)
     on conflict (id) do update set organisation_id = coalesce(excluded.organisation_id, locations.organisation_id),
       location_type = excluded.location_type, name = excluded.name, description = excluded.description,
       latitude = excluded.latitude, longitude = excluded.longitude, earth = excluded.earth, address_1 = excluded.address_1,
       address_2 = excluded.address_2,
       city = excluded.city, region = excluded.region, state_province = excluded.state_province,
       postal_code = excluded.postal_code, country = excluded.country, accessibility = excluded.accessibility,
       accessibility_details = excluded.accessibility_details, accessibility_url = excluded.accessibility_url,
       external_identifier = excluded.external_identifier, external_identifier_type = excluded.external_identifier_type,
       address_attention = excluded.address_attention, address_type = excluded.address_type, updated_at = now()`,
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
          accessibility_details: l.accessibilityDetails ?? null,
          accessibility_url: l.accessibilityUrl ?? null,
          external_identifier: l.externalIdentifier ?? null,
          external_identifier_type: l.externalIdentifierType ?? null,
          address_attention: l.attention ?? null,
          // Stored only when it differs from the place's type.
          address_type: l.addressType && l.addressType !== l.locationType ? l.addressType : null,
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
  // Only services saved before have parts to replace; new ones (all of a first import) skip the deletes.
  const ids = services.map((s) => s.id);
  const savedBefore = (await db.query<{ id: string }>('select id from services where id = any($1::uuid[])', [ids])).map((r) => r.id);
  // Places first: the service row takes its search copy of where they are from them.
  const movedLocationIds = await saveLocations(db, services.flatMap((s) => s.locations.map((l) => ({ ...l, organisationId: l.organisationId ?? s.organisationId }))));
  // taxonomy_term_ids and location_box are the search's copies of needs and places (migration 0020):
  // written here with the row, as refresh_service_search would make them, so the row is written once.
  await db.query(
    `insert into services (id, organisation_id, name, description, url, email, status, reopening_date, fees, accreditations,
                           eligibility_description, minimum_age, maximum_age, free_of_charge, delivery_modes, assured_date,
                           assurer_email, alert, last_modified, last_reviewed_at, updated_at, taxonomy_term_ids, location_box)
     select id, organisation_id, name, description, url, email, status, reopening_date, fees, accreditations,
            eligibility_description, minimum_age, maximum_age, free_of_charge,
            array(select jsonb_array_elements_text(delivery_modes)), assured_date, assurer_email, alert,
            coalesce(last_modified, now()), coalesce(last_reviewed_at, now()), now(),
            array(select distinct t::uuid from jsonb_array_elements_text(term_ids) as t order by 1),
            (select case when count(l.earth) > 0 then
                      cube(array[min(cube_ll_coord(l.earth, 1)), min(cube_ll_coord(l.earth, 2)), min(cube_ll_coord(l.earth, 3))],
                           array[max(cube_ur_coord(l.earth, 1)), max(cube_ur_coord(l.earth, 2)), max(cube_ur_coord(l.earth, 3))]) end
               from locations l where l.id = any(array(select jsonb_array_elements_text(location_ids)::uuid)) and l.earth is not null)
       from jsonb_to_recordset($1::jsonb) as x(id uuid, organisation_id uuid, name text, description text, url text, email text,
            status text, reopening_date date, fees text, accreditations text, eligibility_description text, minimum_age integer,
            maximum_age integer, free_of_charge boolean, delivery_modes jsonb, assured_date date, assurer_email text, alert text,
            last_modified timestamptz, last_reviewed_at timestamptz, term_ids jsonb, location_ids jsonb)
     on conflict (id) do update set organisation_id = excluded.organisation_id, name = excluded.name,
       description = excluded.description, url = excluded.url, email = excluded.email, status = excluded.status,
       reopening_date = excluded.reopening_date, fees = excluded.fees, accreditations = excluded.accreditations,
       eligibility_description = excluded.eligibility_description, minimum_age = excluded.minimum_age,
       maximum_age = excluded.maximum_age, free_of_charge = excluded.free_of_charge, delivery_modes = excluded.delivery_modes,
       assured_date = excluded.assured_date, assurer_email = excluded.assurer_email, alert = excluded.alert,
       last_modified = excluded.last_modified, last_reviewed_at = excluded.last_reviewed_at, updated_at = now(),
       taxonomy_term_ids = excluded.taxonomy_term_ids, location_box = excluded.location_box`,
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
          term_ids: s.taxonomyTermIds,
          location_ids: s.locations.map((l) => l.id),
        })),
      ),
    ],
  );

  // Replace the parts. Schedules and contacts' phones go with their parents (on delete cascade).
  if (savedBefore.length) {
    for (const table of ['service_languages', 'cost_options', 'contacts', 'phones', 'schedules', 'service_areas', 'service_funding', 'service_at_locations'] as const satisfies PartTable[]) {
      await db.query(sql`delete from ${raw(table)} where service_id = any(${savedBefore}::uuid[])`);
    }
    await db.query(`delete from attributes where link_type = 'service' and link_id = any($1::uuid[])`, [savedBefore]);
  }

  await insertRows(
    db,
    'service_at_locations',
    'id uuid, service_id uuid, location_id uuid',
    services.flatMap((s) => s.locations.map((l) => ({ id: l.serviceAtLocationId, service_id: s.id, location_id: l.id }))),
  );
  const scheduleColumns =
    'id uuid, service_id uuid, service_at_location_id uuid, freq text, interval integer, byday text, bymonthday text, opens_at time, closes_at time, valid_from date, valid_to date, dtstart date, description text, notes text, attending_type text, schedule_link text';
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
  await insertRows(
    db,
    'service_funding',
    'id uuid, service_id uuid, source text',
    services.flatMap((s) => (s.funding ?? []).map((f) => ({ id: f.id, service_id: s.id, source: f.source ?? null }))),
  );
  await db.query(
    `insert into attributes (id, link_type, link_id, taxonomy_term_id, link_purpose)
     select gen_random_uuid(), 'service', service_id, taxonomy_term_id, link_purpose
       from jsonb_to_recordset($1::jsonb) as x(service_id uuid, taxonomy_term_id uuid, link_purpose text)
     on conflict do nothing`,
    [json(services.flatMap((s) => [...new Set(s.taxonomyTermIds)].map((t) => ({ service_id: s.id, taxonomy_term_id: t, link_purpose: s.termLinkTypes?.[t] ?? null }))))],
  );
  // Other services at a place that moved keep their search copy of where they are.
  if (movedLocationIds.length) {
    await db.query(
      'select refresh_service_search(array(select service_id from service_at_locations where location_id = any($1::uuid[]) and service_id <> all($2::uuid[])))',
      [movedLocationIds, ids],
    );
  }
}

type Row = Record<string, unknown>;

/** A service's own fields, without the parts that hang off it: what lists and summaries show. */
export type ServiceFields = Omit<
  ServiceRecord,
  'languages' | 'costOptions' | 'contacts' | 'phones' | 'locations' | 'schedules' | 'serviceAreas' | 'taxonomyTermIds' | 'termLinkTypes' | 'funding'
>;
/** An organisation's own fields, without its identifiers. */
export type OrganisationFields = Omit<OrganisationRecord, 'identifiers'>;

type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}` ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}` : S;
/** The columns of a record's fields (each field's name in snake_case): a misspelt or missing one is a type error. */
const columnsOf =
  <T>() =>
  <const C extends readonly SnakeCase<keyof T & string>[]>(
    columns: C & (SnakeCase<keyof T & string> extends C[number] ? unknown : { missing: Exclude<SnakeCase<keyof T & string>, C[number]> }),
  ) =>
    columns;

const serviceColumns = columnsOf<ServiceFields>()([
  'id', 'organisation_id', 'name', 'description', 'url', 'email', 'status', 'reopening_date', 'fees', 'accreditations',
  'eligibility_description', 'minimum_age', 'maximum_age', 'free_of_charge', 'delivery_modes', 'assured_date',
  'assurer_email', 'alert', 'last_modified', 'last_reviewed_at',
]);
const organisationColumns = columnsOf<OrganisationFields>()(['id', 'name', 'description', 'kind', 'email', 'website', 'logo', 'uri', 'parent_organisation_id', 'postcode', 'last_reviewed_at']);

/** The select list for toServiceFields: a service table's alias, and a prefix if the columns are renamed. */
export const serviceFieldsSql = (alias: string, prefix = '') => serviceColumns.map((c) => `${alias}.${c}${prefix ? ` as ${prefix}${c}` : ''}`).join(', ');
/** The select list for toOrganisationFields. */
export const organisationFieldsSql = (alias: string, prefix = '') =>
  organisationColumns
    // The parent a record named: the one we hold, else the one we are waiting for.
    .map((c) => (c === 'parent_organisation_id' ? `coalesce(${alias}.${c}, ${alias}.pending_parent_id) as ${prefix}${c}` : `${alias}.${c}${prefix ? ` as ${prefix}${c}` : ''}`))
    .join(', ');

/** A row's columns (renamed with a prefix, perhaps) as the record's fields, named in camelCase. */
const fieldsOf = <T>(columns: readonly string[], r: Row, prefix: string): T =>
  Object.fromEntries(columns.map((c) => [c.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase()), r[prefix + c]])) as T;

/** The one mapping of a services row (selected with serviceFieldsSql) to a record's fields. */
export function toServiceFields(r: Row, prefix = ''): ServiceFields {
  const fields = fieldsOf<ServiceFields>(serviceColumns, r, prefix);
  return { ...fields, deliveryModes: fields.deliveryModes ?? [] };
}

/** The one mapping of an organisations row (selected with organisationFieldsSql) to a record's fields. */
export const toOrganisationFields = (r: Row, prefix = ''): OrganisationFields => fieldsOf(organisationColumns, r, prefix);

/*
 * The parts of a service as one JSON value, built by the database with the record's own key names,
 * so that a whole service (or a page of them) is one query rather than one per table.
 */
const agg = (object: string, from: string, order: string) => `coalesce((select json_agg(${object} order by ${order}) from ${from}), '[]')`;
const scheduleJson = `json_build_object('id', x.id, 'freq', x.freq, 'interval', x.interval, 'byday', x.byday, 'bymonthday', x.bymonthday,
  'opensAt', to_char(x.opens_at, 'HH24:MI'), 'closesAt', to_char(x.closes_at, 'HH24:MI'), 'validFrom', x.valid_from, 'validTo', x.valid_to,
  'dtstart', x.dtstart, 'description', x.description, 'notes', x.notes, 'attendingType', x.attending_type, 'scheduleLink', x.schedule_link)`;
const scheduleOrder = 'x.byday nulls last, x.opens_at nulls last';
const phoneJson = `json_build_object('id', p.id, 'number', p.number, 'description', p.description)`;
const servicePartsSql = (s: string) => `json_build_object(
  'languages', ${agg(`json_build_object('id', x.id, 'name', x.name, 'code', x.code)`, `service_languages x where x.service_id = ${s}.id`, 'x.name')},
  'costOptions', ${agg(
    `json_build_object('id', x.id, 'option', x.option, 'amount', x.amount, 'amountDescription', x.amount_description, 'validFrom', x.valid_from, 'validTo', x.valid_to)`,
    `cost_options x where x.service_id = ${s}.id`,
    'x.option nulls last',
  )},
  'contacts', ${agg(
    `json_build_object('id', c.id, 'name', c.name, 'title', c.title, 'email', c.email, 'phones', ${agg(phoneJson, 'phones p where p.contact_id = c.id', 'p.number')})`,
    `contacts c where c.service_id = ${s}.id`,
    'c.name nulls last',
  )},
  'phones', ${agg(phoneJson, `phones p where p.service_id = ${s}.id and p.contact_id is null`, 'p.number')},
  'locations', ${agg(
    `json_build_object('id', l.id, 'serviceAtLocationId', sal.id, 'organisationId', l.organisation_id, 'locationType', l.location_type,
       'name', l.name, 'description', l.description, 'latitude', l.latitude, 'longitude', l.longitude, 'address1', l.address_1,
       'address2', l.address_2, 'city', l.city, 'region', l.region, 'stateProvince', l.state_province, 'postalCode', l.postal_code,
       'country', l.country, 'accessibility', l.accessibility, 'accessibilityDetails', l.accessibility_details,
       'accessibilityUrl', l.accessibility_url, 'externalIdentifier', l.external_identifier, 'externalIdentifierType', l.external_identifier_type,
       'attention', l.address_attention, 'addressType', coalesce(l.address_type, l.location_type),
       'schedules', ${agg(scheduleJson, 'schedules x where x.service_at_location_id = sal.id', scheduleOrder)})`,
    `service_at_locations sal join locations l on l.id = sal.location_id where sal.service_id = ${s}.id`,
    'l.name nulls last, l.id',
  )},
  'schedules', ${agg(scheduleJson, `schedules x where x.service_id = ${s}.id and x.service_at_location_id is null`, scheduleOrder)},
  'serviceAreas', ${agg(
    `json_build_object('id', x.id, 'name', x.name, 'serviceArea', x.service_area, 'extent', x.extent, 'extentType', x.extent_type, 'uri', x.uri)`,
    `service_areas x where x.service_id = ${s}.id`,
    'x.name nulls last',
  )},
  'funding', ${agg(`json_build_object('id', x.id, 'source', x.source)`, `service_funding x where x.service_id = ${s}.id`, 'x.source nulls last, x.id')},
  'taxonomyTermIds', ${agg('a.taxonomy_term_id', `attributes a where a.link_type = 'service' and a.link_id = ${s}.id`, 'a.taxonomy_term_id')},
  'termLinkTypes', coalesce((select json_object_agg(a.taxonomy_term_id, a.link_purpose) from attributes a
                              where a.link_type = 'service' and a.link_id = ${s}.id and a.link_purpose is not null), '{}'))`;

const identifiersSql = (o: string) =>
  agg(
    `json_build_object('id', i.id, 'scheme', i.identifier_scheme, 'type', i.identifier_type, 'identifier', i.identifier)`,
    `organisation_identifiers i where i.organisation_id = ${o}.id`,
    'i.identifier_scheme',
  );

type ServiceParts = Omit<ServiceRecord, keyof ServiceFields>;
const toServiceRecord = (r: Row): ServiceRecord => {
  const parts = r.parts as ServiceParts;
  return { ...toServiceFields(r), ...parts, taxonomyTermIds: parts.taxonomyTermIds.sort() };
};
const toOrganisationRecord = (r: Row, prefix = ''): OrganisationRecord => ({
  ...toOrganisationFields(r, prefix),
  identifiers: r[`${prefix}identifiers`] as OrganisationRecord['identifiers'],
});

/** Rows of the table for the ids asked, in that order (ids not found are left out). */
const inOrder = (table: string, alias: string) => `unnest($1::uuid[]) with ordinality as wanted(id, position) join ${table} ${alias} on ${alias}.id = wanted.id`;

/** Loads whole services by id, in the order asked; ids not found are left out. One query. */
export async function loadServiceRecords(db: Queryable, ids: string[]): Promise<ServiceRecord[]> {
  if (!ids.length) return [];
  const rows = await db.query<Row>(`select ${serviceFieldsSql('s')}, ${servicePartsSql('s')} as parts from ${inOrder('services', 's')} order by wanted.position`, [ids]);
  return rows.map(toServiceRecord);
}

/** Whole services with their organisations (as ORUK's full services show them), in one query. */
export async function loadServicesWithOrganisations(
  db: Queryable,
  ids: string[],
): Promise<{ services: ServiceRecord[]; organisations: Map<string, OrganisationRecord> }> {
  if (!ids.length) return { services: [], organisations: new Map() };
  const rows = await db.query<Row>(
    `select ${serviceFieldsSql('s')}, ${servicePartsSql('s')} as parts, ${organisationFieldsSql('o', 'o_')}, ${identifiersSql('o')} as o_identifiers
       from ${inOrder('services', 's')} join organisations o on o.id = s.organisation_id
      order by wanted.position`,
    [ids],
  );
  return { services: rows.map(toServiceRecord), organisations: new Map(rows.map((r) => [r.o_id as string, toOrganisationRecord(r, 'o_')])) };
}

/** A service's own fields only, by id in the order asked (for answers that do not need the parts). */
export async function loadServiceFields(db: Queryable, ids: string[]): Promise<ServiceFields[]> {
  if (!ids.length) return [];
  const rows = await db.query<Row>(`select ${serviceFieldsSql('s')} from ${inOrder('services', 's')} order by wanted.position`, [ids]);
  return rows.map((r) => toServiceFields(r));
}

/** Loads organisations by id with their identifiers, in the order asked. One query. */
export async function loadOrganisationRecords(db: Queryable, ids: string[]): Promise<OrganisationRecord[]> {
  if (!ids.length) return [];
  const rows = await db.query<Row>(
    `select ${organisationFieldsSql('o')}, ${identifiersSql('o')} as identifiers from ${inOrder('organisations', 'o')} order by wanted.position`,
    [ids],
  );
  return rows.map((r) => toOrganisationRecord(r));
}
