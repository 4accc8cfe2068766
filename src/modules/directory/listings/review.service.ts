import type { Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { isUuid } from '../../../platform/ids.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canEditOrganisation, canSeeAllListings, canViewListingHistory, editableOrganisations } from '../directory.policy.ts';
import * as repo from './listings.repository.ts';
import { noteDisagreesWithTimes } from './times-in-notes.ts';

/* Which listings may be out of date, and who changed what. */

export const PAGE_SIZE = 25;

/**
 * The Your listings page: a partnership admin sees the staleness dashboard (or, asking for one
 * organisation, its listings); an editor the listings of the organisations they edit.
 */
export async function yourListings(db: Queryable, actor: Actor, staleAfterMonths: number, ask: { organisation?: string; page: number }) {
  if (canSeeAllListings(actor) && !ask.organisation) return { dashboard: await staleDashboard(db, actor, staleAfterMonths, ask.page) };
  return { listings: await listingsForActor(db, actor, staleAfterMonths, ask.organisation) };
}

/** An editor's (or, for one organisation, an admin's) listings, grouped by organisation. */
async function listingsForActor(db: Queryable, actor: Actor, staleAfterMonths: number, organisationId?: string) {
  const editable = editableOrganisations(actor);
  let ids: string[];
  if (organisationId) {
    if (!isUuid(organisationId)) throw refuse.notFound('Organisation');
    if (!canEditOrganisation(actor, organisationId)) throw refuse.forbidden('You can only see the listings of organisations you edit.');
    ids = [organisationId];
  } else {
    if (editable === 'all') throw new Error('admins see the dashboard');
    ids = editable;
  }
  const organisations = await repo.organisationNames(db, ids);
  if (organisationId && !organisations.length) throw refuse.notFound('Organisation');
  const listed = await repo.listingsOf(db, organisations.map((o) => o.id), staleAfterMonths);
  // A note that restates times that are no longer the structured ones puts the listing due for review.
  const notes = await repo.schedulesWithNotes(db, listed.map((r) => r.id));
  const disagreeing = new Set(notes.filter((n) => noteDisagreesWithTimes(n.description, n)).map((n) => n.serviceId));
  const rows = listed.map((r) => ({ ...r, notesDisagree: disagreeing.has(r.id) }));
  return {
    organisations: organisations.map((o) => ({ ...o, services: rows.filter((r) => r.organisationId === o.id) })),
    staleCount: rows.filter((r) => (r.stale || r.notesDisagree) && r.status !== 'defunct').length,
  };
}

async function staleDashboard(db: Queryable, actor: Actor, staleAfterMonths: number, page: number) {
  if (!canSeeAllListings(actor)) throw refuse.forbidden();
  const data = await repo.staleDashboard(db, staleAfterMonths, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return { ...data, page };
}

const fieldLabels: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  status: 'Status',
  reopeningDate: 'Reopening date',
  eligibilityDescription: 'Who can use it',
  minimumAge: 'Minimum age',
  maximumAge: 'Maximum age',
  cost: 'Cost',
  deliveryModes: 'How it is delivered',
  languages: 'Languages',
  email: 'Email',
  url: 'Website',
  website: 'Website',
  contact: 'Contact',
  needs: 'Needs',
  locations: 'Locations',
  times: 'Opening times',
  kind: 'Kind of organisation',
  organisation: 'Organisation',
  postcode: 'Postcode',
  charityNumber: 'Charity number',
  companyNumber: 'Company number',
  odsCode: 'NHS ODS code',
};

const actionNames: Record<string, string> = {
  created: 'Created',
  updated: 'Changed',
  reviewed: 'Checked: still correct',
  merged: 'Merged',
  imported: 'Imported',
  problem_resolved: 'Problem report resolved',
};

const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '(blank)' : typeof v === 'string' ? v : JSON.stringify(v));

/** Lists (places, times) read better as what was added and removed than as before and after. */
function listChange(field: string, c: { from: unknown; to: unknown }): { added?: string[]; removed?: string[] } {
  if (field !== 'times' && field !== 'locations') return {};
  const items = (v: unknown) => (typeof v === 'string' && v ? v.split('; ') : []);
  const before = items(c.from);
  const after = items(c.to);
  return { added: after.filter((x) => !before.includes(x)), removed: before.filter((x) => !after.includes(x)) };
}

/** The audit log of one service or organisation, in words, newest first. */
export async function listingHistory(db: Queryable, actor: Actor, recordType: 'service' | 'organisation', id: string, page: number) {
  if (!isUuid(id)) throw refuse.notFound(recordType === 'service' ? 'Service' : 'Organisation');
  let organisationId = id;
  let name: string;
  if (recordType === 'service') {
    const found = await repo.serviceOrganisation(db, id);
    if (!found) throw refuse.notFound('Service');
    organisationId = found.organisationId;
    name = found.serviceName;
  } else {
    const found = await repo.organisationSummary(db, id);
    if (!found) throw refuse.notFound('Organisation');
    name = found.name;
  }
  if (!canViewListingHistory(actor, organisationId)) throw refuse.forbidden('Only editors of this organisation and partnership admins can see its history.');
  const { total, rows } = await repo.auditHistory(db, recordType, id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const entries = rows.map((r) => {
    const changes = (r.details?.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
    const other = Object.entries(r.details ?? {})
      .filter(([k]) => k !== 'changes')
      .map(([k, v]) => ({ label: fieldLabels[k] ?? k.replace(/([A-Z])/g, ' $1').replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase()), value: shown(v) }));
    return {
      at: r.at,
      action: actionNames[r.action] ?? r.action.replace(/_/g, ' '),
      actorName: r.actorName ?? 'Someone not signed in, or the system',
      changes: Object.entries(changes).map(([field, c]) => ({ label: fieldLabels[field] ?? field, from: shown(c.from), to: shown(c.to), ...listChange(field, c) })),
      other,
    };
  });
  return { name, organisationId, entries, total, page };
}
