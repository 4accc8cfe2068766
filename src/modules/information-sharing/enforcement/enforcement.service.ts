import type { Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { formatDate, ukToday } from '../../../platform/dates.ts';
import { refuse } from '../../../platform/refusal.ts';
import { normaliseNhsNumber } from '../../social-prescribing/index.ts';
import { flowTypes, itemName, type FlowType } from '../catalogue.ts';
import * as repo from './enforcement.repository.ts';

/*
 * The app enforces agreements. Each of Common Ground's own flows of personal data asks here
 * first: it happens only while an active agreement covers those parties and those data items,
 * or on the person's recorded explicit consent. Refusals say exactly what is missing. Allowed
 * flows are written to the audit log against the agreement, which counts them.
 *
 * Active flows are cached per process, keyed by the database's generation token (changed by a
 * trigger with every change to agreements, parties, flows or signatures) and the UK date, so a
 * check costs one small query and a lookup, and no process uses an out-of-date answer.
 */

type Index = Map<string, repo.ActiveFlow[]>;
const cache = new Map<string, Index>();
const CACHE_ENTRIES = 16;
const keyOf = (flowType: string | null, from: string, to: string) => `${flowType ?? '*'}|${from}|${to}`;

async function activeIndex(db: Queryable, on: string): Promise<Index> {
  const key = `${await repo.generationToken(db)}|${on}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const index: Index = new Map();
  for (const f of await repo.activeFlows(db, on)) {
    const k = keyOf(f.flowType, f.fromOrganisationId, f.toOrganisationId);
    index.set(k, [...(index.get(k) ?? []), f]);
  }
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, index);
  return index;
}

export type FlowRequest = {
  flowType: FlowType;
  fromOrganisationId: string;
  toOrganisationId: string;
  /** Catalogue ids of the items sent ('sp.name' …). */
  dataItems: string[];
  /** The person's explicit consent to this sharing is recorded, and is the basis asked for. */
  consentBasis?: boolean;
  /** What the flow is (an onward referral's id …), for the audit entry. */
  reference?: string;
  /** The form field a refusal is shown against. */
  field?: string;
  /** Whose information flows: their withdrawals, objections and opt-out are checked first. */
  person?: { id: string; nhsNumber?: string | null };
};

export type FlowAllowed = { basis: 'agreement'; agreementId: string; title: string } | { basis: 'consent' };

/** The active agreements' flows that cover this request (no audit entry): for pages and benchmarks. */
export async function coveringAgreement(db: Queryable, r: Omit<FlowRequest, 'consentBasis' | 'reference'>, on = ukToday()): Promise<repo.ActiveFlow | undefined> {
  const index = await activeIndex(db, on);
  const candidates = [...(index.get(keyOf(r.flowType, r.fromOrganisationId, r.toOrganisationId)) ?? []), ...(index.get(keyOf(null, r.fromOrganisationId, r.toOrganisationId)) ?? [])];
  return candidates.find((f) => r.dataItems.every((d) => f.dataItems.includes(d)));
}

/**
 * Asks whether a flow may happen, and records it against the agreement that allows it (pass the
 * transaction of the change the flow is part of). Throws a refusal naming what is missing.
 */
export async function allowFlow(db: Queryable, actor: Actor | null, r: FlowRequest, now = new Date()): Promise<FlowAllowed> {
  const on = ukToday(now);
  if (r.person) await respectChoices(db, r);
  const covering = await coveringAgreement(db, r, on);
  if (covering) {
    await recordAudit(db, { actor, action: 'flow_allowed', recordType: 'sharing_agreement', recordId: covering.agreementId, details: { flowType: r.flowType, from: r.fromOrganisationId, to: r.toOrganisationId, dataItems: r.dataItems, reference: r.reference ?? null } });
    return { basis: 'agreement', agreementId: covering.agreementId, title: covering.title };
  }
  if (r.consentBasis) {
    await recordAudit(db, { actor, action: 'flow_allowed_on_consent', recordType: 'sharing_flow_type', recordId: r.flowType, details: { from: r.fromOrganisationId, to: r.toOrganisationId, dataItems: r.dataItems, reference: r.reference ?? null } });
    return { basis: 'consent' };
  }
  throw refuse.conflict(r.field ?? 'form', await whatIsMissing(db, r, on));
}

/**
 * People's choices come before any agreement: a recorded withdrawal of consent or objection stops
 * the flows it covers at once, and the national data opt-out keeps people out of every flow that
 * is not for their own care. (A refusal rolls back the caller's transaction, so it is not audited here.)
 */
async function respectChoices(db: Queryable, r: FlowRequest): Promise<void> {
  const person = r.person!;
  const type = flowTypes[r.flowType];
  const what = type.what;
  const refused = (message: string) => refuse.conflict(r.field ?? 'form', message);
  const choice = await repo.latestChoice(db, person.id, r.flowType);
  if (choice && !choice.given) {
    throw refused(`The person withdrew their consent to (or objected to) sharing for a ${what} on ${formatDate(choice.recordedOn)}${choice.recordedByName ? `, recorded by ${choice.recordedByName}` : ''}. Nothing has been shared. Share again only if they give their consent again, and record it first.`);
  }
  if (!type.individualCare && person.nhsNumber && (await repo.onOptOutList(db, normaliseNhsNumber(person.nhsNumber)))) {
    throw refused(`The person is on the national data opt-out list, so their information is not used for a ${what}, which is beyond their own care. Nothing has been shared.`);
  }
}

/**
 * Records a person's choice about the flows a consent covers (called where social prescribing
 * records a consent, in its transaction): a withdrawal stops those flows for them at once.
 */
export async function recordPersonChoice(db: Queryable, c: { personId: string; consentKind: string; given: boolean; recordedOn: string; recordedByName: string | null }): Promise<void> {
  for (const [flowType, type] of Object.entries(flowTypes)) {
    if (type.consentKind === c.consentKind) await repo.insertChoice(db, { personId: c.personId, flowType, given: c.given, recordedOn: c.recordedOn, recordedByName: c.recordedByName });
  }
}

async function whatIsMissing(db: Queryable, r: FlowRequest, on: string): Promise<string> {
  const names = await repo.organisationNames(db, [r.fromOrganisationId, r.toOrganisationId]);
  const from = names.get(r.fromOrganisationId) ?? 'the sending organisation';
  const to = names.get(r.toOrganisationId) ?? 'the receiving organisation';
  const what = flowTypes[r.flowType].what;
  const index = await activeIndex(db, on);
  const partial = [...(index.get(keyOf(r.flowType, r.fromOrganisationId, r.toOrganisationId)) ?? []), ...(index.get(keyOf(null, r.fromOrganisationId, r.toOrganisationId)) ?? [])];
  // Consent is a basis for one person's referral, never for a bulk load about many people.
  const consent = flowTypes[r.flowType].individualCare ? ' Or, if the person has given explicit consent to this sharing, record that and share on that basis.' : '';
  if (partial.length) {
    const best = partial[0];
    const notListed = r.dataItems.filter((d) => !best.dataItems.includes(d)).map(itemName);
    return `The active agreement “${best.title}” does not list ${notListed.join(', ')} for this ${what} from ${from} to ${to}. Share only the details it lists, or ask your information governance lead to add these.${consent}`;
  }
  const pending = await repo.inactiveAgreementsFor(db, r.flowType, r.fromOrganisationId, r.toOrganisationId);
  if (pending.length) {
    const reasons = pending.map((p) => {
      const why = p.endOn && on >= p.endOn ? `it ended on ${p.endOn}` : p.waitingFor.length ? `it is waiting for signatures from ${p.waitingFor.join(', ')}` : p.startOn && on < p.startOn ? `it starts on ${p.startOn}` : 'it is not complete';
      return `“${p.title}” is not active: ${why}`;
    });
    return `No active information sharing agreement covers this ${what} from ${from} to ${to}. ${reasons.join('. ')}.${consent}`;
  }
  return `No information sharing agreement covers this ${what} from ${from} to ${to}: an agreement between them listing ${r.dataItems.map(itemName).join(', ')} is missing. Ask your information governance lead.${consent}`;
}
