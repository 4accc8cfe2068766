/** Partnership terms in plain English. Used by the `abbr` template filter and the glossary page. */
export type GlossaryEntry = { term: string; meaning: string; explanation: string };

export const glossary: GlossaryEntry[] = [
  { term: 'A&E', meaning: 'Accident and Emergency', explanation: 'The hospital department for urgent, serious injuries and illness.' },
  { term: 'API', meaning: 'application programming interface', explanation: 'A way for other computer systems to read and send data to Common Ground.' },
  { term: 'CCG', meaning: 'Clinical Commissioning Group', explanation: 'NHS bodies that planned and bought local health services until 2022, when integrated care boards replaced them.' },
  { term: 'CHI', meaning: 'Community Health Index', explanation: 'In Scotland, the CHI number identifies a person in health and care records, as the NHS number does in England and Wales.' },
  { term: 'CSV', meaning: 'comma-separated values', explanation: 'A simple spreadsheet file format that most tools can open.' },
  { term: 'DPIA', meaning: 'data protection impact assessment', explanation: 'A check of the risks to people before processing their data in a way likely to be high risk, with the measures that reduce them.' },
  { term: 'DPO', meaning: 'Data Protection Officer', explanation: 'The person who advises an organisation on data protection law and checks it is followed.' },
  { term: 'DSPT', meaning: 'Data Security and Protection Toolkit', explanation: 'The yearly self-assessment every NHS and care organisation completes: standards met, approaching standards, or not met.' },
  { term: 'GDPR', meaning: 'General Data Protection Regulation', explanation: 'The UK GDPR, with the Data Protection Act 2018, is the law on handling personal data in the UK.' },
  { term: 'GP', meaning: 'general practitioner', explanation: 'A family doctor working in a local surgery (GP practice).' },
  { term: 'HSCP', meaning: 'Health and Social Care Partnership', explanation: 'In Scotland, the partnership of NHS board and council that plans and runs community health and social care.' },
  { term: 'ICB', meaning: 'Integrated Care Board', explanation: 'The NHS body that plans and pays for most health services for an area in England.' },
  { term: 'ICS', meaning: 'Integrated Care System', explanation: 'A partnership of NHS bodies, councils and others that plans health and care for an area of England.' },
  { term: 'IMD', meaning: 'Index of Multiple Deprivation', explanation: 'The official measure of how deprived a small area is, ranked and grouped into tenths (deciles).' },
  { term: 'INT', meaning: 'Integrated Neighbourhood Team', explanation: 'Staff from health, social care and the community working together for one neighbourhood.' },
  { term: 'ICO', meaning: 'Information Commissioner’s Office', explanation: 'The UK regulator for data protection; organisations that handle personal data register with it.' },
  { term: 'IG', meaning: 'information governance', explanation: 'The rules and practice for handling personal information lawfully and safely.' },
  { term: 'LSOA', meaning: 'Lower Layer Super Output Area', explanation: 'A small statistical area of about 1,500 people, used for deprivation and other figures.' },
  { term: 'NIMDM', meaning: 'Northern Ireland Multiple Deprivation Measure', explanation: 'The official measure of how deprived each small area of Northern Ireland is.' },
  { term: 'NHS', meaning: 'National Health Service', explanation: 'The publicly funded health service of the United Kingdom.' },
  { term: 'ODS', meaning: 'Organisation Data Service', explanation: 'The NHS service that gives codes to health and care organisations, such as GP practices.' },
  { term: 'ONS', meaning: 'Office for National Statistics', explanation: 'The UK statistics body; it publishes the postcode directory and wellbeing questions.' },
  { term: 'ORUK', meaning: 'Open Referral UK', explanation: 'The open data standard for sharing information about local services.' },
  { term: 'PCN', meaning: 'Primary Care Network', explanation: 'A group of GP practices working together for 30,000 to 50,000 people; PCNs employ social prescribing link workers.' },
  { term: 'SIMD', meaning: 'Scottish Index of Multiple Deprivation', explanation: 'The official measure of how deprived each data zone in Scotland is.' },
  { term: 'SIRO', meaning: 'Senior Information Risk Owner', explanation: 'The senior leader who owns an organisation’s information risks.' },
  { term: 'SMTP', meaning: 'Simple Mail Transfer Protocol', explanation: 'The standard way of sending email between servers.' },
  { term: 'SOA', meaning: 'super output area', explanation: 'In Northern Ireland, a small statistical area used for deprivation and other figures.' },
  { term: 'SNOMED', meaning: 'Systematised Nomenclature of Medicine', explanation: 'SNOMED CT is the clinical coding system used in NHS records.' },
  { term: 'UCLA', meaning: 'University of California, Los Angeles', explanation: 'The UCLA loneliness scale is a short, widely used questionnaire about loneliness.' },
  { term: 'WIMD', meaning: 'Welsh Index of Multiple Deprivation', explanation: 'The official measure of how deprived each small area of Wales is.' },
  { term: 'VCFSE', meaning: 'voluntary, community, faith and social enterprise', explanation: 'Charities, community groups, faith groups and social enterprises.' },
  { term: 'VCS', meaning: 'voluntary and community sector', explanation: 'Charities and community groups.' },
];

const byTerm = new Map(glossary.map((g) => [g.term, g]));
const termPattern = new RegExp(
  `(?<![\\w&])(${glossary
    .map((g) => g.term)
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\&]/g, '\\$&').replace('&', '&amp;'))
    .join('|')})(?![\\w])`,
  'g',
);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escapes text and wraps each known acronym in <abbr title="…">. */
export function markAcronyms(text: unknown): string {
  if (text === null || text === undefined) return '';
  return escapeHtml(String(text)).replace(termPattern, (match) => {
    const entry = byTerm.get(match.replace('&amp;', '&'));
    return entry ? `<abbr title="${escapeHtml(entry.meaning)}">${match}</abbr>` : match;
  });
}
