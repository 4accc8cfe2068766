import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, brokenErrorSummaryLinks, buildOrganisation, buildUser, createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import { loadOrganisationRecords, saveOrganisationRecords } from '../directory.repository.ts';
import { flagPossibleDuplicates } from '../duplicates.ts';
import { anEditorsOrganisation } from '../../../../test/support/directory.ts';

/** Two organisations with very similar names at one postcode (unique to each pair), flagged. */
async function aDuplicatePair(t: TestApp, postcode: string) {
  const keep = await buildOrganisation(t.db, { name: 'Millbrook Men’s Shed', postcode });
  const other = await buildOrganisation(t.db, { name: 'Millbrook Mens Shed', postcode });
  const [record] = await loadOrganisationRecords(t.db, [other.id]);
  record.identifiers = [{ id: crypto.randomUUID(), scheme: 'GB-CHC', type: 'charity number', identifier: `55${postcode.replace(/\D/g, '')}67` }];
  await saveOrganisationRecords(t.db, [record]);
  await flagPossibleDuplicates(t.db, { ...record });
  const [flag] = await t.db.query<{ id: string }>(`select id from duplicate_flags where status = 'open' and (organisation_id = $1 or candidate_id = $1)`, [other.id]);
  return { keep, other, flagId: flag.id };
}

describe('possible duplicates and merging', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('lists open flags for admins only, and "Not a duplicate" dismisses one', async () => {
    const { keep, other, flagId } = await aDuplicatePair(t, 'WY5 1AB');
    const admin = await aSignedInUser(t, 'partnership_admin');
    const list = await admin.client.get('/directory/duplicates');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/directory/organisations/${keep.id}"`);
    expect(list.body).toContain(`href="/directory/organisations/${other.id}"`);
    expect(list.body).toContain('very similar name at the same postcode');

    const editor = await anEditorsOrganisation(t);
    expect((await editor.client.get('/directory/duplicates')).statusCode).toBe(403);
    expect((await editor.client.postForm(`/directory/duplicates/${flagId}/dismiss`, {})).statusCode).toBe(403);

    expect((await admin.client.postForm(`/directory/duplicates/${flagId}/dismiss`, {})).statusCode).toBe(303);
    const [flag] = await t.db.query<{ status: string; resolved_by: string }>('select status, resolved_by from duplicate_flags where id = $1', [flagId]);
    expect(flag).toEqual({ status: 'dismissed', resolved_by: admin.user.id });
    expect((await admin.client.get('/directory/duplicates')).body).not.toContain(`/directory/duplicates/${flagId}/merge`);
    expect((await admin.client.postForm(`/directory/duplicates/${flagId}/dismiss`, {})).statusCode).toBe(404);
  });

  it('merges in one go: services, locations, contacts, problem reports and roles move; identifiers are copied; both histories say so', async () => {
    const { keep, other, flagId } = await aDuplicatePair(t, 'WY6 2CD');
    const service = await buildService(t.db, { organisationId: other.id, name: 'Shed Tuesday Session' });
    const problem = crypto.randomUUID();
    await t.db.query(`insert into problem_reports (id, service_id, organisation_id, reason, details) values ($1, $2, $3, 'other', 'The door code changed.')`, [problem, service.id, other.id]);
    const contact = crypto.randomUUID();
    await t.db.query(`insert into contacts (id, organisation_id, name) values ($1, $2, 'Shed volunteer lead')`, [contact, other.id]);
    const editorOfOther = await buildUser(t.db, { role: 'organisation_editor', organisationId: other.id });
    const admin = await aSignedInUser(t, 'partnership_admin');

    const confirm = await admin.client.get(`/directory/duplicates/${flagId}/merge`);
    expect(confirm.body).toContain('Which organisation do you want to keep?');
    expect(confirm.body).toContain('charity number 556267');
    const missing = await admin.client.postForm(`/directory/duplicates/${flagId}/merge`, {});
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Select the organisation to keep');
    expect(brokenErrorSummaryLinks(missing.body)).toEqual([]);
    expect((await t.db.query('select merged_into_id from organisations where id = $1 and merged_into_id is null', [other.id]))).toHaveLength(1);

    const merged = await admin.client.postForm(`/directory/duplicates/${flagId}/merge`, { keep: keep.id });
    expect(merged.statusCode).toBe(303);

    const one = async (sql: string, args: unknown[]) => (await t.db.query<Record<string, unknown>>(sql, args))[0];
    expect(await one('select organisation_id from services where id = $1', [service.id])).toEqual({ organisation_id: keep.id });
    expect(await one('select organisation_id from locations where id = $1', [service.locations[0].id])).toEqual({ organisation_id: keep.id });
    expect(await one('select organisation_id from contacts where id = $1', [contact])).toEqual({ organisation_id: keep.id });
    expect(await one('select organisation_id from problem_reports where id = $1', [problem])).toEqual({ organisation_id: keep.id });
    expect(await one('select organisation_id from memberships where user_id = $1', [editorOfOther.id])).toEqual({ organisation_id: keep.id });
    expect(await one('select merged_into_id from organisations where id = $1', [other.id])).toEqual({ merged_into_id: keep.id });
    expect(await one('select status from duplicate_flags where id = $1', [flagId])).toEqual({ status: 'merged' });
    const [kept] = await loadOrganisationRecords(t.db, [keep.id]);
    expect(kept.identifiers.map((i) => `${i.scheme}-${i.identifier}`)).toEqual(['GB-CHC-556267']);

    const audits = await t.db.query<{ record_id: string }>(`select record_id from audit_log where action = 'merged' and record_type = 'organisation' and record_id in ($1, $2)`, [keep.id, other.id]);
    expect(audits.map((a) => a.record_id).sort()).toEqual([keep.id, other.id].sort());
    const keptHistory = await admin.client.get(`/directory/organisations/${keep.id}/history`);
    expect(keptHistory.body).toContain('Merged from: Millbrook Mens Shed');
    const otherHistory = await admin.client.get(`/directory/organisations/${other.id}/history`);
    expect(otherHistory.body).toContain('Merged into: Millbrook Men’s Shed');

    // The merged organisation is gone from lists; its service now shows under the one kept.
    const listings = await admin.client.get(`/directory/listings?organisation=${keep.id}`);
    expect(listings.body).toContain('Shed Tuesday Session');
    expect((await admin.client.get(`/directory/listings?organisation=${other.id}`)).statusCode).toBe(404);
    expect((await admin.client.get(`/directory/duplicates/${flagId}/merge`)).statusCode).toBe(404);
  });
});
