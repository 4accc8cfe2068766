import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';
import { sql } from '../../../platform/db/sql.ts';
import type { ChecklistInput } from './closure.schemas.ts';

export type Checklist = {
  finalReportReviewed: boolean;
  spendReconciled: boolean;
  meetingNotes: string;
  intellectualProperty: string;
  personalData: string;
  communications: string;
  assets: string;
};

export async function checklist(db: Queryable, grantId: string): Promise<Checklist | undefined> {
  return (
    await db.query<Checklist>(sql`select final_report_reviewed as "finalReportReviewed", spend_reconciled as "spendReconciled", meeting_notes as "meetingNotes",
      intellectual_property as "intellectualProperty", personal_data as "personalData", communications, assets from grant_closures where grant_id = ${grantId}`)
  )[0];
}

export async function saveChecklist(db: Queryable, grantId: string, c: ChecklistInput): Promise<void> {
  await db.query(sql`
    insert into grant_closures (grant_id, final_report_reviewed, spend_reconciled, meeting_notes, intellectual_property, personal_data, communications, assets)
    values (${grantId}, ${c.finalReportReviewed}, ${c.spendReconciled}, ${c.meetingNotes}, ${c.intellectualProperty}, ${c.personalData}, ${c.communications}, ${c.assets})
    on conflict (grant_id) do update set final_report_reviewed = excluded.final_report_reviewed, spend_reconciled = excluded.spend_reconciled,
      meeting_notes = excluded.meeting_notes, intellectual_property = excluded.intellectual_property, personal_data = excluded.personal_data,
      communications = excluded.communications, assets = excluded.assets, updated_at = now()`);
}

export async function setUnderspend(db: Queryable, grantId: string, pence: number, outcome: 'returned' | 'reallocated' | null): Promise<void> {
  await db.query(sql`update grants set underspend_pence = ${pence}, underspend_outcome = ${outcome}, version = version + 1, updated_at = now() where id = ${grantId}`);
}

export type LetterVersion = {
  id: string;
  version: number;
  body: string;
  fingerprint: string;
  note: string;
  byName: string | null;
  createdAt: Date;
  comments: { byName: string | null; body: string; suggestedText: string; createdAt: string }[];
  signatures: { party: 'funder' | 'grantee'; typedName: string; signerRole: string; signedOn: string; fingerprint: string; userId: string }[];
};

export async function letterVersions(db: Queryable, grantId: string): Promise<LetterVersion[]> {
  return db.query<LetterVersion>(sql`
    select v.id, v.version, v.body, v.fingerprint, v.note, u.name as "byName", v.created_at as "createdAt",
      coalesce((select json_agg(json_build_object('byName', cu.name, 'body', c.body, 'suggestedText', c.suggested_text, 'createdAt', c.created_at) order by c.created_at)
        from grant_letter_comments c left join users cu on cu.id = c.user_id where c.version_id = v.id), '[]'::json) as comments,
      coalesce((select json_agg(json_build_object('party', s.party, 'typedName', s.typed_name, 'signerRole', s.signer_role, 'signedOn', s.signed_on, 'fingerprint', s.fingerprint, 'userId', s.user_id) order by s.party desc)
        from grant_letter_signatures s where s.version_id = v.id), '[]'::json) as signatures
    from grant_letter_versions v left join users u on u.id = v.created_by where v.grant_id = ${grantId} order by v.version desc`);
}

/** Adds a version; the unique (grant, version) means two editors saving at once cannot both be version n. */
export async function insertVersion(db: Queryable, grantId: string, version: number, body: string, fingerprint: string, note: string, by: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(sql`insert into grant_letter_versions (id, grant_id, version, body, fingerprint, note, created_by) values (${id}, ${grantId}, ${version}, ${body}, ${fingerprint}, ${note}, ${by})`);
  return id;
}

export async function insertComment(db: Queryable, versionId: string, by: string, body: string, suggestedText: string): Promise<void> {
  await db.query(sql`insert into grant_letter_comments (id, version_id, user_id, body, suggested_text) values (${crypto.randomUUID()}, ${versionId}, ${by}, ${body}, ${suggestedText})`);
}

export async function insertSignature(db: Queryable, versionId: string, s: { party: string; typedName: string; signerRole: string; signedOn: string; fingerprint: string }, by: string): Promise<boolean> {
  const rows = await db.query(sql`insert into grant_letter_signatures (id, version_id, party, typed_name, signer_role, signed_on, fingerprint, user_id)
    values (${crypto.randomUUID()}, ${versionId}, ${s.party}, ${s.typedName}, ${s.signerRole}, ${s.signedOn}, ${s.fingerprint}, ${by}) on conflict (version_id, party) do nothing returning id`);
  return rows.length > 0;
}

/** Locks the grant's letter versions, so a signature and a new version cannot pass each other. */
export async function lockLetter(db: Queryable, grantId: string): Promise<void> {
  await db.query(sql`select id from grants where id = ${grantId} for update`);
}
