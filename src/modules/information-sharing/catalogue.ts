/**
 * What agreements are written from: the data items that can flow (including the fields Common
 * Ground itself shares), the flow types Common Ground enforces, the lawful bases, the Caldicott
 * principles, and the ICO checklist an agreement must meet before it can be signed.
 */

export type DataItem = { id: string; name: string; specialCategory: boolean; commonGround?: boolean };

/** The catalogue. `sp.*` are the details a social prescribing referral or summary carries. */
export const dataItems: DataItem[] = [
  { id: 'sp.name', name: 'Name', specialCategory: false, commonGround: true },
  { id: 'sp.date_of_birth', name: 'Date of birth', specialCategory: false, commonGround: true },
  { id: 'sp.phone', name: 'Phone number', specialCategory: false, commonGround: true },
  { id: 'sp.email', name: 'Email address', specialCategory: false, commonGround: true },
  { id: 'sp.address', name: 'Address and postcode', specialCategory: false, commonGround: true },
  { id: 'sp.communication_needs', name: 'Communication needs', specialCategory: true, commonGround: true },
  { id: 'sp.reasons', name: 'Reasons for referral (needs)', specialCategory: true, commonGround: true },
  { id: 'sp.nhs_number', name: 'NHS number', specialCategory: false, commonGround: true },
  { id: 'sp.outcome_measures', name: 'Wellbeing outcome measures', specialCategory: true, commonGround: true },
  { id: 'sp.support_connected', name: 'Support the person was connected to', specialCategory: true, commonGround: true },
  { id: 'insight.service_use', name: 'Service use by pseudonymised person', specialCategory: true, commonGround: true },
  { id: 'insight.area', name: 'Small area (LSOA) of residence', specialCategory: false, commonGround: true },
  { id: 'care.diagnoses', name: 'Diagnoses and conditions', specialCategory: true },
  { id: 'care.care_plan', name: 'Care and support plan', specialCategory: true },
  { id: 'care.safeguarding', name: 'Safeguarding concerns', specialCategory: true },
  { id: 'care.housing', name: 'Housing situation', specialCategory: false },
];
const itemById = new Map(dataItems.map((i) => [i.id, i]));
export const dataItemIds = dataItems.map((i) => i.id) as [string, ...string[]];
export const itemName = (id: string) => itemById.get(id)?.name ?? id;
export const isSpecialCategory = (ids: string[]) => ids.some((id) => itemById.get(id)?.specialCategory);

/**
 * Common Ground's own flows of personal data: each happens only while an agreement covers it.
 * `individualCare` says whether the flow is for the person's own care: the national data opt-out
 * keeps people out of every flow that is not. `consentKind` is the consent (social prescribing's
 * record) whose withdrawal stops the flow for that person.
 */
export const flowTypes = {
  sp_referral: { name: 'Social prescribing referral: PCN link worker to a community organisation', what: 'social prescribing referral', recordsAs: 'referrals', individualCare: true, consentKind: 'share_with_organisation' },
  sp_outcome_summary: { name: 'Social prescribing outcome summary to the GP practice', what: 'outcome summary', recordsAs: 'outcome summaries', individualCare: true, consentKind: 'share_outcomes_with_gp' },
  insight_load: { name: 'Whole-system insight load from a partner', what: 'whole-system insight load', recordsAs: 'insight loads', individualCare: false, consentKind: null },
} as const;
export type FlowType = keyof typeof flowTypes;
export const flowTypeIds = Object.keys(flowTypes) as [FlowType, ...FlowType[]];

export const uses = { design: 'Design services', deliver: 'Deliver care and support', evaluate: 'Evaluate services' } as const;
export const useIds = Object.keys(uses) as [keyof typeof uses, ...(keyof typeof uses)[]];

export const identifiability = { identifiable: 'Identifiable', pseudonymised: 'Pseudonymised', anonymised: 'Anonymised', aggregate: 'Aggregate' } as const;
export const identifiabilityIds = Object.keys(identifiability) as [keyof typeof identifiability, ...(keyof typeof identifiability)[]];
/** The map's colour for each level: red for identifiable through to grey for aggregate. */
export const identifiabilityColour: Record<keyof typeof identifiability, string> = { identifiable: '#d5281b', pseudonymised: '#ed8b00', anonymised: '#007f3b', aggregate: '#4c6272' };

export const article6 = {
  '6(1)(a)': 'Article 6(1)(a) consent',
  '6(1)(b)': 'Article 6(1)(b) contract',
  '6(1)(c)': 'Article 6(1)(c) legal obligation',
  '6(1)(d)': 'Article 6(1)(d) vital interests',
  '6(1)(e)': 'Article 6(1)(e) public task',
  '6(1)(f)': 'Article 6(1)(f) legitimate interests',
} as const;
export const article9 = {
  '9(2)(a)': 'Article 9(2)(a) explicit consent',
  '9(2)(b)': 'Article 9(2)(b) employment and social protection',
  '9(2)(c)': 'Article 9(2)(c) vital interests',
  '9(2)(g)': 'Article 9(2)(g) substantial public interest',
  '9(2)(h)': 'Article 9(2)(h) health or social care',
  '9(2)(i)': 'Article 9(2)(i) public health',
  '9(2)(j)': 'Article 9(2)(j) archiving, research and statistics',
} as const;
/** Article 9 conditions that need a Schedule 1 condition of the Data Protection Act 2018 as well. */
export const needsSchedule1 = ['9(2)(b)', '9(2)(g)', '9(2)(h)', '9(2)(i)', '9(2)(j)'];
export const schedule1 = {
  'sch1-p1': 'Schedule 1 paragraph 1: employment, social security and social protection',
  'sch1-p2': 'Schedule 1 paragraph 2: health or social care purposes',
  'sch1-p3': 'Schedule 1 paragraph 3: public health',
  'sch1-p4': 'Schedule 1 paragraph 4: research',
  'sch1-p6': 'Schedule 1 paragraph 6: statutory and government purposes',
  'sch1-p18': 'Schedule 1 paragraph 18: safeguarding of children and individuals at risk',
} as const;
export const confidentiality = {
  implied_consent: 'Implied consent for individual care',
  explicit_consent: 'Explicit consent',
  section_251: 'Section 251 support',
  legal_requirement: 'A legal requirement',
  not_confidential: 'Not confidential (anonymised or aggregate)',
} as const;

export const caldicottPrinciples = [
  'Justify the purpose for using confidential information',
  'Use confidential information only when it is necessary',
  'Use the minimum necessary confidential information',
  'Access to confidential information should be on a strict need-to-know basis',
  'Everyone with access to confidential information should understand their responsibilities',
  'Comply with the law',
  'The duty to share information for individual care is as important as the duty to protect confidentiality',
  'Inform people about how their confidential information is used',
];

export const dsptStatuses = { standards_met: 'Standards met', approaching_standards: 'Approaching standards', not_met: 'Standards not met' } as const;
export const partyRoles = { controller: 'Controller', joint_controller: 'Joint controller', processor: 'Processor' } as const;

export type FlowForCheck = {
  dataItems: string[];
  identifiability: string;
  article6: string | null;
  article9: string | null;
  schedule1: string | null;
  confidentialityBasis: string | null;
  optOutApplies: boolean | null;
  caldicott: Record<string, string>;
};

/** What one flow still lacks, in the ICO checklist's terms. */
export function flowGaps(f: FlowForCheck): string[] {
  const gaps: string[] = [];
  if (!f.dataItems.length) gaps.push('the data items');
  if (!f.article6) gaps.push('a UK GDPR Article 6 lawful basis');
  if (isSpecialCategory(f.dataItems)) {
    if (!f.article9) gaps.push('an Article 9 condition for the special category (health) data it carries');
    else if (needsSchedule1.includes(f.article9) && !f.schedule1) gaps.push(`a Data Protection Act 2018 Schedule 1 condition (Article ${f.article9} needs one)`);
  }
  if ((f.identifiability === 'identifiable' || f.identifiability === 'pseudonymised') && !f.confidentialityBasis) gaps.push('how the common-law duty of confidentiality is met');
  if (f.optOutApplies === null) gaps.push('whether the national data opt-out applies');
  const unanswered = caldicottPrinciples.filter((_p, i) => !f.caldicott[String(i + 1)]?.trim()).length;
  if (unanswered) gaps.push(`answers to ${unanswered} of the 8 Caldicott principles`);
  return gaps;
}

/** When an agreement starts, is next reviewed and ends (YYYY-MM-DD; null until set). */
export type Term = { startOn: string | null; reviewOn: string | null; endOn: string | null };

/** An agreement's answers to the ICO checklist, beyond its parties and flows. */
export type AgreementAnswers = Term & {
  purpose: string;
  benefits: string | null;
  uses: string[];
  retention: string | null;
  security: string | null;
  rightsRequests: string | null;
  rightsContact: string | null;
  breachProcedure: string | null;
};

type AgreementForCheck = AgreementAnswers & { parties: unknown[]; flows: (FlowForCheck & { label: string })[] };

/** The completeness panel: everything the ICO's checklist still needs before sign-off. */
export function agreementGaps(a: AgreementForCheck): string[] {
  const gaps: string[] = [];
  if (!a.purpose.trim()) gaps.push('Purpose: say what the place is trying to achieve');
  if (!a.benefits?.trim()) gaps.push('Benefits: say who benefits and how');
  if (!a.uses.length) gaps.push('Uses: choose what the information is used for (design, deliver, evaluate)');
  if (a.parties.length < 2) gaps.push('Parties: an agreement needs at least two organisations');
  if (!a.flows.length) gaps.push('Data flows: add at least one flow');
  for (const f of a.flows) for (const g of flowGaps(f)) gaps.push(`Flow ${f.label}: ${g}`);
  if (!a.retention?.trim()) gaps.push('Retention and deletion: say how long each party keeps the data and how it is deleted');
  if (!a.security?.trim()) gaps.push('Security: say how the data is kept secure');
  if (!a.rightsRequests?.trim()) gaps.push('People’s rights: say how rights requests are handled');
  if (!a.rightsContact?.trim()) gaps.push('People’s rights: name the single point of contact');
  if (!a.breachProcedure?.trim()) gaps.push('Breaches: say how a breach is reported and handled');
  if (!a.startOn) gaps.push('Dates: the start date');
  if (!a.reviewOn) gaps.push('Dates: the review date');
  if (!a.endOn) gaps.push('Dates: the end date');
  if (a.startOn && a.endOn && a.endOn <= a.startOn) gaps.push('Dates: the end date must be after the start date');
  if (a.startOn && a.reviewOn && a.reviewOn < a.startOn) gaps.push('Dates: the review date must be on or after the start date');
  return gaps;
}
