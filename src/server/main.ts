import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { sql } from 'kysely';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { AuditSealer, chainKeys } from './platform/audit/index.js';
import { createCtx, type Ctx } from './platform/context.js';
import { JobRunner, joinJobs, type JobSet, jobsRoutes } from './platform/jobs/index.js';
import { type App, createApp, SESSION_COOKIE } from './platform/http.js';
import {
  auditJobs,
  auditRoutes,
  type CheckpointPublisher,
  checkpointPublisher,
} from './modules/audit/index.js';
import { authRoutes, purgeExpiredSessions, resolveBearer, resolveSession } from './modules/auth/index.js';
import type { Deps } from './modules/deps.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { teamsRoutes } from './modules/teams/teams.routes.js';
import { teamNames } from './modules/teams/index.js';
import {
  forgetResolvedTokens,
  IDENTITY_CHANNEL,
  setIdentityListening,
  tokensRoutes,
} from './modules/tokens/index.js';
import { usersRoutes } from './modules/users/users.routes.js';
import {
  type FirstRun,
  firstRunRoutes,
  prepareFirstRun,
  userNames,
  usersJobs,
} from './modules/users/index.js';
import { categoriesRoutes } from './modules/categories/index.js';
import { settingsRoutes } from './modules/settings/index.js';
import { ticketKeys, ticketsJobs, ticketsRoutes } from './modules/tickets/index.js';
import { viewsRoutes } from './modules/views/index.js';
import { searchRoutes } from './modules/search/index.js';
import { createLiveModule } from './modules/live/index.js';
import { macrosRoutes } from './modules/macros/index.js';
import { routingRoutes } from './modules/routing/index.js';
import { slaJobs, slaRoutes } from './modules/sla/index.js';
import { cmdbJobs, cmdbRoutes, itemNames } from './modules/cmdb/index.js';
import { createBackupModule } from './modules/backup/index.js';
import { createDrModule } from './modules/dr/index.js';
import { createChangesModule } from './modules/changes/index.js';
import { createVaultModule } from './modules/vault/index.js';
import { createKnowledgeModule } from './modules/knowledge/index.js';
import { createExposureModule } from './modules/exposure/index.js';
import { createReviewsModule } from './modules/reviews/index.js';
import { createIncidentsModule } from './modules/incidents/index.js';
import { createCatalogueModule } from './modules/catalogue/index.js';
import { createKpisModule } from './modules/kpis/index.js';
import { complianceNames, createComplianceModule } from './modules/compliance/index.js';
import { secretBox } from './platform/envelope.js';
import { configureOutboundMail, mailJobs, mailRoutes } from './modules/mail/index.js';
import { startMailIn } from './modules/mailin/index.js';
import { configureNotifications, notificationsRoutes } from './modules/notifications/index.js';
import { createMailTransport } from './platform/mail/transport.js';
import { loadMasterKey } from './platform/master-key.js';

/** The file in the data folder holding the set-up token while no admin exists. */
export const SETUP_TOKEN_FILE = 'setup-token';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIST = `${ROOT}web/dist`;
/** Steward's version (package.json). */
export const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string })
  .version;

/** A composed Steward server, not yet listening. */
export interface Server {
  app: App;
  database: Database;
  ctx: Ctx;
  sealer: AuditSealer;
  /** The background job runner, when this process runs jobs (STEWARD_JOBS=on). */
  jobs: JobRunner | undefined;
  /** Every job type and schedule of this server (what its runner runs; tests hand it to runners of their own). */
  jobSet: JobSet;
  /** The port of the inbound SMTP listener (STEWARD_MAIL_INBOUND=smtp), else null. */
  mailInPort: number | null;
  /** The set-up token made at start while no admin existed. */
  firstRun: FirstRun | undefined;
  close(): Promise<void>;
}

/** Options for {@link buildServer}: tests pass an already-open database and turn logging off. */
export interface BuildOptions {
  database?: Database;
  logger?: boolean;
  /** Where log lines go instead of standard output (tests read them). */
  logStream?: { write(line: string): void };
}

/**
 * Every module's job types and schedules, for the job runner: the handlers close over this server's own
 * dependencies (its audit checkpoint publisher, its backups and disaster-recovery modules).
 */
export function serverJobs(parts: {
  checkpoints: CheckpointPublisher;
  backups: { jobs: JobSet };
  dr: { jobs: JobSet };
  vault: { jobs: JobSet };
  reviews: { jobs: JobSet };
  knowledge: { jobs: JobSet };
  kpis: { jobs: JobSet };
  compliance: { jobs: JobSet };
}): JobSet {
  return joinJobs(
    auditJobs(parts.checkpoints),
    ticketsJobs(),
    slaJobs(),
    cmdbJobs(),
    mailJobs(),
    usersJobs(),
    parts.backups.jobs,
    parts.dr.jobs,
    parts.vault.jobs,
    parts.reviews.jobs,
    parts.knowledge.jobs,
    parts.kpis.jobs,
    parts.compliance.jobs,
  );
}

/** Composition root: config -> database -> migrations -> modules -> Fastify. Nothing else. */
export async function buildServer(config: Config, opts: BuildOptions = {}): Promise<Server> {
  // The master key first: a missing or malformed key file stops the start before anything else is touched.
  const masterKey = loadMasterKey(config.masterKeyFile);
  const auditKeys = chainKeys(masterKey);
  const database =
    opts.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.poolSize,
    }));
  const sealer = new AuditSealer(
    database.db,
    auditKeys,
    (err) => app.log.error({ err }, 'audit sealing failed'),
    {
      coalesceMs: 20,
      onRefused: (refused) =>
        app.log.warn({ refused }, 'audit entries refused: backdated or dated in the future'),
    },
  );
  try {
    await migrate(database.db);
    await sealer.checkKey();
  } catch (err) {
    if (!opts.database) await database.close();
    throw err;
  }
  const transport = config.smtp && createMailTransport(config.smtp);
  configureOutboundMail(transport, config.smtp?.from ?? config.mailIn.ownAddress);
  configureNotifications({ publicUrl: config.publicUrl });
  const ctx = createCtx(database.db, () => void sealer.kick(), database.kind);
  const authSettings = {
    sessionHours: config.sessionHours,
    maxFailures: config.loginMaxFailures,
    lockMinutes: config.loginLockMinutes,
  };
  const app = await createApp({
    logLevel: config.logLevel,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    rateLimits: { ...config.apiRate, windowMs: 60_000 },
    logger: opts.logger,
    logStream: opts.logStream,
    authenticate: async (req) => {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ')) return resolveBearer(ctx, header.slice(7).trim(), req.ip);
      const secret = req.cookies[SESSION_COOKIE];
      return secret ? resolveSession(ctx, authSettings, secret, req.ip) : undefined;
    },
  });
  const deps: Deps = {
    ctx,
    auth: authSettings,
    publicUrl: config.publicUrl,
    attachments: {
      maxBytes: config.attachmentMaxBytes,
      ticketTotalBytes: config.attachmentTotals.ticketBytes,
      userTotalBytes: config.attachmentTotals.userBytes,
      uploadDir: config.uploadDir,
    },
    secureCookie: (protocol) =>
      config.secureCookies === 'true' || (config.secureCookies === 'auto' && protocol === 'https'),
  };
  healthRoutes(app, async () => void (await sql`select 1`.execute(database.db)), database.kind, VERSION);
  authRoutes(app, deps);
  usersRoutes(app, deps);
  // No admin yet: a one-time set-up token lets `steward admin create` work through this running server.
  const firstRun = await prepareFirstRun(ctx, join(config.dataDir, SETUP_TOKEN_FILE));
  firstRunRoutes(app, deps, { adminCreated: async () => firstRun?.end() });
  teamsRoutes(app, deps);
  tokensRoutes(app, deps);
  auditRoutes(app, deps, {
    keys: auditKeys,
    checkpointFile: config.auditCheckpointFile,
    // the audit log names people, teams, tickets and items as they are known, from the modules that own them
    names: async (db, ids) => {
      const [users, teams, tickets, items, compliance] = await Promise.all([
        userNames(db, ids),
        teamNames(db, ids),
        ticketKeys(db, ids),
        itemNames({ ...deps.ctx, db }, ids),
        complianceNames(db, ids),
      ]);
      return new Map([
        ...[...users].map(([id, u]) => [id, u.name] as const),
        ...teams,
        ...tickets,
        ...items,
        ...compliance,
      ]);
    },
  });
  categoriesRoutes(app, deps);
  settingsRoutes(app, deps);
  await ticketsRoutes(app, deps);
  viewsRoutes(app, deps);
  macrosRoutes(app, deps);
  const live = createLiveModule({
    ctx,
    database,
    onError: (err) => app.log.warn({ err }, 'live update failed'),
  });
  live.routes(app);
  jobsRoutes(app, deps);
  routingRoutes(app, deps);
  slaRoutes(app, deps);
  notificationsRoutes(app, deps);
  mailRoutes(
    app,
    deps,
    {
      smtp: config.smtp,
      from: config.smtp?.from ?? config.mailIn.ownAddress,
      mailIn: config.mailIn,
    },
    transport,
  );
  // Exposure re-matches a computer whenever its report changes its source packages (the CMDB's hook).
  const exposure = createExposureModule({ ctx, uploadDir: config.uploadDir });
  // The knowledge base; the global search box asks it for the published articles the caller may read, and
  // edits of items and changes flag the articles linked to them for review.
  const knowledge = createKnowledgeModule({ ctx, uploadDir: config.uploadDir });
  await cmdbRoutes(app, deps, {
    sourcesChanged: (id) => exposure.sourcesChanged(id),
    itemChanged: knowledge.linkedChanged('item'),
  });
  exposure.routes(app);
  await knowledge.routes(app);
  searchRoutes(app, deps, { articles: knowledge.search });
  // Storage credentials and repository passwords are sealed under a key derived from the master key.
  const backups = createBackupModule({
    ctx,
    box: secretBox(masterKey.derive('secrets')),
    publicUrl: config.publicUrl,
    upkeep: config.backupUpkeep,
  });
  backups.routes(app);
  const dr = createDrModule({
    ctx,
    database,
    masterKey,
    storage: backups.storage,
    withDevice: backups.storage.withDevice,
    scratchDir: config.uploadDir,
    dataDir: config.dataDir,
    checkpointFile: config.auditCheckpointFile,
    env: config.environment,
    version: VERSION,
  });
  dr.routes(app);
  createChangesModule({
    ctx,
    restorePoints: backups.restorePoints,
    publicUrl: config.publicUrl,
    changed: knowledge.linkedChanged('change'),
  }).routes(app);
  // The vault's secrets are sealed under a key of their own, derived from the master key.
  const vault = createVaultModule({ ctx, box: secretBox(masterKey.derive('vault')) });
  vault.routes(app);
  // Access reviews revoke through the teams, users and vault services; their reminders are a job.
  const reviews = createReviewsModule({ ctx });
  reviews.routes(app);
  // Security incidents: the flag and visibility are the tickets module's; the evidence log is this module's.
  createIncidentsModule({ ctx }).routes(app);
  // The service catalogue: requests open tickets through the tickets module and count under the item's SLA.
  createCatalogueModule({ ctx }).routes(app);
  // KPIs and dashboards: they read the owning modules' queries and keep their own facts and aggregates.
  const kpis = createKpisModule({ ctx });
  kpis.routes(app);
  // The compliance register: evidence from the modules' own facts, the audit chain verified with its keys.
  const compliance = createComplianceModule({ ctx, masterKey, auditKeys, attachments: deps.attachments });
  await compliance.routes(app);
  if (existsSync(WEB_DIST)) {
    await app.register(async (web) => {
      web.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
      });
      await web.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] });
      web.get('/*', (req, reply) => {
        // Only app routes fall back to index.html: a missing asset (say, after a rebuild) must be a 404,
        // not an HTML page that the browser then fails to run as JavaScript.
        const path = req.url.split('?')[0] ?? '';
        if (path.startsWith('/api/') || path.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(path)) {
          return reply.callNotFound();
        }
        return reply.sendFile('index.html');
      });
    });
  }
  const timers = [
    setInterval(() => void sealer.kick(), 5_000),
    setInterval(
      () =>
        void purgeExpiredSessions(ctx).catch((err: unknown) => app.log.warn({ err }, 'session purge failed')),
      3_600_000,
    ),
  ];
  for (const t of timers) t.unref();
  await sealer.kick();
  const checkpoints = checkpointPublisher({
    db: database.db,
    keys: auditKeys,
    file: config.auditCheckpointFile,
    log: app.log,
  });
  const jobSet = serverJobs({ checkpoints, backups, dr, vault, reviews, knowledge, kpis, compliance });
  const jobs = config.jobs.enabled
    ? new JobRunner(ctx, {
        concurrency: config.jobs.concurrency,
        pollMs: config.jobs.pollMs,
        log: app.log,
        jobs: jobSet,
      })
    : undefined;
  await jobs?.start();
  const mailIn = await startMailIn(ctx, config.mailIn, app.log);
  // Other processes revoke tokens and change users too: hear of it, or do not remember tokens (tokens module).
  const stopListening = database.listen?.(IDENTITY_CHANNEL, {
    notify: forgetResolvedTokens,
    state: setIdentityListening,
  });
  return {
    app,
    database,
    ctx,
    sealer,
    jobs,
    jobSet,
    mailInPort: mailIn.port,
    firstRun,
    async close() {
      await firstRun?.end().catch((err: unknown) => app.log.warn({ err }, 'set-up token cleanup failed'));
      for (const t of timers) clearInterval(t);
      await mailIn.stop();
      await stopListening?.();
      await live.close();
      await jobs?.stop();
      transport?.close();
      await app.close();
      await dr.close();
      await backups.close();
      await sealer.kick();
      // A last checkpoint, so that truncation is detectable up to the moment the server stopped.
      await checkpoints.publish().catch((err: unknown) => app.log.error({ err }, 'audit checkpoint failed'));
      if (!opts.database) await database.close();
    },
  };
}

/** Starts Steward and serves until SIGINT/SIGTERM, then shuts down cleanly. */
export async function startServer(config: Config): Promise<Server> {
  const server = await buildServer(config);
  await server.app.listen({ port: config.port, host: config.host });
  server.app.log.info(`Steward ${VERSION} on ${server.database.describe}`);
  const first = server.firstRun;
  if (first) {
    server.app.log.warn(
      `No admin yet. Create the first one: steward admin create --email … --name … --setup-token ${first.token}` +
        (first.file ? ` (the token is also in ${first.file}, which the command reads by itself)` : ''),
    );
  }
  const stop = (signal: string) => {
    server.app.log.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return server;
}
