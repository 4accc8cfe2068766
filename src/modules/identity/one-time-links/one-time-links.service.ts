import type { Queryable } from '../../../platform/db/database.ts';
import { Refusal } from '../../../platform/refusal.ts';
import { hashSecret } from '../tokens.ts';
import * as repo from './one-time-links.repository.ts';

export type { OneTimeLink } from './one-time-links.repository.ts';

export type UnusableState = 'unknown' | 'used' | 'expired';

const titles: Record<repo.LinkPurpose, Record<UnusableState, string>> = {
  invitation: { unknown: 'This invitation link is not valid', used: 'This invitation has already been used', expired: 'This invitation has expired' },
  password_reset: { unknown: 'This password reset link is not valid', used: 'This password reset link has already been used', expired: 'This password reset link has expired' },
};

/**
 * A one-time link that cannot be used: to its holder the page is not there (not_found), answered
 * 404 when the link was never issued and 410 when it was spent or has expired. The routes draw it
 * as its own page saying why and what to do (one-time-links/link-problem.ts), never as a 500.
 */
export class UnusableLink extends Refusal {
  constructor(
    readonly purpose: repo.LinkPurpose,
    readonly state: UnusableState,
  ) {
    super(state === 'unknown' ? 'not_found' : 'gone', titles[purpose][state], 'form', titles[purpose][state]);
  }
}

/** The link the secret opens, if it can still be used; else throws UnusableLink saying why. */
export async function openOneTimeLink(db: Queryable, purpose: repo.LinkPurpose, token: string): Promise<repo.OneTimeLink> {
  // Tokens are 43 base64url characters; anything else cannot match, so skip the query.
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new UnusableLink(purpose, 'unknown');
  const link = await repo.findOneTimeLink(db, purpose, hashSecret(token));
  if (!link) throw new UnusableLink(purpose, 'unknown');
  if (link.usedAt) throw new UnusableLink(purpose, 'used');
  if (link.expired) throw new UnusableLink(purpose, 'expired');
  return link;
}

/** Spends the link inside the caller's transaction; a link someone else spent a moment ago is refused. */
export async function spendOneTimeLink(tx: Queryable, link: repo.OneTimeLink): Promise<void> {
  if (!(await repo.consumeOneTimeLink(tx, link.id))) throw new UnusableLink(link.purpose, 'used');
}

export function linkUrl(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}/${token}`;
}
