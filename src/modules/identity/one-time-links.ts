import type { Queryable } from '../../platform/db/database.ts';
import * as repo from './identity.repository.ts';
import { hashSecret } from './tokens.ts';

export type LinkPurpose = repo.OneTimeLinkRow['purpose'];

/** What a one-time link is now: usable, or why not (each gets its own plain page, never a 500). */
export type LinkState = { state: 'valid'; link: repo.OneTimeLinkRow } | { state: 'unknown' | 'used' | 'expired' };

export async function checkOneTimeLink(db: Queryable, purpose: LinkPurpose, token: string): Promise<LinkState> {
  // Tokens are 43 base64url characters; anything else cannot match, so skip the query.
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'unknown' };
  const link = await repo.findOneTimeLink(db, purpose, hashSecret(token));
  if (!link) return { state: 'unknown' };
  if (link.used_at) return { state: 'used' };
  if (link.expired) return { state: 'expired' };
  return { state: 'valid', link };
}

export function linkUrl(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}/${token}`;
}
