import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { empty, raw, sql } from '../../../platform/db/sql.ts';
import type { Stage } from '../stages.ts';

export type Programme = {
  id: string;
  name: string;
  purpose: string;
  startsOn: string | null;
  endsOn: string | null;
  fundPence: number;
  stage: Stage;
  caseDeadline: Date | null;
  publicIdeas: boolean;
  votePotPence: number;
  voteMethod: 'approval' | 'budget';
  voteMaxChoices: number;
  voteOpen: boolean;
  voteAppliedAt: Date | null;
  organisationId: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const programmeColumns = `p.id, p.name, p.purpose, p.starts_on as "startsOn", p.ends_on as "endsOn", p.fund_pence as "fundPence", p.stage,
  p.case_deadline as "caseDeadline", p.public_ideas as "publicIdeas", p.vote_pot_pence as "votePotPence", p.vote_method as "voteMethod",
  p.vote_max_choices as "voteMaxChoices", p.vote_open as "voteOpen", p.vote_applied_at as "voteAppliedAt", p.organisation_id as "organisationId",
  p.created_by as "createdBy", p.created_at as "createdAt", p.updated_at as "updatedAt"`;

export type ProgrammeFields = {
  name: string;
  purpose: string;
  startsOn: string | null;
  endsOn: string | null;
  fundPence: number;
  /** 'YYYY-MM-DD HH:MM', UK time */
  caseDeadline: string | null;
  publicIdeas: boolean;
};

export async function insertProgramme(db: Queryable, p: ProgrammeFields & { organisationId: string | null; createdBy: string | null }): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into programmes (id, name, purpose, starts_on, ends_on, fund_pence, case_deadline, public_ideas, organisation_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7::timestamp at time zone 'Europe/London', $8, $9, $10)`,
    [id, p.name, p.purpose, p.startsOn, p.endsOn, p.fundPence, p.caseDeadline, p.publicIdeas, p.organisationId, p.createdBy],
  );
  return id;
}

export async function updateProgramme(db: Queryable, id: string, p: ProgrammeFields): Promise<void> {
  await db.query(
    `update programmes set name = $2, purpose = $3, starts_on = $4, ends_on = $5, fund_pence = $6,
       case_deadline = $7::timestamp at time zone 'Europe/London', public_ideas = $8, updated_at = now() where id = $1`,
    [id, p.name, p.purpose, p.startsOn, p.endsOn, p.fundPence, p.caseDeadline, p.publicIdeas],
  );
}

export async function getProgramme(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<Programme | undefined> {
  const lock = options.lock ? sql`for update` : empty;
  return (await db.query<Programme>(sql`select ${raw(programmeColumns)} from programmes p where p.id = ${id} ${lock}`))[0];
}

export async function setStage(db: Queryable, id: string, stage: Stage): Promise<void> {
  await db.query('update programmes set stage = $2, updated_at = now() where id = $1', [id, stage]);
}

export type ProgrammeListItem = Programme & { ideas: number; teams: number; awardedPence: number };

const listColumns = `${programmeColumns},
  (select count(*)::int from ideas i where i.programme_id = p.id and i.status <> 'awaiting_moderation') as ideas,
  (select count(*)::int from teams t where t.programme_id = p.id) as teams,
  (select coalesce(sum(awarded_pence), 0)::bigint from investment_decisions d where d.programme_id = p.id) as "awardedPence"`;

export async function listAllProgrammes(db: Queryable): Promise<ProgrammeListItem[]> {
  return db.query<ProgrammeListItem>(`select ${listColumns} from programmes p order by p.stage = 'closed', p.created_at desc`);
}

export async function listProgrammesForUser(db: Queryable, userId: string): Promise<ProgrammeListItem[]> {
  return db.query<ProgrammeListItem>(
    `select ${listColumns} from programmes p where exists (select 1 from programme_members m where m.programme_id = p.id and m.user_id = $1)
      order by p.stage = 'closed', p.created_at desc`,
    [userId],
  );
}

export async function takesPartAnywhere(db: Queryable, userId: string): Promise<boolean> {
  return (await db.query('select 1 from programme_members where user_id = $1 limit 1', [userId])).length > 0;
}

export type MemberRole = 'participant' | 'panel';
export type Member = { id: string; userId: string; name: string; email: string; organisationId: string | null; organisationName: string | null; role: MemberRole; chair: boolean };

export async function listMembers(db: Queryable, programmeId: string): Promise<Member[]> {
  return db.query<Member>(
    `select m.id, m.user_id as "userId", u.name, u.email, m.organisation_id as "organisationId", o.name as "organisationName", m.role, m.chair
       from programme_members m join users u on u.id = m.user_id left join organisations o on o.id = m.organisation_id
      where m.programme_id = $1 order by m.role desc, u.name`,
    [programmeId],
  );
}

export async function getMember(db: Queryable, programmeId: string, userId: string): Promise<Member | undefined> {
  return (await listMembers(db, programmeId)).find((m) => m.userId === userId);
}

export async function memberRole(db: Queryable, programmeId: string, userId: string): Promise<{ role: MemberRole; chair: boolean; organisationId: string | null } | undefined> {
  return (
    await db.query<{ role: MemberRole; chair: boolean; organisationId: string | null }>(
      'select role, chair, organisation_id as "organisationId" from programme_members where programme_id = $1 and user_id = $2',
      [programmeId, userId],
    )
  )[0];
}

export async function teamIdsOf(db: Queryable, programmeId: string, userId: string): Promise<string[]> {
  const rows = await db.query<{ teamId: string }>(
    'select tm.team_id as "teamId" from team_members tm join teams t on t.id = tm.team_id where t.programme_id = $1 and tm.user_id = $2',
    [programmeId, userId],
  );
  return rows.map((r) => r.teamId);
}

export async function upsertMember(db: Queryable, programmeId: string, userId: string, organisationId: string | null, role: MemberRole, chair = false): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `insert into programme_members (id, programme_id, user_id, organisation_id, role, chair) values ($1, $2, $3, $4, $5, $6)
     on conflict (programme_id, user_id) do update set organisation_id = excluded.organisation_id, role = excluded.role, chair = excluded.chair, updated_at = now()
     returning id`,
    [crypto.randomUUID(), programmeId, userId, organisationId, role, role === 'panel' && chair],
  );
  return rows[0].id;
}

/** A programme has one chair: making someone chair stands the previous one down. */
export async function clearChair(db: Queryable, programmeId: string): Promise<void> {
  await db.query('update programme_members set chair = false, updated_at = now() where programme_id = $1 and chair', [programmeId]);
}

export type ProgrammeInvitation = { id: string; programmeId: string; email: string; name: string; organisationId: string | null; organisationName: string | null; role: MemberRole; chair: boolean; createdAt: string };

const invitationSql = `select i.id, i.programme_id as "programmeId", i.email, i.name, i.organisation_id as "organisationId", o.name as "organisationName", i.role, i.chair, i.created_at as "createdAt"
  from programme_invitations i left join organisations o on o.id = i.organisation_id`;

/** Records (or renews) an invitation to a programme not yet accepted. */
export async function upsertInvitation(db: Queryable, i: { programmeId: string; email: string; name: string; organisationId: string | null; role: MemberRole; chair: boolean; invitedBy: string }): Promise<string> {
  await db.query('delete from programme_invitations where programme_id = $1 and lower(email) = lower($2) and accepted_at is null', [i.programmeId, i.email]);
  const id = crypto.randomUUID();
  await db.query(
    `insert into programme_invitations (id, programme_id, email, name, organisation_id, role, chair, invited_by) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, i.programmeId, i.email, i.name, i.organisationId, i.role, i.role === 'panel' && i.chair, i.invitedBy],
  );
  return id;
}

export async function pendingInvitations(db: Queryable, programmeId: string): Promise<ProgrammeInvitation[]> {
  return db.query<ProgrammeInvitation>(`${invitationSql} where i.programme_id = $1 and i.accepted_at is null order by i.created_at desc`, [programmeId]);
}

/** Invitations to anyone with this email address not yet accepted, in every programme (or one). */
export async function pendingInvitationsFor(db: Queryable, email: string, programmeId?: string): Promise<ProgrammeInvitation[]> {
  return db.query<ProgrammeInvitation>(`${invitationSql} where lower(i.email) = lower($1) and i.accepted_at is null and ($2::uuid is null or i.programme_id = $2) order by i.created_at`, [email, programmeId ?? null]);
}

export async function markInvitationAccepted(db: Queryable, id: string, userId: string): Promise<boolean> {
  return (await db.query('update programme_invitations set accepted_at = now(), accepted_by = $2, updated_at = now() where id = $1 and accepted_at is null returning id', [id, userId])).length > 0;
}

export async function deleteMember(db: Queryable, programmeId: string, userId: string): Promise<void> {
  await db.query('delete from programme_members where programme_id = $1 and user_id = $2', [programmeId, userId]);
}

export async function findUserByEmail(db: Queryable, email: string): Promise<{ id: string; name: string } | undefined> {
  return (await db.query<{ id: string; name: string }>('select id, name from users where lower(email) = lower($1) and is_active', [email]))[0];
}

export type OrganisationChoice = { id: string; name: string };

/** Organisations that can take part: every one in the partnership that has not been merged into another. */

export async function getOrganisation(db: Queryable, id: string): Promise<{ id: string; name: string } | undefined> {
  return (await db.query<{ id: string; name: string }>('select id, name from organisations where id = $1 and merged_into_id is null', [id]))[0];
}

export async function organisationsNamed(db: Queryable, ids: string[]): Promise<OrganisationChoice[]> {
  if (!ids.length) return [];
  return db.query<OrganisationChoice>('select id, name from organisations where id = any($1::uuid[]) order by name', [ids]);
}

export async function organisationExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('select 1 from organisations where id = $1 and merged_into_id is null', [id])).length > 0;
}

export type Criterion = { id: string; programmeId: string; name: string; description: string; weight: number; position: number };

export async function listCriteria(db: Queryable, programmeId: string): Promise<Criterion[]> {
  return db.query<Criterion>('select id, programme_id as "programmeId", name, description, weight, position from programme_criteria where programme_id = $1 order by position, name', [programmeId]);
}

export async function insertCriterion(db: Queryable, programmeId: string, c: { name: string; description: string; weight: number }): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into programme_criteria (id, programme_id, name, description, weight, position)
     values ($1, $2, $3, $4, $5, (select coalesce(max(position), 0) + 1 from programme_criteria where programme_id = $2))`,
    [id, programmeId, c.name, c.description, c.weight],
  );
  return id;
}

export async function updateCriterion(db: Queryable, id: string, c: { name: string; description: string; weight: number }): Promise<void> {
  await db.query('update programme_criteria set name = $2, description = $3, weight = $4, updated_at = now() where id = $1', [id, c.name, c.description, c.weight]);
}

export async function deleteCriterion(db: Queryable, id: string): Promise<void> {
  await db.query('delete from programme_criteria where id = $1', [id]);
}

export async function criterionHasScores(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('select 1 from case_scores where criterion_id = $1 limit 1', [id])).length > 0;
}

export type FundPosition = { fundPence: number; awardedPence: number; heldForVotePence: number; remainingPence: number; decisions: number };

/** The fund, what is awarded, what is held for a community vote not yet applied, and what remains for the panel. */
export async function fundPosition(db: Queryable, programme: Programme): Promise<FundPosition> {
  const row = (
    await db.query<{ awarded: number; decisions: number }>(
      'select coalesce(sum(awarded_pence), 0)::bigint as awarded, count(*)::int as decisions from investment_decisions where programme_id = $1',
      [programme.id],
    )
  )[0];
  const held = programme.voteAppliedAt ? 0 : programme.votePotPence;
  return { fundPence: programme.fundPence, awardedPence: row.awarded, heldForVotePence: held, remainingPence: programme.fundPence - row.awarded - held, decisions: row.decisions };
}
