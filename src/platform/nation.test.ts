import { afterEach, describe, expect, it } from 'vitest';
import { isValidPersonIdentifier, nationVocabulary, nations, useNation, vocabularies } from './nation.ts';

afterEach(() => useNation('england'));

describe('person identifiers by nation', () => {
  it('England and Wales: the NHS number, ten digits with a modulus 11 check digit', () => {
    for (const nation of ['england', 'wales'] as const) {
      expect(isValidPersonIdentifier('9434765919', nation)).toBe(true);
      expect(isValidPersonIdentifier('9434765918', nation)).toBe(false);
      expect(isValidPersonIdentifier('943476591', nation)).toBe(false);
    }
  });

  it('Scotland: the CHI number starts with a real date of birth (DDMMYY) and has a modulus 11 check digit', () => {
    expect(isValidPersonIdentifier('0101701233', 'scotland')).toBe(true);
    expect(isValidPersonIdentifier('0101701234', 'scotland')).toBe(false); // wrong check digit
    // 9434765919 passes modulus 11 but 94/34/76 is no date.
    expect(isValidPersonIdentifier('9434765919', 'scotland')).toBe(false);
    expect(isValidPersonIdentifier('3102801230', 'scotland')).toBe(false); // 31 February
  });

  it('Northern Ireland: the Health and Care number is in 320 to 399, with a modulus 11 check digit', () => {
    expect(isValidPersonIdentifier('3200000015', 'northern-ireland')).toBe(true);
    expect(isValidPersonIdentifier('3200000016', 'northern-ireland')).toBe(false);
    expect(isValidPersonIdentifier('9434765919', 'northern-ireland')).toBe(false); // an NHS number from England
  });

  it("every nation's example passes its own check", () => {
    for (const nation of nations) expect(isValidPersonIdentifier(vocabularies[nation].personId.example.replace(/\s/g, ''), nation), nation).toBe(true);
  });

  it('the configured nation decides the words and the check', () => {
    useNation('scotland');
    expect(nationVocabulary()).toMatchObject({ personId: { name: 'CHI number' }, deprivationIndex: { abbr: 'SIMD' }, smallArea: { name: 'data zone' }, localTeam: { name: 'locality' } });
    expect(isValidPersonIdentifier('0101701233')).toBe(true);
    useNation('northern-ireland');
    expect(nationVocabulary()).toMatchObject({ personId: { name: 'Health and Care number' }, deprivationIndex: { abbr: 'NIMDM' } });
    useNation('wales');
    expect(nationVocabulary().deprivationIndex.abbr).toBe('WIMD');
  });
});
