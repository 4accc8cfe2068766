import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/platform/db/pglite-database.ts';
import { createUserWithMembership } from '../../src/modules/identity/index.ts';
import { freePort, startServerProcess, waitFor, type ServerProcess } from '../support/server-process.ts';
import { pgliteTemplateBlob } from '../support/test-database.ts';

const started: ServerProcess[] = [];
const tempDirs: string[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-data-'));
  tempDirs.push(dir);
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}) {
  const s = startServerProcess({ DATA_DIR: dataDir, DEMO_DATA: 'false', ...env }, await freePort());
  started.push(s);
  return s;
}

async function untilRunning(s: ServerProcess) {
  await waitFor(() => s.output().includes('is running at') || s.child.exitCode !== null, 120_000, 'the server to start');
  expect(s.output()).toContain('is running at');
}

/** A data folder holding an embedded database already migrated (a copy of the test run's template), as a server leaves it. */
async function dataDirWithDatabase() {
  const dataDir = tempDataDir();
  const db = await openPglite(path.join(dataDir, 'pgdata'), { loadDataDir: await pgliteTemplateBlob() });
  await db.close();
  return dataDir;
}

/** An embedded database with one user, made before the server starts. */
async function dataDirWithUser(email: string, password: string) {
  const dataDir = tempDataDir();
  const db = await openPglite(path.join(dataDir, 'pgdata'), { loadDataDir: await pgliteTemplateBlob() });
  const [org] = await db.query<{ id: string }>("insert into organisations (id, name) values (gen_random_uuid(), 'Test Org') returning id");
  await createUserWithMembership(db, { name: 'Test User', email, password, organisationId: org.id, role: 'analyst' });
  await db.close();
  return dataDir;
}

/** Fetches the sign-in form; returns a function that submits it. */
async function signInForm(port: number, email: string, password: string): Promise<() => Promise<number>> {
  const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
  const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  return () => submitSignIn(port, csrfCookie, token, email, password);
}

async function signIn(port: number, email: string, password: string): Promise<number> {
  return (await signInForm(port, email, password))();
}

async function submitSignIn(port: number, csrfCookie: string, token: string, email: string, password: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ email, password, _csrf: token }),
  });
  return response.status;
}

describe('the embedded database folder', () => {
  it('refuses a second process on the same data folder at once, with a clear message', async () => {
    const dataDir = await dataDirWithDatabase();
    const first = await start(dataDir);
    await untilRunning(first);
    const second = await start(dataDir);
    const code = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toContain('Another Common Ground');
    expect(second.output()).toContain(dataDir);
    // The first is unharmed.
    expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
  });

  it('leaves nothing half-made when the first start is killed, and the next start succeeds', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir, { DEMO_DATA: 'true' });
    await waitFor(() => fs.readdirSync(dataDir).some((f) => f.startsWith('pgdata.partial-')), 60_000, 'the database to be under construction');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(false);

    const second = await start(dataDir);
    await untilRunning(second);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('pgdata.partial-'))).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status).toBe(200);
  });

  it('keeps every acknowledged write after kill -9, and starts again', async () => {
    const email = 'durable@test.common-ground.invalid';
    const password = 'a-long-test-password';
    const dataDir = await dataDirWithUser(email, password);
    const server = await start(dataDir);
    await untilRunning(server);

    let acknowledged = 0;
    let killed = false;
    const writers = Array.from({ length: 4 }, async () => {
      while (!killed) {
        try {
          if ((await signIn(server.port, email, password)) === 303) acknowledged++;
        } catch {
          return; // the server has gone
        }
      }
    });
    await waitFor(() => acknowledged >= 10, 60_000, 'some writes');
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await server.exited;

    const again = await start(dataDir);
    await untilRunning(again);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);

    const db = await openPglite(path.join(dataDir, 'pgdata'));
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from sessions');
    await db.close();
    expect(n).toBeGreaterThanOrEqual(acknowledged);
  });

  it('finishes a request in flight on SIGTERM, then closes the database and frees the folder', async () => {
    const email = 'graceful@test.common-ground.invalid';
    const password = 'a-long-test-password';
    const dataDir = await dataDirWithUser(email, password);
    const server = await start(dataDir, { LOG_LEVEL: 'info' });
    await untilRunning(server);
    const submit = await signInForm(server.port, email, password);
    const inFlight = submit();
    // Told to stop once the server has the request (its log says so): argon2 keeps it in hand for
    // tens of milliseconds. A request arriving after the stop began would rightly get 503.
    await waitFor(() => server.output().includes('"method":"POST","url":"/sign-in"'), 30_000, 'the server to receive the sign-in');
    server.child.kill('SIGTERM');
    const told = Date.now();
    expect(await inFlight).toBe(303);
    expect(await server.exited).toBe(0);
    // Within the 10 s that `docker stop` and most process managers give before SIGKILL: the kept-alive
    // connection of the answered request must not hold the stop open.
    expect(Date.now() - told).toBeLessThan(10_000);
    expect(fs.existsSync(path.join(dataDir, 'common-ground.lock'))).toBe(false);
  });
});
