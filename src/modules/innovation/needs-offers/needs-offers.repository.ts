import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type Need = {
  id: string;
  programmeId: string;
  teamId: string;
  teamName: string;
  title: string;
  description: string;
  status: 'open' | 'matched' | 'met';
  matchedOfferId: string | null;
  metAt: Date | null;
  createdAt: Date;
};
export type Offer = { id: string; needId: string; offeredBy: string | null; offeredByName: string | null; organisationId: string | null; organisationName: string | null; description: string; createdAt: Date };

const needSql = `select n.id, n.programme_id as "programmeId", n.team_id as "teamId", t.name as "teamName", n.title, n.description, n.status,
    n.matched_offer_id as "matchedOfferId", n.met_at as "metAt", n.created_at as "createdAt"
  from team_needs n join teams t on t.id = n.team_id`;

export async function listNeeds(db: Queryable, programmeId: string): Promise<Need[]> {
  return db.query<Need>(
    `${needSql} where n.programme_id = $1
      order by case n.status when 'open' then 0 when 'matched' then 1 else 2 end, n.created_at desc`,
    [programmeId],
  );
}

export async function getNeed(db: Queryable, programmeId: string, needId: string, options: { lock?: boolean } = {}): Promise<Need | undefined> {
  if (options.lock) await db.query('select id from team_needs where id = $1 for update', [needId]);
  return (await db.query<Need>(`${needSql} where n.programme_id = $1 and n.id = $2`, [programmeId, needId]))[0];
}

export async function insertNeed(db: Queryable, programmeId: string, n: { teamId: string; title: string; description: string }, userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into team_needs (id, programme_id, team_id, title, description, created_by) values ($1, $2, $3, $4, $5, $6)', [id, programmeId, n.teamId, n.title, n.description, userId]);
  return id;
}

export async function listOffers(db: Queryable, programmeId: string): Promise<Offer[]> {
  return db.query<Offer>(
    `select f.id, f.need_id as "needId", f.offered_by as "offeredBy", u.name as "offeredByName", f.organisation_id as "organisationId", o.name as "organisationName",
        f.description, f.created_at as "createdAt"
       from need_offers f join team_needs n on n.id = f.need_id left join users u on u.id = f.offered_by left join organisations o on o.id = f.organisation_id
      where n.programme_id = $1 order by f.created_at`,
    [programmeId],
  );
}

export async function isOfferFor(db: Queryable, needId: string, offerId: string): Promise<boolean> {
  return (await db.query('select 1 from need_offers where id = $1 and need_id = $2', [offerId, needId])).length > 0;
}

export async function insertOffer(db: Queryable, needId: string, o: { description: string; organisationId: string | null }, userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into need_offers (id, need_id, offered_by, organisation_id, description) values ($1, $2, $3, $4, $5)', [id, needId, userId, o.organisationId, o.description]);
  return id;
}

export async function matchNeed(db: Queryable, needId: string, offerId: string): Promise<void> {
  await db.query("update team_needs set status = 'matched', matched_offer_id = $2, updated_at = now() where id = $1", [needId, offerId]);
}

export async function markNeedMet(db: Queryable, needId: string): Promise<void> {
  await db.query("update team_needs set status = 'met', met_at = now(), updated_at = now() where id = $1", [needId]);
}

export type Help = { needId: string; needTitle: string; teamId: string; teamName: string; helperName: string | null; helperOrganisation: string | null; helpedOrganisations: string | null; offer: string; status: string; metAt: Date | null };

/** Who helped whom: every matched or met need, the offer that met it, and the organisations on each side. */
export async function listHelp(db: Queryable, programmeId: string): Promise<Help[]> {
  return db.query<Help>(
    `select n.id as "needId", n.title as "needTitle", t.id as "teamId", t.name as "teamName", u.name as "helperName", o.name as "helperOrganisation",
        (select string_agg(distinct o2.name, '; ') from team_members tm join organisations o2 on o2.id = tm.organisation_id where tm.team_id = t.id) as "helpedOrganisations",
        f.description as offer, n.status, n.met_at as "metAt"
       from team_needs n join teams t on t.id = n.team_id join need_offers f on f.id = n.matched_offer_id
       left join users u on u.id = f.offered_by left join organisations o on o.id = f.organisation_id
      where n.programme_id = $1 order by n.status = 'met' desc, n.met_at desc nulls last, t.name`,
    [programmeId],
  );
}
