/**
 * The organisation picker: choosing one of the partnership's ~1,600 organisations by typing part
 * of its name. Without script it is a plain search: type, choose "Find", pick from the matches
 * (or, when one organisation has exactly that name, it is simply taken). With script, the GOV.UK
 * accessible-autocomplete enhances the same field (public/organisation-picker.js), asking
 * `/organisations/search` as the person types. The form's own field (say `organisationId`) carries
 * the chosen id; the typed text travels as `<field>Search`.
 */
import type { Queryable } from './db/database.ts';
import { UUID_PATTERN } from './ids.ts';

export type OrganisationMatch = { id: string; name: string };

/** What the picker shows again: the text typed, the organisation chosen (if any) and any matches to pick from. */
export type OrganisationPicker = { query: string; value: string; matches: OrganisationMatch[] };

const MATCHES = 20;

/** Organisations whose name contains every word typed, whole-name matches and then shorter names first. */
export async function searchOrganisations(db: Queryable, query: string, limit = MATCHES): Promise<OrganisationMatch[]> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  if (!words.length) return [];
  const patterns = words.map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return db.query<OrganisationMatch>(
    `select id, name from organisations
      where merged_into_id is null and lower(name) like all ($1::text[])
      order by lower(name) = $2 desc, length(name), name limit $3`,
    [patterns, query.trim().toLowerCase(), limit],
  );
}

async function organisationById(db: Queryable, id: string): Promise<OrganisationMatch | undefined> {
  return (await db.query<OrganisationMatch>('select id, name from organisations where id = $1 and merged_into_id is null', [id]))[0];
}

export type OrganisationPick = {
  picker: OrganisationPicker;
  /** The person asked to find matches ("Find"), not to save: show the form again with them. */
  finding: boolean;
  /** Why no organisation could be taken from what was typed, for the field's error message. */
  problem?: { field: string; message: string };
};

/**
 * Reads the picker from a submitted form and puts the chosen organisation's id into
 * `input[field]` (or '' when none could be taken), so the form's schema sees a plain id.
 */
export async function pickOrganisation(db: Queryable, input: Record<string, unknown>, field: string): Promise<OrganisationPick> {
  const raw = input[field];
  const chosen = typeof raw === 'string' && UUID_PATTERN.test(raw) ? await organisationById(db, raw) : undefined;
  const query = typeof input[`${field}Search`] === 'string' ? (input[`${field}Search`] as string).trim().slice(0, 200) : '';
  const finding = input._find === field;
  delete input._find;
  if (finding) {
    const matches = query ? await searchOrganisations(db, query) : [];
    input[field] = '';
    const problem = !query ? 'Type part of the organisation’s name, then choose Find' : matches.length ? undefined : `No organisation’s name contains “${query}”. Try fewer or different words.`;
    return { picker: { query, value: '', matches }, finding, problem: problem ? { field, message: problem } : undefined };
  }
  if (chosen) {
    input[field] = chosen.id;
    return { picker: { query: chosen.name, value: chosen.id, matches: [] }, finding };
  }
  input[field] = '';
  if (!query) return { picker: { query, value: '', matches: [] }, finding };
  const matches = await searchOrganisations(db, query);
  const exact = matches.filter((m) => m.name.toLowerCase() === query.toLowerCase());
  const only = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
  if (only) {
    input[field] = only.id;
    return { picker: { query: only.name, value: only.id, matches: [] }, finding };
  }
  const message = matches.length ? `More than one organisation matches “${query}”. Choose one from the list.` : `No organisation’s name contains “${query}”. Try fewer or different words.`;
  return { picker: { query, value: '', matches }, finding, problem: { field, message } };
}

/** The picker for a form drawn for the first time, with an organisation already chosen (or none). */
export async function organisationPickerFor(db: Queryable, organisationId: unknown): Promise<OrganisationPicker> {
  const chosen = typeof organisationId === 'string' && UUID_PATTERN.test(organisationId) ? await organisationById(db, organisationId) : undefined;
  return { query: chosen?.name ?? '', value: chosen?.id ?? '', matches: [] };
}
