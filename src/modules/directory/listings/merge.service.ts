import crypto from 'node:crypto';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { isUuid } from '../../../platform/ids.ts';
import { refuse } from '../../../platform/refusal.ts';
import { transferMemberships } from '../../identity/index.ts';
import { loadOrganisationRecords, saveOrganisationRecords } from '../directory.repository.ts';
import { canManageDirectory } from '../directory.policy.ts';
import * as repo from './listings.repository.ts';

/* Possible duplicate organisations: an admin dismisses the flag or merges the two. */

export async function duplicateFlags(db: Queryable, actor: Actor, page: { limit: number; offset: number }) {
  if (!canManageDirectory(actor)) throw refuse.forbidden('Only partnership admins can merge organisations.');
  return repo.openDuplicateFlags(db, page);
}

export async function duplicateFlagForMerge(db: Queryable, actor: Actor, flagId: string) {
  if (!canManageDirectory(actor)) throw refuse.forbidden('Only partnership admins can merge organisations.');
  if (!isUuid(flagId)) throw refuse.notFound('Possible duplicate');
  const flag = await repo.findOpenDuplicateFlag(db, flagId);
  if (!flag) throw refuse.notFound('Possible duplicate');
  const organisations = await loadOrganisationRecords(db, [flag.organisationId, flag.candidateId]);
  if (organisations.length !== 2) throw refuse.notFound('Possible duplicate');
  return { flag, organisations };
}

export async function dismissDuplicate(db: Database, actor: Actor, flagId: string): Promise<void> {
  const { flag, organisations } = await duplicateFlagForMerge(db, actor, flagId);
  await db.transaction(async (tx) => {
    if (!(await repo.closeDuplicateFlag(tx, flag.id, 'dismissed', actor.userId))) throw refuse.notFound('Possible duplicate');
    for (const o of organisations) {
      const other = organisations.find((x) => x.id !== o.id)!;
      await recordAudit(tx, { actor, action: 'not_a_duplicate', recordType: 'organisation', recordId: o.id, details: { notTheSameAs: other.name } });
    }
  });
}

/**
 * Merges the other organisation of a flag into the one kept, in one transaction: its services,
 * locations, contacts, problem reports and people's roles move; identifiers the kept one lacks
 * are copied; the other is marked merged (it stays, with its history, but leaves every list).
 */
export async function mergeDuplicate(db: Database, actor: Actor, flagId: string, keepId: string): Promise<{ kept: { id: string; name: string }; merged: { id: string; name: string } }> {
  const { flag } = await duplicateFlagForMerge(db, actor, flagId);
  if (keepId !== flag.organisationId && keepId !== flag.candidateId) throw refuse.invalid('keep', 'Select the organisation to keep');
  const otherId = keepId === flag.organisationId ? flag.candidateId : flag.organisationId;
  return db.transaction(async (tx) => {
    const [kept, other] = [await repo.lockOrganisation(tx, keepId), await repo.lockOrganisation(tx, otherId)];
    if (!kept || !other || kept.mergedIntoId || other.mergedIntoId) throw refuse.notFound('Possible duplicate');
    const [keptRecord, otherRecord] = await loadOrganisationRecords(tx, [keepId, otherId]);

    const has = new Set(keptRecord.identifiers.map((i) => `${i.scheme}|${i.identifier.toUpperCase()}`));
    const copied = otherRecord.identifiers.filter((i) => !has.has(`${i.scheme}|${i.identifier.toUpperCase()}`));
    if (copied.length) {
      keptRecord.identifiers.push(...copied.map((i) => ({ ...i, id: crypto.randomUUID() })));
      await saveOrganisationRecords(tx, [keptRecord]);
    }
    const moved = await repo.moveOrganisationContents(tx, otherId, keepId);
    await transferMemberships(tx, otherId, keepId);
    await repo.closeDuplicateFlag(tx, flag.id, 'merged', actor.userId);

    const identifiers = copied.map((i) => `${i.scheme}-${i.identifier}`).join(', ') || 'none';
    await recordAudit(tx, {
      actor,
      action: 'merged',
      recordType: 'organisation',
      recordId: keepId,
      details: { mergedFrom: otherRecord.name, servicesMoved: moved.services, identifiersCopied: identifiers },
    });
    await recordAudit(tx, { actor, action: 'merged', recordType: 'organisation', recordId: otherId, details: { mergedInto: keptRecord.name, servicesMoved: moved.services } });
    for (const serviceId of moved.serviceIds) {
      await recordAudit(tx, { actor, action: 'updated', recordType: 'service', recordId: serviceId, details: { changes: { organisation: { from: otherRecord.name, to: keptRecord.name } } } });
    }
    return { kept: { id: keepId, name: keptRecord.name }, merged: { id: otherId, name: otherRecord.name } };
  });
}
