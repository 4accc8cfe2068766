import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type NeedRow = {
  id: string;
  programme_id: string;
  team_id: string;
  team_name: string;
  title: string;
  description: string;
  status: 'open' | 'matched' | 'met';
  matched_offer_id: string | null;
  met_at: Date | null;
  created_at: Date;
};
export type OfferRow = { id: string; need_id: string; offered_by: string | null; offered_by_name: string | null; organisation_id: string | null; organisation_name: string | null; description: string; created_at: Date };

export async function listNeeds(db: Queryable, programmeId: string): Promise<NeedRow[]> {
  return db.query<NeedRow>(
    `select n.*, t.name as team_name from team_needs n join teams t on t.id = n.team_id where n.programme_id = $1
      order by case n.status when 'open' then 0 when 'matched' then 1 else 2 end, n.created_at desc`,
    [programmeId],
  );
}

export async function getNeed(db: Queryable, programmeId: string, needId: string, options: { lock?: boolean } = {}): Promise<NeedRow | undefined> {
  if (options.lock) await db.query('select id from team_needs where id = $1 for update', [needId]);
  return (await db.query<NeedRow>('select n.*, t.name as team_name from team_needs n join teams t on t.id = n.team_id where n.programme_id = $1 and n.id = $2', [programmeId, needId]))[0];
}

export async function insertNeed(db: Queryable, programmeId: string, n: { teamId: string; title: string; description: string }, userId: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into team_needs (id, programme_id, team_id, title, description, created_by) values ($1, $2, $3, $4, $5, $6)', [id, programmeId, n.teamId, n.title, n.description, userId]);
  return id;
}

export async function listOffers(db: Queryable, programmeId: string): Promise<OfferRow[]> {
  return db.query<OfferRow>(
    `select f.id, f.need_id, f.offered_by, u.name as offered_by_name, f.organisation_id, o.name as organisation_name, f.description, f.created_at
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

export type HelpRow = { need_id: string; need_title: string; team_id: string; team_name: string; helper_name: string | null; helper_organisation: string | null; helped_organisations: string | null; offer: string; status: string; met_at: Date | null };

/** Who helped whom: every matched or met need, the offer that met it, and the organisations on each side. */
export async function listHelp(db: Queryable, programmeId: string): Promise<HelpRow[]> {
  return db.query<HelpRow>(
    `select n.id as need_id, n.title as need_title, t.id as team_id, t.name as team_name, u.name as helper_name, o.name as helper_organisation,
        (select string_agg(distinct o2.name, '; ') from team_members tm join organisations o2 on o2.id = tm.organisation_id where tm.team_id = t.id) as helped_organisations,
        f.description as offer, n.status, n.met_at
       from team_needs n join teams t on t.id = n.team_id join need_offers f on f.id = n.matched_offer_id
       left join users u on u.id = f.offered_by left join organisations o on o.id = f.organisation_id
      where n.programme_id = $1 order by n.status = 'met' desc, n.met_at desc nulls last, t.name`,
    [programmeId],
  );
}
