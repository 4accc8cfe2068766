import type { Database } from '../../src/platform/db/database.ts';
import { seedAgreement, SP_REFERRAL_ITEMS, SP_SUMMARY_ITEMS, type SeedAgreement } from '../../src/modules/information-sharing/demo/demo-sharing.ts';

/** Information sharing set-up for tests: an agreement, its parties set up and (unless told) signed by all. */
export function buildAgreement(db: Database, agreement: SeedAgreement): Promise<string> {
  return seedAgreement(db, agreement);
}

/** An active agreement covering social prescribing referrals from a PCN to a community organisation, with every detail the form can share. */
export function buildReferralAgreement(db: Database, p: { pcnId: string; pcnSignatoryId: string; organisationId: string; organisationSignatoryId: string }): Promise<string> {
  return seedAgreement(db, {
    title: 'Test social prescribing referrals',
    parties: [{ organisationId: p.pcnId, signatoryUserId: p.pcnSignatoryId }, { organisationId: p.organisationId, signatoryUserId: p.organisationSignatoryId }],
    flows: [{ flowType: 'sp_referral', from: p.pcnId, to: p.organisationId, dataItems: SP_REFERRAL_ITEMS }],
  });
}

export { SP_REFERRAL_ITEMS, SP_SUMMARY_ITEMS };
