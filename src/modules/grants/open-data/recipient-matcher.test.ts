import { describe, expect, it } from 'vitest';
import { recipientMatcher } from './open-data.service.ts';
import type { ExternalGrant } from './open-data.repository.ts';

const grant = (recipient: Partial<ExternalGrant>): ExternalGrant => ({
  identifier: '360G-x-1', title: 'T', description: '', amountPence: 100, awardDate: '2025-01-01', funderIdentifier: 'GB-CHC-1', funderName: 'F',
  recipientIdentifier: null, recipientName: null, charityNumber: null, companyNumber: null, programme: '', geoCodes: [], classifications: [], recipientIncomePence: null,
  ...recipient,
});

describe('matching an imported grant’s recipient to a directory organisation', () => {
  const match = recipientMatcher([
    { organisationId: 'org-a', scheme: 'GB-CHC', identifier: '1123456' },
    { organisationId: 'org-b', scheme: 'GB-COH', identifier: 'SC012345' },
    { organisationId: 'org-c', scheme: 'GB-MPR', identifier: 'RS007' },
  ]);
  it('matches by org-id whatever the case, then charity number, then company number', () => {
    expect(match(grant({ recipientIdentifier: 'gb-mpr-rs007' }))).toBe('org-c');
    expect(match(grant({ recipientIdentifier: 'GB-CHC-1123456' }))).toBe('org-a');
    expect(match(grant({ recipientIdentifier: '360G-other-org-9', charityNumber: '1123456' }))).toBe('org-a');
    expect(match(grant({ companyNumber: 'sc012345' }))).toBe('org-b');
  });
  it('leaves a recipient no directory organisation holds unmatched', () => {
    expect(match(grant({ recipientIdentifier: 'GB-CHC-999', charityNumber: '999', companyNumber: '00000001' }))).toBeNull();
    expect(match(grant({}))).toBeNull();
  });
});
