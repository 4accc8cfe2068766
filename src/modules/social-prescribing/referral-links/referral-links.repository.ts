import type { Queryable } from '../../../platform/db/database.ts';
import { camelRow, camelRows } from '../rows.ts';

/** Secure links to onward referrals, for organisations without an account, and how each referral was delivered. */

export type ReferralLink = {
  id: string;
  onwardReferralId: string;
  sentTo: string;
  mailStatus: 'sent' | 'not_sent';
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  firstOpenedAt: Date | null;
  lastOpenedAt: Date | null;
  answeredAt: Date | null;
  claimedAt: Date | null;
};

const LINK_COLUMNS = `id, onward_referral_id, sent_to, mail_status, created_at, expires_at, revoked_at, first_opened_at, last_opened_at, answered_at, claimed_at`;

export async function insertLink(db: Queryable, l: { id: string; onwardReferralId: string; tokenHash: string; sentTo: string; mailStatus: 'sent' | 'not_sent'; createdBy: string; expiresAt: Date }): Promise<void> {
  await db.query(
    `insert into sp_referral_links (id, onward_referral_id, token_hash, sent_to, mail_status, created_by, expires_at) values ($1, $2, $3, $4, $5, $6, $7)`,
    [l.id, l.onwardReferralId, l.tokenHash, l.sentTo, l.mailStatus, l.createdBy, l.expiresAt],
  );
}

export async function setMailStatus(db: Queryable, id: string, status: 'sent' | 'not_sent'): Promise<void> {
  await db.query('update sp_referral_links set mail_status = $2 where id = $1', [id, status]);
}

export async function findLinkByHash(db: Queryable, tokenHash: string): Promise<ReferralLink | null> {
  const [row] = await db.query(`select ${LINK_COLUMNS} from sp_referral_links where token_hash = $1`, [tokenHash]);
  return row ? camelRow<ReferralLink>(row) : null;
}

/** Every link made for an onward referral, newest first. */
export async function listLinks(db: Queryable, onwardReferralId: string): Promise<ReferralLink[]> {
  return camelRows<ReferralLink>(await db.query(`select ${LINK_COLUMNS} from sp_referral_links where onward_referral_id = $1 order by created_at desc`, [onwardReferralId]));
}

/** The newest link of each of these onward referrals, for the case page. */
export async function latestLinks(db: Queryable, onwardReferralIds: string[]): Promise<ReferralLink[]> {
  if (!onwardReferralIds.length) return [];
  return camelRows<ReferralLink>(
    await db.query(`select distinct on (onward_referral_id) ${LINK_COLUMNS} from sp_referral_links where onward_referral_id = any($1::uuid[]) order by onward_referral_id, created_at desc`, [onwardReferralIds]),
  );
}

export async function markOpened(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query('update sp_referral_links set first_opened_at = coalesce(first_opened_at, $2), last_opened_at = $2 where id = $1', [id, at]);
}

export async function markAnswered(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query('update sp_referral_links set answered_at = coalesce(answered_at, $2) where id = $1', [id, at]);
}

export async function markClaimed(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query('update sp_referral_links set claimed_at = $2 where id = $1', [id, at]);
}

/** Revokes every live link of an onward referral; returns how many. */
export async function revokeLinks(db: Queryable, onwardReferralId: string, by: string, at: Date): Promise<number> {
  const rows = await db.query('update sp_referral_links set revoked_at = $3, revoked_by = $2 where onward_referral_id = $1 and revoked_at is null returning id', [onwardReferralId, by, at]);
  return rows.length;
}

export async function setDelivery(db: Queryable, onwardReferralId: string, delivery: string, on: string): Promise<void> {
  await db.query('update sp_onward_referrals set delivery = $2, delivered_on = $3, updated_at = now() where id = $1', [onwardReferralId, delivery, on]);
}

/** Who referred, and how to reach them: the link worker who made the referral and their PCN. */
export async function referrerOf(db: Queryable, onwardReferralId: string): Promise<{ name: string | null; email: string | null; pcnName: string } | null> {
  const [row] = await db.query(
    `select u.name, u.email, pcn.name as pcn_name
       from sp_onward_referrals o join sp_cases c on c.id = o.case_id join organisations pcn on pcn.id = c.pcn_id
       left join users u on u.id = o.created_by
      where o.id = $1`,
    [onwardReferralId],
  );
  return row ? camelRow(row) : null;
}

/** Whether anyone can sign in as an editor of the organisation. */
export async function hasEditors(db: Queryable, organisationId: string): Promise<boolean> {
  const [row] = await db.query<{ yes: boolean }>(
    `select exists (select 1 from memberships m join users u on u.id = m.user_id where m.organisation_id = $1 and m.role = 'organisation_editor' and u.is_active) as yes`,
    [organisationId],
  );
  return row.yes;
}
