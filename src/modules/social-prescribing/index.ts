/** Social prescribing: people, referrals, caseloads, connecting to community services, outcomes. */
export { socialPrescribingModule } from './social-prescribing.module.ts';
