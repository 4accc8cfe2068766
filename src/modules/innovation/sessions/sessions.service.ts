import crypto from 'node:crypto';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { isMember, type ProgrammeAccess } from '../innovation.policy.ts';
import type { SessionForm } from './sessions.schemas.ts';
import { listMembers, type Programme } from '../programmes/programmes.repository.ts';
import { requireManager, requireStage } from '../programmes/programmes.service.ts';
import { getTeam } from '../teams/teams.repository.ts';
import * as repo from './sessions.repository.ts';

/** 'YYYY-MM-DD' plus whole months, keeping the day where the month has it (31 January + 1 month = 28 or 29 February). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Arranges a session, or a repeating series (for example a support group every two months). */
export async function arrangeSessions(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, f: SessionForm, ip?: string): Promise<string[]> {
  requireManager(access);
  requireStage(programme, 'run_sessions');
  if (f.teamId && !(await getTeam(db, programme.id, f.teamId))) throw refuse.invalid('teamId', 'Choose a team from the list');
  const count = f.repeatTimes ?? 1;
  const seriesId = count > 1 ? crypto.randomUUID() : null;
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const date = addMonths(f.date, i * (f.repeatEveryMonths ?? 0));
      const id = await repo.insertSession(tx, programme.id, { kind: f.kind, title: f.title, date, time: f.time, location: f.location, teamId: f.teamId ?? null, seriesId });
      await recordAudit(tx, { actor, action: 'created', recordType: 'programme_session', recordId: id, ip, details: { programme_id: programme.id, kind: f.kind, title: f.title, date, series_id: seriesId } });
      ids.push(id);
    }
    return ids;
  });
}

export async function loadSession(db: Database, programmeId: string, sessionId: string) {
  const session = await repo.getSession(db, programmeId, sessionId);
  if (!session) throw refuse.notFound('Session');
  return session;
}

/** After a session: who came (from anyone taking part, the investment team included) and notes. */
export async function recordSession(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, sessionId: string, input: { attendeeIds: string[]; notes: string; held: boolean }, ip?: string): Promise<void> {
  requireManager(access);
  await loadSession(db, programme.id, sessionId);
  const members = new Set((await listMembers(db, programme.id)).map((m) => m.userId));
  if (input.attendeeIds.some((id) => !members.has(id))) throw refuse.invalid('attendeeIds', 'Choose people taking part in the programme');
  await db.transaction(async (tx) => {
    await repo.setAttendance(tx, sessionId, input.attendeeIds);
    await repo.updateSessionRecord(tx, sessionId, input.notes, input.held);
    await recordAudit(tx, { actor, action: 'updated', recordType: 'programme_session', recordId: sessionId, ip, details: { attendees: input.attendeeIds.length, held: input.held } });
  });
}

/** Anyone taking part, the investment team included, can say they will join a session. */
export async function joinSession(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, sessionId: string, ip?: string): Promise<boolean> {
  if (!isMember(access)) throw refuse.forbidden('Only people taking part in the programme can join its sessions.');
  await loadSession(db, programme.id, sessionId);
  return db.transaction(async (tx) => {
    const joined = await repo.toggleAttendance(tx, sessionId, actor.userId);
    await recordAudit(tx, { actor, action: joined ? 'joined' : 'left', recordType: 'programme_session', recordId: sessionId, ip });
    return joined;
  });
}
