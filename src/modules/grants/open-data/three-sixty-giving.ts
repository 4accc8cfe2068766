/**
 * 360Giving Data Standard 1.4.3: our grants as a package (JSON) and in the spreadsheet layout
 * (CSV), and other funders' files read back in. Pure functions; the service does the I/O.
 */
import { isCalendarDate } from '../../../platform/dates.ts';
import type { OrgIdentifier, PublishedGrant, ExternalGrant } from './open-data.repository.ts';

/** Org-id list prefixes, best first: a register number beats anything we make up. */
const preferredSchemes = ['GB-CHC', 'GB-SC', 'GB-NIC', 'GB-COH', 'GB-NHS', 'GB-LAE', 'GB-LAS', 'GB-LANI', 'GB-GOVUK', 'GB-EDU', 'GB-MPR', 'GB-UKPRN'];

export type OrgRef = { id: string; name: string; charityNumber?: string; companyNumber?: string };

/** The organisation's org-id, and its charity and company numbers in the forms 360Giving checks. */
export function orgRef(organisationId: string, name: string, identifiers: OrgIdentifier[], prefix: string): OrgRef {
  const mine = identifiers.filter((i) => i.organisationId === organisationId);
  const best = preferredSchemes.map((s) => mine.find((i) => i.scheme.toUpperCase() === s)).find(Boolean);
  const ref: OrgRef = { id: best ? `${best.scheme.toUpperCase()}-${clean(best.identifier)}` : `360G-${prefix}-org-${organisationId}`, name };
  const charity = mine.find((i) => i.scheme.toUpperCase() === 'GB-CHC' && /^\d{6,7}$/.test(i.identifier.trim()));
  if (charity) ref.charityNumber = charity.identifier.trim();
  const company = mine.find((i) => i.scheme.toUpperCase() === 'GB-COH');
  if (company) {
    const number = clean(company.identifier).toUpperCase();
    const padded = /^\d+$/.test(number) ? number.padStart(8, '0') : number;
    if (padded.length === 8) ref.companyNumber = padded;
  }
  return ref;
}

/** Identifiers: no spaces, slashes or line breaks. */
const clean = (id: string) => id.trim().replace(/[\s/\\]+/g, '');

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
/** Published text never carries an email address (a Data Quality Tool check). */
export const withoutEmails = (text: string) => text.replace(EMAIL, '[email address removed]');

/** Whole months from start to end, at least 1. */
export function durationMonths(start: string, end: string): number {
  const [y1, m1, d1] = start.split('-').map(Number);
  const [y2, m2, d2] = end.split('-').map(Number);
  const months = (y2 - y1) * 12 + (m2 - m1) + (d2 - d1 >= 0 ? 1 : 0);
  return Math.max(1, months);
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'programme';

export type GrantExtras = {
  locations: { name: string; geoCode: string; geoCodeType: string }[];
  payments: { id: string; amountPence: number; paidOn: string }[];
};

/** One grant in 360Giving's JSON shape. */
export function grantJson(g: PublishedGrant, extras: GrantExtras, identifiers: OrgIdentifier[], prefix: string, dataSource: string) {
  const recipient = orgRef(g.recipientId, g.recipientName, identifiers, prefix);
  const funder = orgRef(g.funderId, g.funderName, identifiers, prefix);
  const paid = extras.payments.reduce((s, p) => s + p.amountPence, 0);
  return {
    id: `360G-${prefix}-${g.reference}`,
    title: withoutEmails(g.title),
    description: withoutEmails(g.description),
    currency: 'GBP' as const,
    amountAwarded: g.amountPence / 100,
    ...(paid ? { amountDisbursed: paid / 100 } : {}),
    awardDate: g.awardDate,
    plannedDates: [{ startDate: g.plannedStart, endDate: g.plannedEnd, duration: durationMonths(g.plannedStart, g.plannedEnd) }],
    recipientOrganization: [
      { ...recipient, ...(g.recipientLsoa ? { location: [{ name: `Lower layer super output area ${g.recipientLsoa}`, geoCode: g.recipientLsoa, geoCodeType: 'LSOA' }] } : {}) },
    ],
    fundingOrganization: [{ id: funder.id, name: funder.name }],
    grantProgramme: [{ code: slug(g.programme), title: g.programme }],
    ...(extras.locations.length ? { beneficiaryLocation: extras.locations.map((l) => ({ name: l.name, geoCode: l.geoCode, geoCodeType: l.geoCodeType })) } : {}),
    ...(g.classifications.length ? { classifications: g.classifications.map((c) => ({ vocabulary: 'Common Ground classification', code: slug(c), title: c })) } : {}),
    ...(extras.payments.length
      ? { disbursementTransaction: extras.payments.map((p) => ({ id: `360G-${prefix}-${g.reference}-payment-${p.id.slice(0, 8)}`, currency: 'GBP', value: p.amountPence / 100, transactionDate: p.paidOn })) }
      : {}),
    dateModified: new Date(g.updatedAt).toISOString(),
    dataSource,
  };
}

export type GrantJson = ReturnType<typeof grantJson>;

/** The spreadsheet layout's column titles (the standard's own). */
export const csvColumns = [
  'Identifier',
  'Title',
  'Description',
  'Currency',
  'Amount Awarded',
  'Amount Disbursed',
  'Award Date',
  'Planned Dates:Start Date',
  'Planned Dates:End Date',
  'Planned Dates:Duration (months)',
  'Recipient Org:Identifier',
  'Recipient Org:Name',
  'Recipient Org:Charity Number',
  'Recipient Org:Company Number',
  'Funding Org:Identifier',
  'Funding Org:Name',
  'Grant Programme:Code',
  'Grant Programme:Title',
  'Beneficiary Location:Name',
  'Beneficiary Location:Geographic Code',
  'Beneficiary Location:Geographic Code Type',
  'Last Modified',
  'Data Source',
] as const;

/** One grant as a spreadsheet row (the first beneficiary location; the JSON has them all). */
export function grantRow(g: GrantJson): Record<(typeof csvColumns)[number], string | number> {
  const r = g.recipientOrganization[0];
  const loc = g.beneficiaryLocation?.[0];
  return {
    Identifier: g.id,
    Title: g.title,
    Description: g.description,
    Currency: g.currency,
    'Amount Awarded': g.amountAwarded,
    'Amount Disbursed': g.amountDisbursed ?? '',
    'Award Date': g.awardDate,
    'Planned Dates:Start Date': g.plannedDates[0].startDate,
    'Planned Dates:End Date': g.plannedDates[0].endDate,
    'Planned Dates:Duration (months)': g.plannedDates[0].duration,
    'Recipient Org:Identifier': r.id,
    'Recipient Org:Name': r.name,
    'Recipient Org:Charity Number': r.charityNumber ?? '',
    'Recipient Org:Company Number': r.companyNumber ?? '',
    'Funding Org:Identifier': g.fundingOrganization[0].id,
    'Funding Org:Name': g.fundingOrganization[0].name,
    'Grant Programme:Code': g.grantProgramme[0].code,
    'Grant Programme:Title': g.grantProgramme[0].title,
    'Beneficiary Location:Name': loc?.name ?? '',
    'Beneficiary Location:Geographic Code': loc?.geoCode ?? '',
    'Beneficiary Location:Geographic Code Type': loc?.geoCodeType ?? '',
    'Last Modified': g.dateModified,
    'Data Source': g.dataSource,
  };
}

// ---- reading ---------------------------------------------------------------------------------

type Loose = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const first = (v: unknown): Loose => (Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Loose) : {});

/** A JSON grant or a spreadsheet row (keys are column titles) as the same flat shape. */
export function fromJsonGrant(g: Loose): Loose {
  const r = first(g.recipientOrganization);
  const f = first(g.fundingOrganization);
  const p = first(g.grantProgramme);
  // Size: GrantNav's additional data (recipientOrgInfos) or a latestIncome on the recipient itself.
  const info = first((g.additional_data as Loose | undefined)?.recipientOrgInfos);
  return {
    Identifier: g.id,
    Title: g.title,
    Description: g.description,
    'Amount Awarded': g.amountAwarded,
    'Award Date': g.awardDate,
    'Recipient Org:Identifier': r.id,
    'Recipient Org:Name': r.name,
    'Recipient Org:Charity Number': r.charityNumber,
    'Recipient Org:Company Number': r.companyNumber,
    'Recipient Org:Latest Income': info.latestIncome ?? r.latestIncome,
    'Funding Org:Identifier': f.id,
    'Funding Org:Name': f.name,
    'Grant Programme:Title': p.title,
    geoCodes: Array.isArray(g.beneficiaryLocation) ? (g.beneficiaryLocation as Loose[]).map((l) => str(l.geoCode)).filter(Boolean) : [],
    classifications: Array.isArray(g.classifications) ? (g.classifications as Loose[]).map((c) => str(c.title)).filter(Boolean) : [],
  };
}

/** Checks one row; returns the grant or what is wrong with it. */
export function readRow(row: Loose): { grant: ExternalGrant } | { faults: string[] } {
  const faults: string[] = [];
  const identifier = str(row.Identifier);
  if (!identifier) faults.push('no Identifier');
  else if (/[\s/]/.test(identifier)) faults.push(`the Identifier “${identifier}” has spaces or slashes`);
  const title = str(row.Title);
  if (!title) faults.push('no Title');
  const amountText = str(row['Amount Awarded']);
  const amount = Number(amountText);
  if (!amountText || !Number.isFinite(amount) || !/^\d+(\.\d{1,2})?$/.test(amountText)) faults.push(`Amount Awarded “${amountText}” is not an amount (digits, no £ or commas)`);
  else if (amount <= 0) faults.push('Amount Awarded is £0');
  const awardDate = str(row['Award Date']).slice(0, 10);
  if (!isCalendarDate(awardDate)) faults.push(`Award Date “${str(row['Award Date'])}” is not a real date (YYYY-MM-DD)`);
  const funderIdentifier = str(row['Funding Org:Identifier']);
  const funderName = str(row['Funding Org:Name']);
  if (!funderIdentifier || !funderName) faults.push('no Funding Org identifier and name');
  const incomeText = str(row['Recipient Org:Latest Income'] ?? row['Recipient Org:Info:Latest Income']);
  const income = Number(incomeText);
  if (incomeText && (!/^\d+(\.\d{1,2})?$/.test(incomeText) || !Number.isFinite(income))) faults.push(`Recipient Org:Latest Income “${incomeText}” is not an amount (digits, no £ or commas)`);
  if (faults.length) return { faults };
  const geo = Array.isArray(row.geoCodes) ? (row.geoCodes as string[]) : [str(row['Beneficiary Location:Geographic Code'])].filter(Boolean);
  const classifications = Array.isArray(row.classifications) ? (row.classifications as string[]) : [str(row['Classifications:Title'])].filter(Boolean);
  return {
    grant: {
      identifier,
      title: title.slice(0, 500),
      description: str(row.Description).slice(0, 5000),
      amountPence: Math.round(amount * 100),
      awardDate,
      funderIdentifier,
      funderName,
      recipientIdentifier: str(row['Recipient Org:Identifier']) || null,
      recipientName: str(row['Recipient Org:Name']) || null,
      charityNumber: str(row['Recipient Org:Charity Number']) || null,
      companyNumber: str(row['Recipient Org:Company Number']) || null,
      programme: str(row['Grant Programme:Title']),
      geoCodes: geo,
      classifications,
      recipientIncomePence: incomeText ? Math.round(income * 100) : null,
    },
  };
}
