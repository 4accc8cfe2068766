-- The plain-English needs taxonomy, with the stable ids in src/modules/directory/needs-taxonomy.ts.
insert into taxonomies (id, name, description, version) values ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'Needs', 'Plain-English needs that social prescribing link workers use to match people with support.', '1');
insert into taxonomy_terms (id, taxonomy_id, code, name, description) values
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1001', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'loneliness', 'Loneliness and isolation', 'Company, befriending, clubs and groups to meet people.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1002', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'physical-activity', 'Physical activity', 'Walking groups, exercise classes, sport and getting active.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1003', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'mental-wellbeing', 'Mental wellbeing', 'Talking groups, peer support, mindfulness and feeling better.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1004', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'money-and-debt', 'Money and debt', 'Benefits advice, debt help, budgeting and grants.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1005', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'housing', 'Housing', 'Housing advice, repairs, adaptations and homelessness support.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1006', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'carers', 'Carers', 'Support, breaks and advice for unpaid carers.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1007', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'dementia', 'Dementia', 'Memory cafés, dementia support and activities for people living with dementia.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1008', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'food', 'Food', 'Food banks, community meals, lunch clubs and cooking skills.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1009', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'digital-inclusion', 'Digital inclusion', 'Help getting online, devices, data and digital skills.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1010', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'employment-and-learning', 'Employment and learning', 'Volunteering, training, adult learning and help into work.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1011', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'long-term-conditions', 'Living with a long-term condition', 'Self-management courses and support groups for health conditions.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1012', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'bereavement', 'Bereavement', 'Support after the death of someone close.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1013', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'drugs-and-alcohol', 'Drugs and alcohol', 'Support to cut down or stop, and for families.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1014', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'domestic-abuse', 'Domestic abuse', 'Safety, advice and support for people experiencing abuse.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1015', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'arts-and-creativity', 'Arts and creativity', 'Art, music, crafts, singing and creative groups.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1016', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'nature-and-green-spaces', 'Nature and green spaces', 'Gardening, conservation volunteering and time outdoors.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1017', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'transport', 'Transport', 'Community transport and help getting to appointments and activities.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1018', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'practical-help-at-home', 'Practical help at home', 'Shopping, small repairs, cleaning and staying safe and well at home.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1019', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'parenting-and-families', 'Parenting and families', 'Parent groups, family support and activities for children.'),
  ('6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1020', '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001', 'legal-and-immigration', 'Legal and immigration advice', 'Advice on rights, immigration and legal problems.');
