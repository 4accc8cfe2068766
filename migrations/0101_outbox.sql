-- Every email that was not sent (no SMTP_URL, or the mail server refused it), kept with its full
-- text so an admin can send it another way and record that they did.
create table outbox (
  id uuid primary key,
  to_address text not null,
  subject text not null,
  body text not null,
  reason text not null check (reason in ('not_configured', 'failed')),
  detail text,
  related_type text,
  related_id text,
  created_at timestamptz not null default now(),
  sent_another_way_at timestamptz,
  sent_another_way_by uuid references users (id),
  sent_another_way_by_name text,
  sent_another_way_note text
);

create index outbox_waiting on outbox (created_at desc) where sent_another_way_at is null;
create index outbox_handled on outbox (sent_another_way_at desc) where sent_another_way_at is not null;
