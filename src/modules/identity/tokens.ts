import crypto from 'node:crypto';

/** Secrets (session cookies, one-time links, API tokens) are random; only their SHA-256 is stored. */
export function newSecret(prefix = ''): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}
