import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { nations, type Nation } from './nation.ts';

/** An address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
const isAddressOrRange = (entry: string) => {
  const [address, bits, ...rest] = entry.split('/');
  const version = net.isIP(address);
  if (!version || rest.length) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
};

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Common Ground <no-reply@common-ground.invalid>'),
  DEMO_DATA: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((e) => e.trim()).filter(Boolean))
    .refine((entries) => entries.every(isAddressOrRange), 'TRUSTED_PROXIES must be addresses or CIDR ranges separated by commas, like 127.0.0.1,10.0.0.0/8'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  STALE_AFTER_MONTHS: z.coerce.number().int().positive().default(6),
  PARTNERSHIP_NAME: z.string().trim().min(1).max(120).optional(),
  SERVICE_NAME: z.string().trim().min(1, 'SERVICE_NAME must not be empty').max(60, 'SERVICE_NAME must be 60 characters or fewer').default('Common Ground'),
  PARTNERSHIP_LOGO: z.string().optional(),
  NATION: z.enum(nations, { error: `NATION must be one of ${nations.join(', ')}` }).default('england'),
  GRANTS_360G_PREFIX: z.string().regex(/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/, 'GRANTS_360G_PREFIX must be letters, digits and hyphens, like cgwyndale').default('cgwyndale'),
  EMBEDDED_SHARED_BUFFERS: z.string().regex(/^\d+(kB|MB|GB)$/, 'EMBEDDED_SHARED_BUFFERS must be a size like 32MB').default('32MB'),
  INSIGHT_STORE: z.string().optional(),
  INSIGHT_KEY_FILE: z.string().optional(),
  INSIGHT_MEMORY_LIMIT: z.string().regex(/^\d+(\.\d+)?(MB|GB|MiB|GiB)$/, 'INSIGHT_MEMORY_LIMIT must be a size like 1GB or 512MB').default('1GB'),
  INSIGHT_THREADS: z.coerce.number().int().min(1, 'INSIGHT_THREADS must be a whole number from 1 to 64').max(64, 'INSIGHT_THREADS must be a whole number from 1 to 64').optional(),
  INSIGHT_SMALL_NUMBER: z.coerce.number().int().min(1, 'must be a whole number from 1 to 100').max(100, 'must be a whole number from 1 to 100').default(10),
  SOCIAL_PRESCRIBING_RETENTION_YEARS: z.coerce.number().int().min(1, 'must be a whole number of years from 1 to 100').max(100, 'must be a whole number of years from 1 to 100').default(8),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl: string;
  cookieSecure: boolean;
  smtpUrl?: string;
  mailFrom: string;
  loadDemoData: boolean;
  logLevel: string;
  bodyLimitBytes: number;
  /** Reverse proxies whose X-Forwarded-For is believed; from anyone else it is ignored. */
  trustedProxies: string[];
  staleAfterMonths: number;
  /** The embedded database's buffer cache (PostgreSQL's shared_buffers); the operating system caches its files as well. */
  embeddedSharedBuffers: string;
  /** Years a closed social prescribing record is kept before it may be anonymised. */
  socialPrescribingRetentionYears: number;
  /** Whose service this is: shown in the header and footer. The NHS brand is never assumed. */
  partnershipName: string;
  serviceName: string;
  /** The partnership's own logo, read at start-up and served by the app; none by default. */
  partnershipLogo?: PartnershipLogo;
  /** Which nation's identifiers, deprivation index and structures the pages use. */
  nation: Nation;
  /** The publisher prefix registered with 360Giving: grant identifiers are 360G-<prefix>-<reference>. */
  grants360Prefix: string;
  /**
   * Whole-system insight: the DuckDB file (':memory:' in tests), the pseudonymisation key file, the
   * smallest number of people a published figure may be about, and the store's memory limit and threads.
   */
  insight: { store: string; keyFile?: string; smallNumber: number; memoryLimit: string; threads: number };
};

export type PartnershipLogo = { path: string; contentType: string };

const DEMO_PARTNERSHIP_NAME = 'Wyndale Health and Care Partnership';

const imageTypes: { contentType: string; matches: (head: Buffer) => boolean }[] = [
  { contentType: 'image/png', matches: (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { contentType: 'image/jpeg', matches: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
  { contentType: 'image/gif', matches: (h) => h.subarray(0, 4).toString('latin1') === 'GIF8' },
  { contentType: 'image/webp', matches: (h) => h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WEBP' },
  { contentType: 'image/svg+xml', matches: (h) => /<svg[\s>]/.test(h.toString('utf8')) },
];

/** The logo file must exist and be an image; otherwise start-up stops saying what is wrong. */
function readLogo(file: string): PartnershipLogo {
  const resolved = path.resolve(file);
  let head: Buffer;
  try {
    if (!fs.statSync(resolved).isFile()) throw new ConfigError(`Common Ground cannot start: PARTNERSHIP_LOGO is ${resolved}, which is a folder, not an image file.`);
    const fd = fs.openSync(resolved, 'r');
    head = Buffer.alloc(1024);
    const read = fs.readSync(fd, head, 0, 1024, 0);
    fs.closeSync(fd);
    head = head.subarray(0, read);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Common Ground cannot start: PARTNERSHIP_LOGO names ${resolved}, but there is no file there that can be read. Check the path, or leave PARTNERSHIP_LOGO unset for no logo.`);
  }
  const type = imageTypes.find((t) => t.matches(head));
  if (!type) throw new ConfigError(`Common Ground cannot start: PARTNERSHIP_LOGO (${resolved}) is not an image. Use a PNG, JPEG, GIF, WebP or SVG file.`);
  return { path: resolved, contentType: type.contentType };
}

export class ConfigError extends Error {}

/** Reads the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Common Ground cannot start: the environment has problems:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === 'true' : (e.PUBLIC_URL ?? '').startsWith('https://'),
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    loadDemoData: e.DEMO_DATA === 'true',
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    trustedProxies: e.TRUSTED_PROXIES,
    staleAfterMonths: e.STALE_AFTER_MONTHS,
    socialPrescribingRetentionYears: e.SOCIAL_PRESCRIBING_RETENTION_YEARS,
    // The demo is the Wyndale partnership's; a real one names itself.
    partnershipName: e.PARTNERSHIP_NAME ?? (e.DEMO_DATA === 'true' ? DEMO_PARTNERSHIP_NAME : e.SERVICE_NAME),
    serviceName: e.SERVICE_NAME,
    partnershipLogo: e.PARTNERSHIP_LOGO ? readLogo(e.PARTNERSHIP_LOGO) : undefined,
    nation: e.NATION,
    grants360Prefix: e.GRANTS_360G_PREFIX,
    embeddedSharedBuffers: e.EMBEDDED_SHARED_BUFFERS,
    insight: {
      store: e.INSIGHT_STORE === ':memory:' ? ':memory:' : path.resolve(e.INSIGHT_STORE ?? path.join(e.DATA_DIR, 'insight.duckdb')),
      keyFile: e.INSIGHT_KEY_FILE ? path.resolve(e.INSIGHT_KEY_FILE) : undefined,
      smallNumber: e.INSIGHT_SMALL_NUMBER,
      memoryLimit: e.INSIGHT_MEMORY_LIMIT,
      // The store shares the machine with the web server and the database: at most the cores there are.
      threads: e.INSIGHT_THREADS ?? Math.min(os.availableParallelism(), 4),
    },
  };
}
