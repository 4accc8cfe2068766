-- Onward referrals reach organisations that have no account: a secure link emailed to the
-- organisation's listed address, and how each referral was delivered.

-- How a referral reached the organisation: emailed (a link), email_not_sent (kept in the outbox),
-- no_email (nothing to send to), printed, phoned. Signposts have none.
alter table sp_onward_referrals add column delivery text
  check (delivery in ('emailed', 'email_not_sent', 'no_email', 'printed', 'phoned'));
alter table sp_onward_referrals add column delivered_on date;
update sp_onward_referrals set delivery = 'emailed', delivered_on = sent_on where kind = 'refer';

-- A secure link: single-purpose (one onward referral), expiring, revocable; only its SHA-256 is kept.
create table sp_referral_links (
  id uuid primary key,
  onward_referral_id uuid not null references sp_onward_referrals(id) on delete cascade,
  token_hash text not null unique,
  sent_to text not null,
  mail_status text not null check (mail_status in ('sent', 'not_sent')),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by uuid references users(id),
  first_opened_at timestamptz,
  last_opened_at timestamptz,
  answered_at timestamptz,
  claimed_at timestamptz
);
create index sp_referral_links_onward on sp_referral_links (onward_referral_id, created_at desc);
