/* The server as `npm start` runs it, spawned for the benchmarks: start, stop, memory, signing in. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = { child: ChildProcess; base: string; output: () => string; readyMs: number };

/** The embedded database unless databaseUrl is given: a DATABASE_URL in the caller's environment is left out. */
function serverEnv(dataDir: string, port: number, base: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, LOG_LEVEL: 'warn', DEMO_DATA: 'true' };
  delete env.DATABASE_URL;
  return { ...env, ...extra };
}

/** Spawns `node --import tsx src/main.ts` (with nodeArgs before it, e.g. --cpu-prof) and waits for /readyz. */
export async function startServer(dataDir: string, port: number, options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<RunningServer> {
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: serverEnv(dataDir, port, base, options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));
  const deadline = started + 300_000;
  while (performance.now() < deadline) {
    if (exited !== null) throw new Error(`the server stopped (exit ${exited}): ${output.trim().split('\n').slice(-3).join(' / ')}`);
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return { child, base, output: () => output, readyMs: performance.now() - started };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not answer /readyz within 5 minutes');
}

export async function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a process and, when it has any, of its child processes (cluster workers). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  if (!kb) throw new Error('no VmRSS in /proc status');
  return kb / 1024;
}

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]);

/** Signs in through the real form (CSRF token and all) and returns the Cookie header to send. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`);
  const jar = new Map(cookiesOf(form).map((c) => [c.split('=')[0], c]));
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('no CSRF token on /sign-in');
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...jar.values()].join('; ') },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  if (response.status !== 303) throw new Error(`signing in answered ${response.status}`);
  for (const c of cookiesOf(response)) jar.set(c.split('=')[0], c);
  return [...jar.values()].join('; ');
}

/** The CSRF token of a signed-in page, for API writes made with the session cookie (x-csrf-token). */
export async function csrfToken(base: string, cookie: string, page = '/account'): Promise<string> {
  const response = await fetch(`${base}${page}`, { headers: { cookie } });
  const token = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1];
  if (!token) throw new Error(`no CSRF token on ${page}`);
  return token;
}
