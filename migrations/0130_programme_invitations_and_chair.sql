-- Programmes that real participants can join.

-- The investment team's chair records the panel's decisions.
alter table programme_members add column chair boolean not null default false;

-- A programme manager invites someone by email straight into a programme. Someone with no account
-- gets a one-time invitation link (one_time_links) to set a password; on accepting it they are
-- taken to the programme, where the invitation becomes their membership.
create table programme_invitations (
  id uuid primary key,
  programme_id uuid not null references programmes(id) on delete cascade,
  email text not null,
  name text not null,
  organisation_id uuid references organisations(id),
  role text not null default 'participant' check (role in ('participant','panel')),
  chair boolean not null default false,
  invited_by uuid references users(id),
  accepted_by uuid references users(id),
  accepted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index programme_invitations_email on programme_invitations (lower(email)) where accepted_at is null;
create unique index programme_invitations_pending on programme_invitations (programme_id, lower(email)) where accepted_at is null;

-- Where an invitation takes the person once they have set their password (a path on this site).
alter table one_time_links add column return_to text;
