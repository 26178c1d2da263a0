import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting Steward reads from the environment, in one place (README lists them).
 * Nothing else in the code base reads process.env for server settings.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  STEWARD_DATA_DIR: z.string().default('./data'),
  STEWARD_MASTER_KEY_FILE: z.string().min(1).optional(),
  STEWARD_AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STEWARD_SECURE_COOKIES: z.enum(['true', 'false', 'auto']).default('auto'),
  STEWARD_SESSION_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 90)
    .default(12),
  // API request limits per minute, per signed-in user and per client address (0: off).
  STEWARD_API_RATE_PER_USER: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  STEWARD_API_RATE_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(6000),
  STEWARD_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  STEWARD_LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .min(0.1)
    .max(24 * 60)
    .default(15),
  STEWARD_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  STEWARD_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  STEWARD_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  STEWARD_ATTACHMENT_TICKET_TOTAL_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(250 * 1024 * 1024),
  STEWARD_ATTACHMENT_USER_TOTAL_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024 * 1024),
  STEWARD_UPLOAD_DIR: z.string().min(1).optional(),
  STEWARD_JOBS: z.enum(['on', 'off']).default('on'),
  STEWARD_JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  STEWARD_JOBS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  // Upkeep of the device backup repositories (cron, UTC): forget by policy, the rotating check, prune.
  STEWARD_BACKUP_FORGET_CRON: z.string().min(1).default('30 1 * * *'),
  STEWARD_BACKUP_CHECK_CRON: z.string().min(1).default('30 2 * * *'),
  STEWARD_BACKUP_PRUNE_CRON: z.string().min(1).default('30 3 * * 0'),
  STEWARD_PUBLIC_URL: z.url().default('http://localhost:8080'),
  STEWARD_SMTP_HOST: z.string().min(1).optional(),
  STEWARD_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  STEWARD_SMTP_SECURITY: z.enum(['none', 'starttls', 'tls']).default('starttls'),
  STEWARD_SMTP_USER: z.string().min(1).optional(),
  STEWARD_SMTP_PASSWORD: z.string().optional(),
  STEWARD_MAIL_FROM: z.string().min(3).default('Steward <steward@localhost>'),
  STEWARD_MAIL_INBOUND: z.enum(['off', 'smtp', 'imap']).default('off'),
  STEWARD_MAIL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  STEWARD_MAIL_SMTP_HOST: z.string().default('127.0.0.1'),
  STEWARD_MAIL_DOMAINS: z.string().default('localhost'),
  STEWARD_MAIL_IMAP_HOST: z.string().default('127.0.0.1'),
  STEWARD_MAIL_IMAP_PORT: z.coerce.number().int().min(1).max(65535).default(993),
  STEWARD_MAIL_IMAP_SECURITY: z.enum(['none', 'starttls', 'tls']).default('tls'),
  STEWARD_MAIL_IMAP_USER: z.string().optional(),
  STEWARD_MAIL_IMAP_PASSWORD: z.string().optional(),
  STEWARD_MAIL_IMAP_MAILBOX: z.string().default('INBOX'),
  STEWARD_MAIL_IMAP_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  STEWARD_MAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(10_000)
    .max(512 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  STEWARD_MAIL_UNKNOWN_SENDERS: z.enum(['create', 'reject']).default('create'),
  STEWARD_MAIL_TICKET_TYPE: z.enum(['incident', 'request']).default('incident'),
});

/** Steward's resolved configuration. */
export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded database and other local state (absolute). */
  dataDir: string;
  /**
   * The master key file (default `dataDir/master.key`, created on first start): kept outside the database, it
   * keys the audit chain and future secrets. Every process sharing one database needs the same key.
   */
  masterKeyFile: string;
  /** Append-only file of signed audit chain checkpoints (default `dataDir/audit-checkpoints.jsonl`). */
  auditCheckpointFile: string;
  /** The variables Steward reads, as the environment gave them (recorded in Steward's own backup). */
  environment: Record<string, string>;
  /** PostgreSQL URL; when absent, the embedded PGlite database under `dataDir` is used. */
  databaseUrl: string | undefined;
  poolSize: number;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** Secure cookies: always, never, or when the request came over HTTPS. */
  secureCookies: 'true' | 'false' | 'auto';
  sessionHours: number;
  loginMaxFailures: number;
  /** API request limits per minute (0: off). */
  apiRate: { perUser: number; perAddress: number };
  loginLockMinutes: number;
  bodyLimit: number;
  trustProxy: boolean;
  /** Largest ticket attachment accepted, in bytes. */
  attachmentMaxBytes: number;
  /** Most bytes of attachments one ticket, and one uploader across all tickets, may hold (413 beyond). */
  attachmentTotals: { ticketBytes: number; userBytes: number };
  /** Where uploads are spooled while they arrive (the system's temporary folder unless set). */
  uploadDir: string;
  /** Background jobs: whether this process runs them (off for a web-only process), how many at once, poll interval. */
  jobs: { enabled: boolean; concurrency: number; pollMs: number };
  /** When backup upkeep runs for every device repository: cron patterns in UTC. */
  backupUpkeep: { forget: string; check: string; prune: string };
  /** The address people reach Steward at, for links in e-mail. */
  publicUrl: string;
  /** Outbound e-mail; undefined when no SMTP host is set (notifications stay in-app). */
  smtp:
    | {
        host: string;
        port: number;
        security: 'none' | 'starttls' | 'tls';
        user: string | undefined;
        password: string | undefined;
        from: string;
      }
    | undefined;
  /** Inbound e-mail: off, an SMTP listener, or polling an IMAP mailbox. */
  mailIn: {
    mode: 'off' | 'smtp' | 'imap';
    smtp: { host: string; port: number; domains: string[] };
    imap: {
      host: string;
      port: number;
      security: 'none' | 'starttls' | 'tls';
      user: string | undefined;
      password: string | undefined;
      mailbox: string;
      pollSeconds: number;
    };
    maxBytes: number;
    unknownSenders: 'create' | 'reject';
    ticketType: 'incident' | 'request';
    /** Our own address (from STEWARD_MAIL_FROM): mail from it is a loop. */
    ownAddress: string;
  };
}

/** Thrown when the environment holds an invalid setting; the message names each one. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration from `env` (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.STEWARD_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    masterKeyFile: resolve(e.STEWARD_MASTER_KEY_FILE ?? `${dataDir}/master.key`),
    auditCheckpointFile: resolve(e.STEWARD_AUDIT_CHECKPOINT_FILE ?? `${dataDir}/audit-checkpoints.jsonl`),
    environment: Object.fromEntries(
      Object.keys(Env.shape)
        .filter((k) => env[k] !== undefined)
        .map((k) => [k, env[k] ?? '']),
    ),
    databaseUrl: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    secureCookies: e.STEWARD_SECURE_COOKIES,
    sessionHours: e.STEWARD_SESSION_HOURS,
    loginMaxFailures: e.STEWARD_LOGIN_MAX_FAILURES,
    apiRate: { perUser: e.STEWARD_API_RATE_PER_USER, perAddress: e.STEWARD_API_RATE_PER_ADDRESS },
    loginLockMinutes: e.STEWARD_LOGIN_LOCK_MINUTES,
    bodyLimit: e.STEWARD_BODY_LIMIT,
    trustProxy: e.STEWARD_TRUST_PROXY === 'true',
    attachmentMaxBytes: e.STEWARD_ATTACHMENT_MAX_BYTES,
    attachmentTotals: {
      ticketBytes: e.STEWARD_ATTACHMENT_TICKET_TOTAL_BYTES,
      userBytes: e.STEWARD_ATTACHMENT_USER_TOTAL_BYTES,
    },
    uploadDir: resolve(e.STEWARD_UPLOAD_DIR ?? tmpdir()),
    jobs: {
      enabled: e.STEWARD_JOBS === 'on',
      concurrency: e.STEWARD_JOBS_CONCURRENCY,
      pollMs: e.STEWARD_JOBS_POLL_MS,
    },
    backupUpkeep: {
      forget: e.STEWARD_BACKUP_FORGET_CRON,
      check: e.STEWARD_BACKUP_CHECK_CRON,
      prune: e.STEWARD_BACKUP_PRUNE_CRON,
    },
    publicUrl: e.STEWARD_PUBLIC_URL.replace(/\/$/, ''),
    smtp: e.STEWARD_SMTP_HOST
      ? {
          host: e.STEWARD_SMTP_HOST,
          port: e.STEWARD_SMTP_PORT,
          security: e.STEWARD_SMTP_SECURITY,
          user: e.STEWARD_SMTP_USER,
          password: e.STEWARD_SMTP_PASSWORD,
          from: e.STEWARD_MAIL_FROM,
        }
      : undefined,
    mailIn: {
      mode: e.STEWARD_MAIL_INBOUND,
      smtp: {
        host: e.STEWARD_MAIL_SMTP_HOST,
        port: e.STEWARD_MAIL_SMTP_PORT,
        domains: e.STEWARD_MAIL_DOMAINS.split(',')
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      },
      imap: {
        host: e.STEWARD_MAIL_IMAP_HOST,
        port: e.STEWARD_MAIL_IMAP_PORT,
        security: e.STEWARD_MAIL_IMAP_SECURITY,
        user: e.STEWARD_MAIL_IMAP_USER,
        password: e.STEWARD_MAIL_IMAP_PASSWORD,
        mailbox: e.STEWARD_MAIL_IMAP_MAILBOX,
        pollSeconds: e.STEWARD_MAIL_IMAP_POLL_SECONDS,
      },
      maxBytes: e.STEWARD_MAIL_MAX_BYTES,
      unknownSenders: e.STEWARD_MAIL_UNKNOWN_SENDERS,
      ticketType: e.STEWARD_MAIL_TICKET_TYPE,
      ownAddress: (/<([^>]+)>/.exec(e.STEWARD_MAIL_FROM)?.[1] ?? e.STEWARD_MAIL_FROM).trim().toLowerCase(),
    },
  };
}
