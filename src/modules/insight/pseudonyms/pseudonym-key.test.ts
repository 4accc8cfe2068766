import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacPads, pseudonymOf, type PseudonymKey } from './pseudonym-key.ts';

const keyOf = (secret: Buffer): PseudonymKey => ({ secret, version: 'test', file: 'test', createdNow: false });
const sha256 = (...parts: Buffer[]) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();

describe('the HMAC pads the store makes pseudonyms with', () => {
  // The store computes sha256(outer || sha256(inner || number)); it must be the pseudonym pseudonymOf makes.
  it.each([
    ['a 32-byte key, as the partnership has', Buffer.from('ab'.repeat(32), 'hex')],
    ['a key longer than the 64-byte block, which HMAC hashes first', crypto.randomBytes(100)],
  ])('give the same pseudonym as pseudonymOf for %s', (_, secret) => {
    const key = keyOf(secret);
    const { inner, outer } = hmacPads(key);
    for (const number of ['9434765919', '9990000018', '4010232137']) {
      const made = sha256(Buffer.from(outer, 'hex'), sha256(Buffer.from(inner, 'hex'), Buffer.from(number))).toString('hex');
      expect(made).toBe(pseudonymOf(key, number));
    }
  });
});
