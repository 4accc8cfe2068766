import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { createUserWithMembership } from '../../identity/index.ts';
import { caldicottPrinciples, type FlowType } from '../catalogue.ts';
import * as assuranceRepo from '../assurance/assurance.repository.ts';
import * as repo from '../agreements/agreements.repository.ts';
import { fingerprintOf } from '../agreements/agreements.service.ts';
import * as demo from './demo.repository.ts';

/*
 * Agreements made without the forms: for the demo partnership, for tests that need an active
 * agreement, and for the benchmark. Each party is set up (assurance, senior signatory, the
 * protocol signed) and, unless told otherwise, signs the agreement.
 */

export const DEMO_PROTOCOL = {
  title: 'Wyndale information sharing protocol',
  body: [
    'The partners of Wyndale share information to help people live well: so that health, social care and community support can follow a single conversation with the person.',
    'Each partner shares only what a purpose-specific agreement lists, keeps it secure, answers people’s rights requests, and reports breaches to the other partners within 24 hours.',
    'Each partner keeps its Data Security and Protection Toolkit up to date, and names a senior signatory who signs agreements on its behalf.',
  ].join('\n\n'),
};

const caldicottAnswers = Object.fromEntries(caldicottPrinciples.map((_p, i) => [String(i + 1), ['The purpose is written in the agreement', 'Only for people who are referred', 'Only the listed items', 'Only the receiving team', 'Staff are trained each year', 'Bases recorded per flow', 'Sharing supports the person’s care', 'People are told at referral'][i]]));

/** Assurance for an organisation, a senior signatory, and the current protocol signed by them. */
export async function setUpOrganisation(db: Queryable, organisationId: string, signatoryUserId: string): Promise<void> {
  if (!(await assuranceRepo.currentProtocol(db))) await assuranceRepo.insertProtocol(db, { id: crypto.randomUUID(), ...DEMO_PROTOCOL, publishedBy: null });
  const existing = await assuranceRepo.findAssurance(db, organisationId);
  const fields = { icoRegistration: `ZA${String(100000 + (parseInt(organisationId.slice(0, 6), 16) % 899999)).padStart(6, '0')}`, dsptStatus: 'standards_met', dsptYear: '2025/26', dpoName: 'Data Protection Officer (shared service)', caldicottGuardianName: 'Caldicott Guardian', siroName: 'Director of Finance', igLeadName: 'Information governance team', seniorSignatoryUserId: signatoryUserId };
  await assuranceRepo.saveAssurance(db, organisationId, existing?.version ?? 0, fields, true);
  const protocol = (await assuranceRepo.currentProtocol(db))!;
  await assuranceRepo.signProtocol(db, { organisationId, protocolId: protocol.id, userId: signatoryUserId, name: await demo.userName(db, signatoryUserId) });
}

export type SeedFlow = { flowType?: FlowType; from: string; to: string; dataItems: string[]; identifiability?: 'identifiable' | 'pseudonymised' | 'anonymised' | 'aggregate' };
export type SeedAgreement = {
  title: string;
  purpose?: string;
  /** Each party and who signs for it (set up first when given). */
  parties: { organisationId: string; signatoryUserId: string }[];
  flows: SeedFlow[];
  startOn?: string;
  reviewOn?: string;
  endOn?: string;
  /** The parties that sign; all of them unless given. */
  signedBy?: string[];
};

/** A complete agreement, its parties set up, signed by the parties asked. Returns its id. */
export async function seedAgreement(db: Queryable, s: SeedAgreement, now = new Date()): Promise<string> {
  const today = ukToday(now);
  for (const p of s.parties) await setUpOrganisation(db, p.organisationId, p.signatoryUserId);
  const id = crypto.randomUUID();
  const details: repo.AgreementDetails = {
    title: s.title,
    purpose: s.purpose ?? 'People are connected to the support that matters to them, and the services they use work as one.',
    benefits: 'People tell their story once; partners can plan services together.',
    uses: ['deliver', 'evaluate'],
    retention: 'Each party keeps what it receives for as long as it supports the person, and at most 2 years after the last contact; then it is deleted securely.',
    security: 'Sent only through Common Ground or secure email; stored on systems that meet the Data Security and Protection Toolkit.',
    rightsRequests: 'Each party answers requests about the data it holds within one month, and tells the other parties of any correction.',
    rightsContact: 'The partnership information governance team',
    breachProcedure: 'A party reports a breach to the others within 24 hours and to the ICO within 72 hours where required.',
    startOn: s.startOn ?? addDays(today, -30),
    reviewOn: s.reviewOn ?? addDays(today, 335),
    endOn: s.endOn ?? addDays(today, 700),
  };
  await repo.insertAgreement(db, { id, title: details.title, purpose: details.purpose, benefits: details.benefits, uses: details.uses, createdBy: null, fingerprint: 'new' });
  await repo.updateAgreement(db, id, 1, details);
  for (const p of s.parties) await repo.insertParty(db, id, p.organisationId, 'controller');
  for (const f of s.flows) {
    const identifiability = f.identifiability ?? 'identifiable';
    await repo.insertFlow(db, id, {
      id: crypto.randomUUID(),
      flowType: f.flowType ?? null,
      fromOrganisationId: f.from,
      toOrganisationId: f.to,
      dataItems: f.dataItems,
      identifiability,
      frequency: f.flowType === 'insight_load' ? 'Monthly' : 'Each referral',
      method: 'Through Common Ground',
      article6: '6(1)(e)',
      article9: '9(2)(h)',
      schedule1: 'sch1-p2',
      confidentialityBasis: identifiability === 'pseudonymised' ? 'section_251' : 'implied_consent',
      optOutApplies: f.flowType === 'insight_load',
      caldicott: caldicottAnswers,
    });
  }
  const agreement = (await repo.findAgreement(db, id))!;
  const fingerprint = fingerprintOf(agreement);
  await repo.setFingerprint(db, id, fingerprint);
  for (const p of s.parties) {
    if (s.signedBy && !s.signedBy.includes(p.organisationId)) continue;
    await repo.insertSignature(db, { agreementId: id, organisationId: p.organisationId, fingerprint, userId: p.signatoryUserId, name: await demo.userName(db, p.signatoryUserId) });
  }
  return id;
}

export const SP_REFERRAL_ITEMS = ['sp.name', 'sp.date_of_birth', 'sp.phone', 'sp.email', 'sp.address', 'sp.communication_needs', 'sp.reasons'];
export const SP_SUMMARY_ITEMS = ['sp.name', 'sp.nhs_number', 'sp.date_of_birth', 'sp.outcome_measures', 'sp.support_connected'];

type Anchors = { partnership: string; council: string; pcn: string; gpPractice: string; charity: string };

async function demoSignatory(db: Database, organisationId: string, name: string, email: string): Promise<string> {
  return (await demo.userIdByEmail(db, email)) ?? createUserWithMembership(db, { name, email, password: crypto.randomBytes(24).toString('base64url'), organisationId, role: 'organisation_editor' });
}

/**
 * The demo's agreements: social prescribing in Wyndale (the PCN, its practices and the demo
 * charity: referrals and outcome summaries), active; and whole-system insight from the council to
 * the partnership, signed by both and active, so the demo's insight loads (which are checked
 * against it) are allowed.
 */
export async function loadDemoSharing(db: Database, anchors: Anchors, now = new Date()): Promise<void> {
  const today = ukToday(now);
  const practices = await demo.practicesOf(db, anchors.pcn);
  const pcnSignatory = await demoSignatory(db, anchors.pcn, 'Priya Clinical-Director', 'pcn-director@demo.common-ground.invalid');
  const charitySignatory = (await demo.userIdByEmail(db, 'editor@demo.common-ground.invalid')) ?? (await demoSignatory(db, anchors.charity, 'Charity Signatory', 'charity-signatory@demo.common-ground.invalid'));
  const practiceParties = [];
  for (const [i, practice] of (practices.length ? practices : [anchors.gpPractice]).entries()) {
    practiceParties.push({ organisationId: practice, signatoryUserId: await demoSignatory(db, practice, `Practice Manager ${i + 1}`, `practice-manager-${i + 1}@demo.common-ground.invalid`) });
  }
  await seedAgreement(
    db,
    {
      title: 'Social prescribing in Wyndale',
      purpose: 'People who are lonely, isolated or struggling are connected by a link worker to community support near them, and their GP practice knows how it went.',
      parties: [{ organisationId: anchors.pcn, signatoryUserId: pcnSignatory }, { organisationId: anchors.charity, signatoryUserId: charitySignatory }, ...practiceParties],
      flows: [
        { flowType: 'sp_referral', from: anchors.pcn, to: anchors.charity, dataItems: SP_REFERRAL_ITEMS },
        ...practiceParties.map((p) => ({ flowType: 'sp_outcome_summary' as const, from: anchors.pcn, to: p.organisationId, dataItems: SP_SUMMARY_ITEMS })),
      ],
      startOn: addDays(today, -200),
      reviewOn: addDays(today, 80),
      endOn: addDays(today, 530),
    },
    now,
  );
  // The demo analyst works for the council and has signed for it: the insight loads need this agreement active.
  const councilSignatory = (await demo.userIdByEmail(db, 'analyst@demo.common-ground.invalid')) ?? (await demoSignatory(db, anchors.council, 'Sam Siro', 'council-siro@demo.common-ground.invalid'));
  const partnershipSignatory = await demoSignatory(db, anchors.partnership, 'Jordan Partnership-Director', 'partnership-director@demo.common-ground.invalid');
  await seedAgreement(
    db,
    {
      title: 'Whole-system insight for Wyndale',
      purpose: 'The partnership understands how people move between services, so it can design and evaluate them together.',
      parties: [{ organisationId: anchors.council, signatoryUserId: councilSignatory }, { organisationId: anchors.partnership, signatoryUserId: partnershipSignatory }],
      flows: [{ flowType: 'insight_load', from: anchors.council, to: anchors.partnership, dataItems: ['insight.service_use', 'insight.area'], identifiability: 'pseudonymised' }],
    },
    now,
  );
}
