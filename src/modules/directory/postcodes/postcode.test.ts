import { describe, expect, it } from 'vitest';
import { normalisePostcode } from './postcode.ts';

describe('normalisePostcode', () => {
  it.each([
    ['wy1 2ab', 'WY1 2AB'],
    ['WY12AB', 'WY1 2AB'],
    [' sw1a 1aa ', 'SW1A 1AA'],
    ['m1 1ae', 'M1 1AE'],
    ['EC1A-1BB', 'EC1A 1BB'],
  ])('reads %s as %s', (input, expected) => expect(normalisePostcode(input)).toBe(expected));

  it.each(['', 'hello', '12345', 'WY1', 'WY1 2A', 'WY1 2ABC'])('rejects %s', (input) => expect(normalisePostcode(input)).toBeNull());
});
