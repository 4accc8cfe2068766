import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSignedInUser, createTestApp, TestClient, type TestApp } from '../../../../test/support/kit.ts';
import { buildService } from '../../../../test/support/directory-factories.ts';
import type { Actor } from '../../../platform/actor.ts';
import { Refusal } from '../../../platform/refusal.ts';
import { downloadDirectory } from './export.service.ts';
import { recentImports, startFeedImport, startFileImport, viewImportRun } from './transfer.service.ts';

/** A multipart form as a browser sends it: fields, and a file under "file". */
function multipart(fields: Record<string, string>, file?: { name: string; content: string }) {
  const boundary = `----cg${crypto.randomUUID()}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n${file.content}\r\n`);
  return { payload: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('the import and export pages', () => {
  let t: TestApp;
  let admin: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await aSignedInUser(t, 'partnership_admin')).client;
  });
  afterAll(() => t?.close());

  const post = async (client: TestClient, fields: Record<string, string>, file?: { name: string; content: string }) => {
    const { payload, contentType } = multipart({ _csrf: await client.csrfToken(), ...fields }, file);
    return t.app.inject({ method: 'POST', url: '/directory/import', payload, headers: { 'content-type': contentType, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  };

  it('sends anonymous people to sign in and refuses everyone but partnership admins', async () => {
    const anonymous = new TestClient(t.app);
    expect((await anonymous.get('/directory/import')).statusCode).toBe(302);
    const { client } = await aSignedInUser(t, 'organisation_editor');
    for (const url of ['/directory/import', '/directory/export.csv', '/directory/export.ndjson']) expect((await client.get(url)).statusCode).toBe(403);
    expect((await post(client, { source: 'file' }, { name: 'a.csv', content: 'service_name,organisation_name\nA,B' })).statusCode).toBe(403);
    expect(await t.db.query('select 1 from import_runs')).toEqual([]);
  });

  it('starts an upload in the background and shows its report', async () => {
    const response = await post(admin, { source: 'file', format: '' }, { name: 'a.csv', content: 'service_name,organisation_name,needs\nGood Service,Test Org,food\nBad Service,Test Org,nonsense\n' });
    expect(response.statusCode).toBe(303);
    const runPage = response.headers.location as string;
    expect(runPage).toMatch(/^\/directory\/import\/[0-9a-f-]{36}$/);
    let page = await admin.get(runPage);
    for (let i = 0; i < 100 && page.body.includes('http-equiv="refresh"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      page = await admin.get(runPage);
    }
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Finished');
    expect(page.body).toContain('Bad Service');
    expect(page.body).toContain('&quot;nonsense&quot; is not a need code');
    expect((await admin.get('/directory/import')).body).toContain(runPage);
    expect((await admin.get(`/directory/import/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await admin.get('/directory/import/not-a-run')).statusCode).toBe(404);
  });

  it.each([
    [{ source: 'file' }, undefined, 'Choose a file to upload'],
    [{ source: 'file' }, { name: 'empty.csv', content: '' }, 'Choose a file to upload'],
    [{ source: 'file', format: 'oruk-json' }, { name: 'x.json', content: '{"broken": ' }, 'not valid JSON'],
    [{ source: 'file', format: 'csv' }, { name: 'x.csv', content: 'name,email\nA,b@example.org' }, 'needs the columns service_name and organisation_name'],
    [{ source: 'file', format: 'ndjson' }, { name: 'x.ndjson', content: 'not json\nnor this' }, 'not NDJSON'],
    [{ source: 'file', format: 'ndjson' }, { name: 'x.ndjson', content: '{"id":"\0"}' }, 'contains NUL characters'],
    [{ source: 'feed', feedUrl: 'ftp://example.org/oruk' }, undefined, 'starts with http:// or https://'],
    [{ source: 'feed', feedUrl: '' }, undefined, 'Enter the address of the feed'],
    [{ source: 'feed', feedUrl: 'http://127.0.0.1:9/oruk' }, undefined, 'This feed cannot be harvested: 127.0.0.1 is a loopback, private or link-local address'],
    [{ source: 'feed', feedUrl: 'http://169.254.169.254/latest' }, undefined, 'HARVEST_ALLOW_PRIVATE=true'],
    [{}, undefined, 'Choose whether to upload a file or read a feed'],
  ])('shows the error summary for a bad upload (%j)', async (fields, file, message) => {
    const response = await post(admin, fields as Record<string, string>, file);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain(message);
    if ('feedUrl' in fields && fields.feedUrl) expect(response.body).toContain(`value="${fields.feedUrl}"`);
  });

  it('downloads the whole directory as CSV and NDJSON', async () => {
    const service = await buildService(t.db, { name: 'Exported Lunch Club' });
    const csv = await admin.get('/directory/export.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="directory-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(csv.body.split('\n')[0]).toMatch(/^\uFEFFservice_id,service_name,/);
    expect(csv.body).toContain('Exported Lunch Club');
    const ndjson = await admin.get('/directory/export.ndjson');
    expect(ndjson.headers['content-type']).toContain('application/x-ndjson');
    const ids = ndjson.body.trimEnd().split('\n').map((l) => JSON.parse(l).id);
    expect(ids).toContain(service.id);
  });

  it('refuses, in the service as well, anyone who does not manage the directory', async () => {
    const editor: Actor = {
      userId: crypto.randomUUID(),
      name: 'Edie Editor',
      email: 'edie@example.org',
      memberships: [{ organisationId: crypto.randomUUID(), organisationName: 'Oakmoor', role: 'organisation_editor' }],
      via: 'session',
    };
    const forbidden = { kind: 'forbidden' };
    await expect(startFileImport(t.db, editor, 'service_name,organisation_name\nA,B', {})).rejects.toMatchObject(forbidden);
    await expect(startFeedImport(t.db, editor, 'https://example.org/oruk')).rejects.toMatchObject(forbidden);
    await expect(recentImports(t.db, editor)).rejects.toMatchObject(forbidden);
    await expect(viewImportRun(t.db, editor, crypto.randomUUID())).rejects.toMatchObject(forbidden);
    expect(() => downloadDirectory(t.db, editor, 'csv')).toThrow(Refusal);
  });
});
