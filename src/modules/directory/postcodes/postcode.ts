/** UK postcode shape: outward code (area, district) and inward code (sector, unit). */
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$/;

/** 'wy12ab' → 'WY1 2AB'; null when the text is not shaped like a UK postcode. */
export function normalisePostcode(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const match = POSTCODE.exec(compact);
  return match ? `${match[1]} ${match[2]}` : null;
}
