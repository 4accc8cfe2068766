import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type Session = {
  id: string;
  programmeId: string;
  kind: 'workshop' | 'group_coaching' | 'mentoring' | 'support_group';
  title: string;
  startsAt: Date;
  location: string;
  teamId: string | null;
  teamName: string | null;
  seriesId: string | null;
  notes: string;
  held: boolean;
  attendees: number;
};

const sessionSql = `select s.id, s.programme_id as "programmeId", s.kind, s.title, s.starts_at as "startsAt", s.location, s.team_id as "teamId",
    t.name as "teamName", s.series_id as "seriesId", s.notes, s.held,
    (select count(*)::int from session_attendance a where a.session_id = s.id) as attendees
  from programme_sessions s left join teams t on t.id = s.team_id`;

export async function listSessions(db: Queryable, programmeId: string): Promise<Session[]> {
  return db.query<Session>(`${sessionSql} where s.programme_id = $1 order by s.starts_at`, [programmeId]);
}

export async function getSession(db: Queryable, programmeId: string, sessionId: string): Promise<Session | undefined> {
  return (await db.query<Session>(`${sessionSql} where s.programme_id = $1 and s.id = $2`, [programmeId, sessionId]))[0];
}

export async function insertSession(
  db: Queryable,
  programmeId: string,
  s: { kind: Session['kind']; title: string; date: string; time: string; location: string; teamId: string | null; seriesId: string | null },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into programme_sessions (id, programme_id, kind, title, starts_at, location, team_id, series_id)
     values ($1, $2, $3, $4, ($5 || ' ' || $6)::timestamp at time zone 'Europe/London', $7, $8, $9)`,
    [id, programmeId, s.kind, s.title, s.date, s.time, s.location, s.teamId, s.seriesId],
  );
  return id;
}

export async function listAttendance(db: Queryable, sessionId: string): Promise<{ userId: string; name: string }[]> {
  return db.query('select a.user_id as "userId", u.name from session_attendance a join users u on u.id = a.user_id where a.session_id = $1 order by u.name', [sessionId]);
}

export async function setAttendance(db: Queryable, sessionId: string, userIds: string[]): Promise<void> {
  await db.query('delete from session_attendance where session_id = $1 and not (user_id = any($2::uuid[]))', [sessionId, userIds]);
  await db.query(
    'insert into session_attendance (id, session_id, user_id) select gen_random_uuid(), $1, user_id from unnest($2::uuid[]) as user_id on conflict (session_id, user_id) do nothing',
    [sessionId, userIds],
  );
}

export async function toggleAttendance(db: Queryable, sessionId: string, userId: string): Promise<boolean> {
  const removed = await db.query('delete from session_attendance where session_id = $1 and user_id = $2 returning id', [sessionId, userId]);
  if (removed.length) return false;
  await db.query('insert into session_attendance (id, session_id, user_id) values ($1, $2, $3)', [crypto.randomUUID(), sessionId, userId]);
  return true;
}

export async function updateSessionRecord(db: Queryable, sessionId: string, notes: string, held: boolean): Promise<void> {
  await db.query('update programme_sessions set notes = $2, held = $3, updated_at = now() where id = $1', [sessionId, notes, held]);
}
