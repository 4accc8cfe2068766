import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

export type IdeaStatus = 'awaiting_moderation' | 'submitted' | 'shortlisted' | 'declined';

export type Idea = {
  id: string;
  programmeId: string;
  title: string;
  problem: string;
  whoBenefits: string;
  idea: string;
  roughCostPence: number | null;
  howWeKnow: string;
  status: IdeaStatus;
  source: 'participant' | 'public';
  submittedBy: string | null;
  submitterName: string | null;
  submitterEmail: string | null;
  organisationId: string | null;
  createdAt: Date;
  author: string | null;
  organisationName: string | null;
  supports: number;
  comments: number;
  teamId: string | null;
  teamName: string | null;
};

export type IdeaFields = { title: string; problem: string; whoBenefits: string; idea: string; roughCostPence: number | null; howWeKnow: string };

export async function insertIdea(
  db: Queryable,
  programmeId: string,
  f: IdeaFields & { status: IdeaStatus; source: 'participant' | 'public'; submittedBy: string | null; submitterName: string | null; submitterEmail: string | null; organisationId: string | null },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into ideas (id, programme_id, title, problem, who_benefits, idea, rough_cost_pence, how_we_know, status, source, submitted_by, submitter_name, submitter_email, organisation_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [id, programmeId, f.title, f.problem, f.whoBenefits, f.idea, f.roughCostPence, f.howWeKnow, f.status, f.source, f.submittedBy, f.submitterName, f.submitterEmail, f.organisationId],
  );
  return id;
}

const listSql = `select i.id, i.programme_id as "programmeId", i.title, i.problem, i.who_benefits as "whoBenefits", i.idea, i.rough_cost_pence as "roughCostPence",
    i.how_we_know as "howWeKnow", i.status, i.source, i.submitted_by as "submittedBy", i.submitter_name as "submitterName", i.submitter_email as "submitterEmail",
    i.organisation_id as "organisationId", i.created_at as "createdAt",
    coalesce(u.name, i.submitter_name) as author, o.name as "organisationName",
    (select count(*)::int from idea_supports s where s.idea_id = i.id) as supports,
    (select count(*)::int from idea_comments c where c.idea_id = i.id) as comments,
    t.id as "teamId", t.name as "teamName"
  from ideas i left join users u on u.id = i.submitted_by left join organisations o on o.id = i.organisation_id
  left join teams t on t.idea_id = i.id`;

export async function listIdeas(db: Queryable, programmeId: string): Promise<Idea[]> {
  return db.query<Idea>(`${listSql} where i.programme_id = $1 order by i.status = 'shortlisted' desc, supports desc, i.created_at`, [programmeId]);
}

export async function getIdea(db: Queryable, programmeId: string, ideaId: string, options: { lock?: boolean } = {}): Promise<Idea | undefined> {
  if (options.lock) await db.query('select id from ideas where id = $1 for update', [ideaId]);
  return (await db.query<Idea>(`${listSql} where i.programme_id = $1 and i.id = $2`, [programmeId, ideaId]))[0];
}

export async function updateIdea(db: Queryable, ideaId: string, f: IdeaFields): Promise<void> {
  await db.query(
    'update ideas set title = $2, problem = $3, who_benefits = $4, idea = $5, rough_cost_pence = $6, how_we_know = $7, updated_at = now() where id = $1',
    [ideaId, f.title, f.problem, f.whoBenefits, f.idea, f.roughCostPence, f.howWeKnow],
  );
}

export async function setIdeaStatus(db: Queryable, ideaId: string, status: IdeaStatus): Promise<void> {
  await db.query('update ideas set status = $2, updated_at = now() where id = $1', [ideaId, status]);
}

export type Comment = { id: string; body: string; createdAt: Date; author: string; userId: string };

export async function listComments(db: Queryable, ideaId: string): Promise<Comment[]> {
  return db.query<Comment>(
    'select c.id, c.body, c.created_at as "createdAt", u.name as author, c.user_id as "userId" from idea_comments c join users u on u.id = c.user_id where c.idea_id = $1 order by c.created_at',
    [ideaId],
  );
}

export async function insertComment(db: Queryable, ideaId: string, userId: string, text: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query('insert into idea_comments (id, idea_id, user_id, body) values ($1, $2, $3, $4)', [id, ideaId, userId, text]);
  return id;
}

export async function hasSupported(db: Queryable, ideaId: string, userId: string): Promise<boolean> {
  return (await db.query('select 1 from idea_supports where idea_id = $1 and user_id = $2', [ideaId, userId])).length > 0;
}

export async function addSupport(db: Queryable, ideaId: string, userId: string): Promise<void> {
  await db.query('insert into idea_supports (id, idea_id, user_id) values ($1, $2, $3) on conflict (idea_id, user_id) do nothing', [crypto.randomUUID(), ideaId, userId]);
}

export async function removeSupport(db: Queryable, ideaId: string, userId: string): Promise<void> {
  await db.query('delete from idea_supports where idea_id = $1 and user_id = $2', [ideaId, userId]);
}
