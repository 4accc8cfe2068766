-- Open Referral UK carries "how a service is delivered" and "whether it costs anything" as
-- attributes linked to taxonomy terms. These taxonomies hold those terms, with the stable ids in
-- src/modules/directory/oruk/oruk-taxonomies.ts. Terms from other systems' feeds that we do not
-- know are kept under "Imported terms" unless their own taxonomy comes with them.
insert into taxonomies (id, name, description, version) values
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0001', 'Delivery method', 'How people take part in a service: in person, online or by phone.', '1'),
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0002', 'Cost', 'Whether people pay to use a service.', '1'),
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0003', 'Imported terms', 'Terms that arrived in imported records without a taxonomy of their own.', '1');
insert into taxonomy_terms (id, taxonomy_id, code, name, description) values
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c1001', '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0001', 'in_person', 'In person', 'People go to a place to use the service.'),
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c1002', '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0001', 'online', 'Online', 'People use the service on the internet.'),
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c1003', '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0001', 'phone', 'By phone', 'People use the service by telephone.'),
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c2001', '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0002', 'free', 'Free of charge', 'People do not pay to use the service.'),
  ('7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c2002', '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0002', 'charge', 'There is a charge', 'People pay for some or all of the service.');
create index if not exists import_runs_started on import_runs (started_at desc);
