import type { Queryable } from '../../../platform/db/database.ts';
import { linkColumns, type OneTimeLink } from '../one-time-links/one-time-links.repository.ts';

/** Invitations still open, for people who have not made an account since. */
export async function pendingInvitations(db: Queryable): Promise<OneTimeLink[]> {
  return db.query<OneTimeLink>(
    `select ${linkColumns} from one_time_links l left join organisations o on o.id = l.organisation_id
      where l.purpose = 'invitation' and l.used_at is null and l.expires_at > now()
        and not exists (select 1 from users u where lower(u.email) = lower(l.email))
      order by l.created_at desc`,
  );
}
