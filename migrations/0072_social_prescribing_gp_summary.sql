-- The outcome summary sent to the person's GP practice when a case closes (with their consent):
-- when it went and where, so the case shows it and it is not sent twice by mistake.
alter table sp_cases add column gp_summary_sent_at timestamptz;
alter table sp_cases add column gp_summary_sent_to text;
