import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createServer } from '../../src/server.ts';
import { createTestDatabase } from './test-database.ts';
import { RecordingMailer } from './mail.ts';

export type TestApp = { app: FastifyInstance; db: Database; mailer: RecordingMailer; close(): Promise<void> };

/** One pseudonymisation key for this test process, so no test writes a key into ./data. */
let insightKey: string | undefined;
function insightKeyFile(): string {
  if (!insightKey) {
    insightKey = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-insight-key-')), 'insight.key');
    fs.writeFileSync(insightKey, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  return insightKey;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  // Whole-system insight's store lives in memory in tests, never in ./data.
  const config = loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'false', INSIGHT_STORE: ':memory:', INSIGHT_KEY_FILE: insightKeyFile(), ...env });
  // Mail goes to SMTP_URL only when a test gives one (test/support/mail.ts has a server to give).
  const mailer = new RecordingMailer(db, { smtpUrl: config.smtpUrl, from: config.mailFrom });
  const app = await createServer(config, db, mailer);
  await app.ready();
  return {
    app,
    db,
    mailer,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** A browser-like client over app.inject(): keeps cookies and fills in the CSRF token for forms. */
export class TestClient {
  cookies = new Map<string, string>();
  constructor(readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: LightMyRequestResponse) {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  async csrfToken(): Promise<string> {
    const page = await this.get('/sign-in');
    const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (!match) throw new Error('no CSRF token on /sign-in');
    return match[1];
  }

  /** Posts a form as a browser would, with a valid CSRF token unless one is given. */
  async postForm(url: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}) {
    const token = options.csrf === undefined ? await this.csrfToken() : options.csrf;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    if (token) params.set('_csrf', token);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: params.toString(),
      }),
    );
  }

  /** A new client, already signed in. */
  static async signedIn(app: FastifyInstance, email: string, password: string): Promise<TestClient> {
    const client = new TestClient(app);
    await client.signIn(email, password);
    return client;
  }

  async signIn(email: string, password: string) {
    const response = await this.postForm('/sign-in', { email, password });
    if (response.statusCode !== 303) throw new Error(`sign-in failed: ${response.statusCode}`);
    return response;
  }
}
