import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { Refusal } from '../../../platform/refusal.ts';
import { buildOrganisation, buildUser, createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { buildAgreement, SP_REFERRAL_ITEMS, SP_SUMMARY_ITEMS } from '../../../../test/support/sharing.ts';
import { flowTypeIds, type FlowType } from '../catalogue.ts';
import { allowFlow } from './enforcement.service.ts';
import * as agreementsRepo from '../agreements/agreements.repository.ts';

/*
 * The access test: each of Common Ground's own flow types is refused without an active agreement
 * covering its parties and data items, on both database engines (this file's name puts it in
 * the PostgreSQL run too).
 */

const itemsOf: Record<FlowType, string[]> = { sp_referral: ['sp.name', 'sp.phone'], sp_outcome_summary: SP_SUMMARY_ITEMS, insight_load: ['insight.service_use', 'insight.area'] };

async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error('the flow was allowed');
}

describe('Common Ground enforces information sharing agreements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  async function parties() {
    const from = await buildOrganisation(t.db, { name: `Sending Org ${Math.random().toString(36).slice(2, 7)}` });
    const to = await buildOrganisation(t.db, { name: `Receiving Org ${Math.random().toString(36).slice(2, 7)}` });
    const fromSignatory = await buildUser(t.db, { role: 'organisation_editor', organisationId: from.id });
    const toSignatory = await buildUser(t.db, { role: 'organisation_editor', organisationId: to.id });
    return { from, to, fromSignatory, toSignatory };
  }

  it.each(flowTypeIds)('%s: refused without any agreement, naming the parties and the missing items', async (flowType) => {
    const p = await parties();
    const refused = await refusal(allowFlow(t.db, null, { flowType, fromOrganisationId: p.from.id, toOrganisationId: p.to.id, dataItems: itemsOf[flowType] }));
    expect(refused.status).toBe(409);
    expect(refused.message).toContain(`from ${p.from.name} to ${p.to.name}`);
    expect(refused.message).toContain('is missing');
  });

  it.each(flowTypeIds)('%s: refused while the agreement waits for a signature, allowed once every party signs, and counted', async (flowType) => {
    const p = await parties();
    const id = await buildAgreement(t.db, {
      title: `Pending ${flowType}`,
      parties: [{ organisationId: p.from.id, signatoryUserId: p.fromSignatory.id }, { organisationId: p.to.id, signatoryUserId: p.toSignatory.id }],
      flows: [{ flowType, from: p.from.id, to: p.to.id, dataItems: itemsOf[flowType] }],
      signedBy: [p.from.id],
    });
    const request = { flowType, fromOrganisationId: p.from.id, toOrganisationId: p.to.id, dataItems: itemsOf[flowType] };
    const refused = await refusal(allowFlow(t.db, null, request));
    expect(refused.message).toContain(`“Pending ${flowType}” is not active: it is waiting for signatures from ${p.to.name}`);

    const agreement = (await agreementsRepo.findAgreement(t.db, id))!;
    await agreementsRepo.insertSignature(t.db, { agreementId: id, organisationId: p.to.id, fingerprint: agreement.fingerprint, userId: p.toSignatory.id, name: p.toSignatory.name });
    expect(await allowFlow(t.db, null, { ...request, reference: 'ref-1' })).toEqual({ basis: 'agreement', agreementId: id, title: `Pending ${flowType}` });
    const counted = await t.db.query<{ details: { reference: string } }>(`select details from audit_log where record_type = 'sharing_agreement' and record_id = $1 and action = 'flow_allowed'`, [id]);
    expect(counted.map((c) => c.details.reference)).toEqual(['ref-1']);

    // The other way round is a different flow: not covered.
    await refusal(allowFlow(t.db, null, { ...request, fromOrganisationId: p.to.id, toOrganisationId: p.from.id }));
  });

  it('refuses data items the agreement does not list, naming them', async () => {
    const p = await parties();
    await buildAgreement(t.db, {
      title: 'Names and phones only',
      parties: [{ organisationId: p.from.id, signatoryUserId: p.fromSignatory.id }, { organisationId: p.to.id, signatoryUserId: p.toSignatory.id }],
      flows: [{ flowType: 'sp_referral', from: p.from.id, to: p.to.id, dataItems: ['sp.name', 'sp.phone'] }],
    });
    const refused = await refusal(allowFlow(t.db, null, { flowType: 'sp_referral', fromOrganisationId: p.from.id, toOrganisationId: p.to.id, dataItems: ['sp.name', 'sp.date_of_birth', 'sp.reasons'] }));
    expect(refused.message).toContain('“Names and phones only” does not list Date of birth, Reasons for referral (needs)');
    expect((await allowFlow(t.db, null, { flowType: 'sp_referral', fromOrganisationId: p.from.id, toOrganisationId: p.to.id, dataItems: ['sp.name'] })).basis).toBe('agreement');
  });

  it('refuses before the start date and from the end date', async () => {
    const p = await parties();
    const today = ukToday();
    await buildAgreement(t.db, {
      title: 'Starts next week',
      parties: [{ organisationId: p.from.id, signatoryUserId: p.fromSignatory.id }, { organisationId: p.to.id, signatoryUserId: p.toSignatory.id }],
      flows: [{ flowType: 'sp_referral', from: p.from.id, to: p.to.id, dataItems: SP_REFERRAL_ITEMS }],
      startOn: addDays(today, 7),
      reviewOn: addDays(today, 100),
      endOn: addDays(today, 200),
    });
    const request = { flowType: 'sp_referral' as const, fromOrganisationId: p.from.id, toOrganisationId: p.to.id, dataItems: ['sp.name'] };
    expect((await refusal(allowFlow(t.db, null, request))).message).toContain(`it starts on ${addDays(today, 7)}`);
    expect((await allowFlow(t.db, null, request, new Date(Date.now() + 8 * 86_400_000))).basis).toBe('agreement');
    expect((await refusal(allowFlow(t.db, null, request, new Date(Date.now() + 201 * 86_400_000)))).message).toContain(`it ended on ${addDays(today, 200)}`);
  });

  it('allows a flow on the person’s explicit consent when no agreement covers it, and records the basis', async () => {
    const p = await parties();
    const allowed = await allowFlow(t.db, null, { flowType: 'sp_referral', fromOrganisationId: p.from.id, toOrganisationId: p.to.id, dataItems: ['sp.name'], consentBasis: true, reference: 'on-consent' });
    expect(allowed).toEqual({ basis: 'consent' });
    const [entry] = await t.db.query<{ details: Record<string, unknown> }>(`select details from audit_log where action = 'flow_allowed_on_consent' and details->>'reference' = 'on-consent'`);
    expect(entry.details).toMatchObject({ from: p.from.id, to: p.to.id, dataItems: ['sp.name'] });
  });
});
