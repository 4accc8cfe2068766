import crypto from 'node:crypto';
import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { isUuid } from '../../../platform/ids.ts';
import { refuse, staleVersion } from '../../../platform/refusal.ts';
import { loadOrganisationRecords, saveOrganisationRecords } from '../directory.repository.ts';
import { canCreateOrganisation, canEditOrganisation, canManageDirectory } from '../directory.policy.ts';
import { organisationKinds, type OrganisationRecord } from '../directory.types.ts';
import { flagPossibleDuplicates, type DuplicateCandidate } from '../duplicates.ts';
import type { OrganisationFormData } from './listings.schemas.ts';
import * as repo from './listings.repository.ts';

/* Organisations: created by partnership admins, kept by their own editors. */

/** The identifiers the form asks for, as org-id schemes. */
const formIdentifiers = [
  { field: 'charityNumber', scheme: 'GB-CHC', type: 'charity number' },
  { field: 'companyNumber', scheme: 'GB-COH', type: 'company number' },
  { field: 'odsCode', scheme: 'GB-NHS', type: 'NHS ODS code' },
] as const;

export type OrganisationInput = Omit<OrganisationFormData, 'version'>;
/** A saved organisation, with the organisations it may be a duplicate of (flagged for an admin). */
export type SavedOrganisation = { id: string; possibleDuplicates: DuplicateCandidate[] };

const mayNotChange = () => refuse.forbidden('Only editors of this organisation and partnership admins can change it.');

function organisationSummary(o: OrganisationRecord): Record<string, string | null> {
  const identifier = (scheme: string) => o.identifiers.find((i) => i.scheme === scheme)?.identifier ?? null;
  return {
    name: o.name,
    kind: organisationKinds[o.kind] ?? o.kind,
    description: o.description || null,
    email: o.email ?? null,
    website: o.website ?? null,
    postcode: o.postcode ?? null,
    charityNumber: identifier('GB-CHC'),
    companyNumber: identifier('GB-COH'),
    odsCode: identifier('GB-NHS'),
  };
}

/** The form's values for a saved organisation. */
export function organisationFormValues(o: OrganisationRecord): Record<string, unknown> {
  const summary = organisationSummary(o);
  return { ...summary, kind: o.kind, description: o.description };
}

function applyOrganisationInput(record: OrganisationRecord, input: OrganisationInput): void {
  record.name = input.name;
  record.kind = input.kind;
  record.description = input.description ?? '';
  record.email = input.email;
  record.website = input.website;
  record.postcode = input.postcode;
  // Identifiers the form does not show (Scottish charity numbers, imported ones) are kept.
  const shown = new Set<string>(formIdentifiers.map((f) => f.scheme));
  const kept = record.identifiers.filter((i) => !shown.has(i.scheme));
  for (const f of formIdentifiers) {
    const value = input[f.field];
    if (!value) continue;
    const old = record.identifiers.find((i) => i.scheme === f.scheme);
    kept.push({ id: old?.identifier === value ? old.id : crypto.randomUUID(), scheme: f.scheme, type: f.type, identifier: value });
  }
  record.identifiers = kept;
}

async function flagDuplicates(tx: Queryable, record: OrganisationRecord) {
  return flagPossibleDuplicates(tx, { id: record.id, name: record.name, postcode: record.postcode, identifiers: record.identifiers });
}

export async function createOrganisation(db: Database, actor: Actor, input: OrganisationInput): Promise<SavedOrganisation> {
  if (!canCreateOrganisation(actor)) throw refuse.forbidden('Only partnership admins can add organisations.');
  return db.transaction(async (tx) => {
    const record: OrganisationRecord = { id: crypto.randomUUID(), name: '', description: '', kind: 'other', identifiers: [], lastReviewedAt: new Date() };
    applyOrganisationInput(record, input);
    await saveOrganisationRecords(tx, [record]);
    await recordAudit(tx, { actor, action: 'created', recordType: 'organisation', recordId: record.id, details: { changes: changedFields({}, organisationSummary(record)) } });
    return { id: record.id, possibleDuplicates: await flagDuplicates(tx, record) };
  });
}

export async function organisationForEditing(
  db: Queryable,
  actor: Actor,
  id: string,
): Promise<{ organisation: OrganisationRecord; version: string; mergedIntoId: string | null; mayMergeDuplicates: boolean }> {
  if (!isUuid(id)) throw refuse.notFound('Organisation');
  const summary = await repo.organisationSummary(db, id);
  if (!summary) throw refuse.notFound('Organisation');
  if (!canEditOrganisation(actor, id)) throw mayNotChange();
  const [organisation] = await loadOrganisationRecords(db, [id]);
  return { organisation, version: summary.version, mergedIntoId: summary.mergedIntoId, mayMergeDuplicates: canManageDirectory(actor) };
}

/** An organisation as saved, with its version: what the API answers after a change. */
export async function savedOrganisation(db: Queryable, actor: Actor, id: string): Promise<{ organisation: OrganisationRecord; version: string }> {
  const summary = await repo.organisationSummary(db, id);
  if (!summary) throw refuse.notFound('Organisation');
  if (!canEditOrganisation(actor, id)) throw mayNotChange();
  const [organisation] = await loadOrganisationRecords(db, [id]);
  return { organisation, version: summary.version };
}

/** Open possible-duplicate flags about an organisation, shown on its edit page. */
export async function organisationDuplicates(db: Queryable, actor: Actor, id: string) {
  if (!canEditOrganisation(actor, id)) throw mayNotChange();
  return repo.openFlagsFor(db, id);
}

export async function updateOrganisation(db: Database, actor: Actor, id: string, version: string | undefined, input: OrganisationInput): Promise<SavedOrganisation> {
  if (!isUuid(id)) throw refuse.notFound('Organisation');
  return db.transaction(async (tx) => {
    const current = await repo.lockOrganisation(tx, id);
    if (!current || current.mergedIntoId) throw refuse.notFound('Organisation');
    if (!canEditOrganisation(actor, id)) throw mayNotChange();
    if (version && version !== current.version) throw staleVersion('organisation');
    const [before] = await loadOrganisationRecords(tx, [id]);
    const after = structuredClone(before);
    applyOrganisationInput(after, input);
    after.lastReviewedAt = new Date();
    await saveOrganisationRecords(tx, [after]);
    await recordAudit(tx, { actor, action: 'updated', recordType: 'organisation', recordId: id, details: { changes: changedFields(organisationSummary(before), organisationSummary(after)) } });
    return { id, possibleDuplicates: await flagDuplicates(tx, after) };
  });
}
