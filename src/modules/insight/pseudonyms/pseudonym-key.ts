import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { refuse } from '../../../platform/refusal.ts';

/**
 * The partnership's pseudonymisation key. An unkeyed hash of an NHS number can be reversed by
 * trying every valid number; the key is what protects it, so it is read from INSIGHT_KEY_FILE or,
 * when none is configured, generated once in the data folder, readable by its owner only.
 */
export type PseudonymKey = { secret: Buffer; version: string; file: string; createdNow: boolean };

const KEY_BYTES = 32;

/** The version kept beside each pseudonym so a key can be rotated: a fingerprint of the key. */
const keyVersion = (secret: Buffer) => crypto.createHash('sha256').update(secret).digest('hex').slice(0, 8);

function readKey(file: string): PseudonymKey {
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) throw refuse.invalid('key', `The key file ${file} does not hold a key (64 hexadecimal characters).`);
  const secret = Buffer.from(text, 'hex');
  return { secret, version: keyVersion(secret), file, createdNow: false };
}

/**
 * The key: from `configuredFile` when given (it must exist: a configured key that is missing is a
 * mistake, not a reason to make a new one), else the data folder's own, created on first use.
 */
export function pseudonymKey(configuredFile: string | undefined, dataDir: string): PseudonymKey {
  if (configuredFile) {
    if (!fs.existsSync(configuredFile)) {
      throw refuse.invalid('key', `No pseudonymisation key: INSIGHT_KEY_FILE names ${configuredFile}, which does not exist. NHS numbers cannot be loaded without it.`);
    }
    return readKey(configuredFile);
  }
  const file = path.join(dataDir, 'insight.key');
  if (fs.existsSync(file)) return readKey(file);
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(KEY_BYTES);
  fs.writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, version: keyVersion(secret), file, createdNow: true };
}

/** Reads a key file given on the command line (`--key FILE`). */
export function keyFromFile(file: string): PseudonymKey {
  if (!fs.existsSync(file)) throw refuse.invalid('key', `The key file ${file} does not exist.`);
  return readKey(file);
}

/** The keyed pseudonym of a (valid, normalised) NHS number: HMAC-SHA-256, hexadecimal. */
export function pseudonymOf(key: PseudonymKey, nhsNumber: string): string {
  return crypto.createHmac('sha256', key.secret).update(nhsNumber).digest('hex');
}

export const looksLikePseudonym = (text: string) => /^[0-9a-f]{64}$/.test(text);

/** HMAC-SHA-256's block size in bytes. */
const BLOCK = 64;

/** The key's HMAC inner and outer pads, hexadecimal. */
export type HmacPads = { inner: string; outer: string };

/**
 * The key's inner and outer pads (RFC 2104), hexadecimal, so that the store can make the same
 * pseudonym as pseudonymOf in SQL: sha256(outer || sha256(inner || value)). A load passes them as
 * parameters (never written into the statement's text) and makes every pseudonym in parallel,
 * where the values already are.
 */
export function hmacPads(key: PseudonymKey): HmacPads {
  const secret = key.secret.length > BLOCK ? crypto.createHash('sha256').update(key.secret).digest() : key.secret;
  const block = Buffer.concat([secret, Buffer.alloc(BLOCK - secret.length)]);
  const xor = (byte: number) => Buffer.from(block.map((b) => b ^ byte)).toString('hex');
  return { inner: xor(0x36), outer: xor(0x5c) };
}
