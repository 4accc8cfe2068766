import type { z } from 'zod';
import type { OrganisationRecord, ServiceRecord } from '../directory.types.ts';
import type { OrukTermInput } from './transfer.schemas.ts';

/** Where a record came from, to name it in the report. */
export type RecordRef = { id?: string; name?: string; line?: number };

/** An organisation as a file gives it: kind, postcode and review date may be unknown (then kept as they are). */
export type OrganisationInput = Omit<OrganisationRecord, 'kind' | 'postcode' | 'lastReviewedAt'> & {
  kind?: string | null;
  postcode?: string | null;
  lastReviewedAt?: string | null;
  /** The id was made up from the name (a CSV row without one): an existing organisation with that name or identifier wins. */
  idFromName?: boolean;
  /** Blank fields keep what we hold (a spreadsheet row), rather than clearing it. */
  keepBlank?: boolean;
  /** The record does not list identifiers at all (an ORUK summary): keep those we hold. */
  keepIdentifiers?: boolean;
};

/** The parts of a service a record may leave out (an ORUK list page without full=true). */
export type ServicePart =
  | 'locations'
  | 'schedules'
  | 'contacts'
  | 'costOptions'
  | 'serviceAreas'
  | 'phones'
  | 'languages'
  | 'funding'
  | 'taxonomyTermIds'
  | 'termLinkTypes'
  | 'deliveryModes'
  | 'freeOfCharge';

/** Kinds of ORUK record people offer as services by mistake. */
export type OtherRecordKind = 'organization' | 'service_at_location' | 'location' | 'taxonomy_term';

/** One record read from a file or feed, ready to save, or with the reasons it cannot be. */
export type Candidate = {
  ref: RecordRef;
  service?: ServiceRecord;
  /** The organisation as the record describes it; absent when the record only names its id. */
  organisation?: OrganisationInput;
  /** Taxonomy terms the record uses, as it describes them, in case we do not have them. */
  terms?: OrukTermInput[];
  /** Parts the record does not carry: what we hold of them is kept, not replaced with nothing. */
  keep?: ServicePart[];
  /** The record is not a service but looks like this other kind of ORUK record (then it is rejected, saying so). */
  looksLike?: OtherRecordKind;
  /** What was changed or doubted on the way in (the record is still imported); shown in the report. */
  warnings?: string[];
  reasons: string[];
};

export function rejected(ref: RecordRef, reasons: string[]): Candidate {
  return { ref, reasons };
}

/** zod issues as plain sentences, naming the field. */
export function issueReasons(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return field ? `${field}: ${i.message}` : i.message;
  });
}

/**
 * A place's coordinates as given, or none (with a warning) when they are not a place on Earth:
 * one impossible coordinate loses the map position, not the service. Coordinates that would be in
 * the UK the other way round are kept, with a warning.
 */
export function placeCoordinates(latitude: number | null, longitude: number | null, where: string, warnings: string[]): { latitude: number | null; longitude: number | null } {
  const impossible = (latitude !== null && Math.abs(latitude) > 90) || (longitude !== null && Math.abs(longitude) > 180);
  if (impossible) {
    warnings.push(`${where}: latitude ${latitude ?? '(none)'}, longitude ${longitude ?? '(none)'} is not a place on Earth (latitude is between -90 and 90, longitude between -180 and 180), so the place was imported without its map position`);
    return { latitude: null, longitude: null };
  }
  const inUk = (lat: number, lon: number) => lat >= 49.8 && lat <= 60.9 && lon >= -8.7 && lon <= 1.8;
  if (latitude !== null && longitude !== null && !inUk(latitude, longitude) && inUk(longitude, latitude)) {
    warnings.push(`${where}: latitude ${latitude} and longitude ${longitude} look swapped (the other way round they are in the UK); check them`);
  }
  return { latitude, longitude };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text the database can store: NUL characters removed, lone surrogates replaced by U+FFFD; with how many of each. */
export function storableText(text: string): { text: string; nul: number; surrogate: number } {
  const nul = text.split('\u0000').length - 1;
  const surrogate = text.match(LONE_SURROGATE)?.length ?? 0;
  return { text: nul || surrogate ? text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd') : text, nul, surrogate };
}
