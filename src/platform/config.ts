import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

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
  INSIGHT_STORE: z.string().optional(),
  INSIGHT_KEY_FILE: z.string().optional(),
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
  /** Years a closed social prescribing record is kept before it may be anonymised. */
  socialPrescribingRetentionYears: number;
  /** Whole-system insight: the DuckDB file (':memory:' in tests), the pseudonymisation key file, and the smallest number of people a published figure may be about. */
  insight: { store: string; keyFile?: string; smallNumber: number };
};

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
    insight: {
      store: e.INSIGHT_STORE === ':memory:' ? ':memory:' : path.resolve(e.INSIGHT_STORE ?? path.join(e.DATA_DIR, 'insight.duckdb')),
      keyFile: e.INSIGHT_KEY_FILE ? path.resolve(e.INSIGHT_KEY_FILE) : undefined,
      smallNumber: e.INSIGHT_SMALL_NUMBER,
    },
  };
}
