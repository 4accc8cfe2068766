/*
 * The words and checks that differ between the four nations of the UK, in one place. The nation is
 * configured once (NATION); templates read `nation` and validation asks `isValidPersonIdentifier`.
 */

export const nations = ['england', 'wales', 'scotland', 'northern-ireland'] as const;
export type Nation = (typeof nations)[number];

type Term = { abbr: string | null; name: string; plural: string };

export type NationVocabulary = {
  nation: Nation;
  /** "England", "Scotland"… */
  name: string;
  /** The person identifier health and care records share. */
  personId: { name: string; example: string; hint: string; invalid: string };
  /** The official index of multiple deprivation for small areas. */
  deprivationIndex: { abbr: string; name: string };
  /** The small statistical areas the index ranks. */
  smallArea: Term;
  /** The body that plans health and care for the whole area (ICB in England). */
  areaBody: Term;
  /** The neighbourhood grouping of GP practices that employs link workers (PCN in England). */
  localTeam: Term;
};

const nhsNumber = {
  name: 'NHS number',
  example: '999 000 0018',
  hint: '10 digits, like 999 000 0018',
  invalid: 'Enter a valid NHS number: the last digit of this one does not match the others. Check it against a letter or the NHS App',
};

export const vocabularies: Record<Nation, NationVocabulary> = {
  england: {
    nation: 'england',
    name: 'England',
    personId: nhsNumber,
    deprivationIndex: { abbr: 'IMD', name: 'Index of Multiple Deprivation' },
    smallArea: { abbr: 'LSOA', name: 'lower layer super output area', plural: 'lower layer super output areas' },
    areaBody: { abbr: 'ICB', name: 'integrated care board', plural: 'integrated care boards' },
    localTeam: { abbr: 'PCN', name: 'primary care network', plural: 'primary care networks' },
  },
  wales: {
    nation: 'wales',
    name: 'Wales',
    personId: nhsNumber,
    deprivationIndex: { abbr: 'WIMD', name: 'Welsh Index of Multiple Deprivation' },
    smallArea: { abbr: 'LSOA', name: 'lower layer super output area', plural: 'lower layer super output areas' },
    areaBody: { abbr: null, name: 'local health board', plural: 'local health boards' },
    localTeam: { abbr: null, name: 'primary care cluster', plural: 'primary care clusters' },
  },
  scotland: {
    nation: 'scotland',
    name: 'Scotland',
    personId: {
      name: 'CHI number',
      example: '010170 1233',
      hint: '10 digits, starting with the date of birth as DDMMYY, like 010170 1233',
      invalid: 'Enter a valid CHI number: it starts with the date of birth (DDMMYY) and its last digit must match the others. Check it against a letter from the NHS',
    },
    deprivationIndex: { abbr: 'SIMD', name: 'Scottish Index of Multiple Deprivation' },
    smallArea: { abbr: null, name: 'data zone', plural: 'data zones' },
    areaBody: { abbr: 'HSCP', name: 'health and social care partnership', plural: 'health and social care partnerships' },
    localTeam: { abbr: null, name: 'locality', plural: 'localities' },
  },
  'northern-ireland': {
    nation: 'northern-ireland',
    name: 'Northern Ireland',
    personId: {
      name: 'Health and Care number',
      example: '320 000 0015',
      hint: '10 digits starting 320 to 399, like 320 000 0015',
      invalid: 'Enter a valid Health and Care number: 10 digits starting 320 to 399, and the last digit must match the others. Check it against a letter from Health and Social Care',
    },
    deprivationIndex: { abbr: 'NIMDM', name: 'Northern Ireland Multiple Deprivation Measure' },
    smallArea: { abbr: 'SOA', name: 'super output area', plural: 'super output areas' },
    areaBody: { abbr: null, name: 'health and social care trust', plural: 'health and social care trusts' },
    localTeam: { abbr: null, name: 'GP federation', plural: 'GP federations' },
  },
};

let active: NationVocabulary = vocabularies.england;

/** Set once at start-up from the configuration. */
export function useNation(nation: Nation): void {
  active = vocabularies[nation];
}

/** The configured nation's words. */
export function nationVocabulary(): NationVocabulary {
  return active;
}

/** Modulus 11 over the first nine digits, weights 10 down to 2: the NHS, CHI and H&C numbers share it. */
export function modulus11CheckDigit(nineDigits: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

const passesModulus11 = (digits: string) => /^\d{10}$/.test(digits) && modulus11CheckDigit(digits.slice(0, 9)) === Number(digits[9]);

/** The first six digits of a CHI number are a date of birth, DDMMYY. */
const startsWithDate = (digits: string) => {
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const year = Number(digits.slice(4, 6));
  if (month < 1 || month > 12 || day < 1) return false;
  // Any century: 29 February is allowed when the two-digit year is a leap year in some century (00 is, in 2000).
  const daysInMonth = [31, year % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= daysInMonth;
};

/** Whether ten digits (spaces and dashes already taken out) are a person identifier of the nation. */
export function isValidPersonIdentifier(digits: string, nation: Nation = active.nation): boolean {
  if (!passesModulus11(digits)) return false;
  if (nation === 'scotland') return startsWithDate(digits);
  if (nation === 'northern-ireland') return Number(digits.slice(0, 3)) >= 320 && Number(digits.slice(0, 3)) <= 399;
  return true;
}
