import type { Database } from '../../../platform/db/database.ts';

/** A person referred on to an organisation (or to any, for null), with the day their social prescribing began. */
export type ReferredPerson = { nhsNumber: string; startedOn: string };

/**
 * People whom link workers referred on to the organisation (kind 'refer'), with the day their
 * social prescribing referral was received: the start date a test of change compares around.
 */
export async function findPeopleReferredTo(db: Database, organisationId: string | null): Promise<ReferredPerson[]> {
  return db.query<ReferredPerson>(
    `select p.nhs_number as "nhsNumber", to_char(min(r.received_on), 'YYYY-MM-DD') as "startedOn"
     from sp_onward_referrals o
     join sp_people p on p.id = o.person_id
     join sp_cases c on c.id = o.case_id
     left join sp_referrals r on r.id = c.referral_id
     where o.kind = 'refer' and ($1::uuid is null or o.organisation_id = $1) and p.nhs_number is not null
     group by p.nhs_number`,
    [organisationId],
  ).then((rows) => rows.filter((r) => r.startedOn));
}

/** Organisations that link workers have referred people on to, with how many people. */
export async function findOrganisationsReferredTo(db: Database): Promise<{ id: string; name: string; people: number }[]> {
  return db.query<{ id: string; name: string; people: number }>(
    `select o.organisation_id as id, min(o.organisation_name) as name, count(distinct o.person_id)::int as people
     from sp_onward_referrals o where o.kind = 'refer' and o.organisation_id is not null
     group by o.organisation_id order by 3 desc, 2`,
  );
}

/** What social prescribing knows of the same people: referrals on, accepted, attended, and wellbeing from first to latest score. */
export async function summariseReferralsTo(db: Database, organisationId: string | null): Promise<{ referrals: number; accepted: number; attended: number; wellbeingPeople: number; wellbeingChange: number | null }> {
  const [row] = await db.query<{ referrals: number; accepted: number; attended: number }>(
    `select count(*)::int as referrals, count(*) filter (where status = 'accepted')::int as accepted,
       count(*) filter (where attendance is not null and attendance <> 'did_not_attend')::int as attended
     from sp_onward_referrals where kind = 'refer' and ($1::uuid is null or organisation_id = $1)`,
    [organisationId],
  );
  // ONS4 life satisfaction (the first answer), first against latest, for people measured twice.
  const [wellbeing] = await db.query<{ people: number; change: number | null }>(
    `with measured as (
       select m.person_id, m.answers[1] as score, row_number() over (partition by m.person_id order by m.taken_on, m.created_at) as first_rank,
         row_number() over (partition by m.person_id order by m.taken_on desc, m.created_at desc) as last_rank
       from sp_measurements m where m.measure = 'ons4' and m.person_id in (select person_id from sp_onward_referrals where kind = 'refer' and ($1::uuid is null or organisation_id = $1))
     )
     select count(*)::int as people, avg(l.score - f.score)::float as change
     from measured f join measured l on l.person_id = f.person_id and l.last_rank = 1
     where f.first_rank = 1 and l.first_rank > 1`,
    [organisationId],
  );
  return { ...row, wellbeingPeople: wellbeing.people, wellbeingChange: wellbeing.change };
}

/** The demo's people, so the synthetic whole-system data includes them. */
export async function findPeopleForDemo(db: Database): Promise<{ nhsNumber: string; yearOfBirth: number }[]> {
  return db.query<{ nhsNumber: string; yearOfBirth: number }>(
    `select nhs_number as "nhsNumber", coalesce(extract(year from date_of_birth)::int, 1950) as "yearOfBirth" from sp_people where nhs_number is not null`,
  );
}
