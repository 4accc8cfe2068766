/**
 * Beneficiary locations as 360Giving wants them: official area codes with their codelist type.
 * People type postcodes or codes; postcodes become the LSOA the directory's postcode table gives.
 */

/** ONS code prefixes and the 360Giving geoCodeType each one is. */
const codeTypes: [RegExp, string, string][] = [
  [/^[EW]00\d{6}$/, 'OA', 'Output area'],
  [/^[EW]01\d{6}$/, 'LSOA', 'Lower layer super output area'],
  [/^[EW]02\d{6}$/, 'MSOA', 'Middle layer super output area'],
  [/^[EW]05\d{6}$/, 'WD', 'Ward'],
  [/^[EW]06\d{6}$/, 'UA', 'Unitary authority'],
  [/^E07\d{6}$/, 'NMD', 'Non-metropolitan district'],
  [/^E08\d{6}$/, 'MD', 'Metropolitan district'],
  [/^E09\d{6}$/, 'LONB', 'London borough'],
  [/^E10\d{6}$/, 'CTY', 'County'],
  [/^E12\d{6}$/, 'RGN/GOR', 'Region'],
  [/^[EW]14\d{6}$/, 'WPC', 'Parliamentary constituency'],
  [/^S01\d{6}$/, 'DZ', 'Data zone'],
  [/^S12\d{6}$/, 'CA', 'Council area'],
];

export function geoCodeTypeOf(code: string): { type: string; name: string } | undefined {
  const found = codeTypes.find(([pattern]) => pattern.test(code));
  return found ? { type: found[1], name: found[2] } : undefined;
}

const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/;

/** Splits what was typed into postcodes (normalised) and area codes; anything else is named as a fault. */
export function readLocations(value: string): { postcodes: string[]; codes: string[]; faults: string[] } {
  const postcodes: string[] = [];
  const codes: string[] = [];
  const faults: string[] = [];
  for (const raw of value.split(/[\n,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean)) {
    if (geoCodeTypeOf(raw)) codes.push(raw);
    else if (POSTCODE.test(raw)) {
      const compact = raw.replace(/\s+/g, '');
      postcodes.push(`${compact.slice(0, -3)} ${compact.slice(-3)}`);
    } else faults.push(raw);
  }
  return { postcodes, codes, faults };
}
