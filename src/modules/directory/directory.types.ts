import { nationVocabulary } from '../../platform/nation.ts';
/** A service with everything that hangs off it, close to Open Referral UK 3.0's full service. */
export const deliveryModes = ['in_person', 'online', 'phone'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];
export const deliveryModeNames: Record<DeliveryMode, string> = { in_person: 'In person', online: 'Online', phone: 'By phone' };

export const serviceStatuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];

export type ScheduleRecord = {
  id: string;
  freq: 'WEEKLY' | 'MONTHLY';
  interval?: number | null;
  byday?: string | null; // 'MO,WE' weekly; '1TU' / '-1FR' monthly
  bymonthday?: string | null;
  opensAt?: string | null; // 'HH:MM'
  closesAt?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
  dtstart?: string | null;
  description?: string | null;
  notes?: string | null;
  attendingType?: string | null;
  /** A link to book or join (ORUK schedule_link). */
  scheduleLink?: string | null;
};

type PhoneRecord = { id: string; number: string; description?: string | null };
type ContactRecord = { id: string; name?: string | null; title?: string | null; email?: string | null; phones: PhoneRecord[] };

export type LocationRecord = {
  id: string;
  /** The service-at-location link's id. */
  serviceAtLocationId: string;
  organisationId?: string | null;
  locationType: 'physical' | 'postal' | 'virtual';
  name?: string | null;
  description?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  region?: string | null;
  stateProvince?: string | null;
  postalCode?: string | null;
  country?: string | null;
  accessibility?: string | null;
  accessibilityDetails?: string | null;
  accessibilityUrl?: string | null;
  /** An identifier another register gives the place, such as a UPRN (ORUK external_identifier). */
  externalIdentifier?: string | null;
  externalIdentifierType?: string | null;
  /** The address's "for the attention of" line. */
  attention?: string | null;
  /** The address's own type when it differs from the place's (a postal address of a physical place). */
  addressType?: 'physical' | 'postal' | 'virtual' | null;
  /** Times at this location (ORUK: schedules of the service at location). */
  schedules: ScheduleRecord[];
};

export type ServiceRecord = {
  id: string;
  organisationId: string;
  name: string;
  description: string;
  url?: string | null;
  email?: string | null;
  status: ServiceStatus;
  reopeningDate?: string | null;
  fees?: string | null;
  accreditations?: string | null;
  eligibilityDescription?: string | null;
  minimumAge?: number | null;
  maximumAge?: number | null;
  freeOfCharge: boolean;
  deliveryModes: DeliveryMode[];
  assuredDate?: string | null;
  assurerEmail?: string | null;
  alert?: string | null;
  lastModified?: Date | string | null;
  lastReviewedAt?: Date | string | null;
  languages: { id: string; name: string; code?: string | null }[];
  costOptions: { id: string; option?: string | null; amount?: number | null; amountDescription?: string | null; validFrom?: string | null; validTo?: string | null }[];
  contacts: ContactRecord[];
  /** Phone numbers for the service itself, not a named contact. */
  phones: PhoneRecord[];
  locations: LocationRecord[];
  /** Times that are not tied to one location. */
  schedules: ScheduleRecord[];
  serviceAreas: { id: string; name?: string | null; serviceArea?: string | null; extent?: string | null; extentType?: string | null; uri?: string | null }[];
  /** Needs and other taxonomy terms the service is tagged with (ORUK attributes). */
  taxonomyTermIds: string[];
  /** What a term describes about the service, by term id, where a record said (ORUK attributes.link_type). */
  termLinkTypes?: Record<string, string>;
  /** Who funds the service (ORUK funding). */
  funding?: { id: string; source?: string | null }[];
};

export type OrganisationRecord = {
  id: string;
  name: string;
  description: string;
  kind: string;
  email?: string | null;
  website?: string | null;
  logo?: string | null;
  /** ORUK organization.uri: the organisation's own identifying address. */
  uri?: string | null;
  /** The parent a record names: held as a link when we hold the parent, else kept until it arrives. */
  parentOrganisationId?: string | null;
  postcode?: string | null;
  identifiers: { id: string; scheme: string; type: string; identifier: string }[];
  lastReviewedAt?: Date | string | null;
};

const sentenceCase = (text: string) => text[0].toUpperCase() + text.slice(1);

export const organisationKinds: Record<string, string> = {
  partnership: 'Health and care partnership',
  council: 'Council',
  // The structures are named as the configured nation names them (ICB and PCN in England).
  get icb() {
    return sentenceCase(nationVocabulary().areaBody.name);
  },
  nhs_trust: 'NHS trust',
  get pcn() {
    return sentenceCase(nationVocabulary().localTeam.name);
  },
  gp_practice: 'GP practice',
  charity: 'Charity',
  community_group: 'Community group',
  faith_group: 'Faith group',
  housing_association: 'Housing association',
  social_enterprise: 'Social enterprise',
  other: 'Other organisation',
};

/** org-id.guide list codes for the identifiers partnerships hold. */
export const identifierSchemes: Record<string, string> = {
  'GB-CHC': 'Charity number (England and Wales)',
  'GB-SC': 'Charity number (Scotland)',
  'GB-COH': 'Company number',
  'GB-NHS': 'NHS ODS code',
  'GB-MPR': 'Mutuals Public Register number',
};
