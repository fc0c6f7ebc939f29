// The composition root: where config, the database, the queues, access and the command path are made once
// and wired together for a process (api, worker, or both), and taken down again in order.
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Access, OidcVerifier } from '@baton/access';
import { HandoverCache, HandoverCommands } from '@baton/commands';
import { type BatonConfig, clusterSafePrefix, defaultQueuePrefix } from '@baton/config';
import { Database } from '@baton/persistence';
import { JobName, Queues } from '@baton/queues';
import { startTracing, type Tracing } from '@baton/telemetry';
import { type Logger } from 'pino';
import { Metrics } from './metrics.js';
import { RedisClients } from './redis-clients.js';
import { warnUnlessNoEviction } from './redis-policy.js';
import {
  configuredRedis,
  configureQueueBackend,
  describeDatabase,
  describeQueue,
  type Infrastructure,
  LOCAL_REDIS_TIMEOUT_MS,
  queueConnection,
  redisAnswers,
  type StartLog,
} from '@baton/runtime';

export type QueueBackend = Infrastructure['queue'];

/** What api and worker share in one process: config, the database, the queues, the command path. */
export interface Runtime {
  config: BatonConfig;
  db: Database;
  queues: Queues;
  queueBackend: QueueBackend;
  /** Every Redis client comes from here, when the queues run on Redis; null on BullMQ's PostgreSQL backend. */
  redis: RedisClients | null;
  access: Access;
  commands: HandoverCommands;
  /** Restored handovers by deliverable version: what commands commit, what reads find. */
  handovers: HandoverCache;
  metrics: Metrics;
  /** The process's logger (pino): Nest logs through it (LoggingModule). */
  logger: Logger;
  /** Stops what openRuntime opened or started, in order (spans still buffered are exported last); bounded in time. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * What `npm start` has begun to bring up (startInfrastructure: embedded PostgreSQL, a redis-server) while
   * it loads the application. Unset: DATABASE_URL is required.
   */
  infrastructure?: Promise<Infrastructure>;
  applicationName: string;
  log: StartLog;
}

async function resolveInfrastructure(config: BatonConfig, options: OpenOptions): Promise<Infrastructure> {
  if (options.infrastructure) return options.infrastructure;
  if (!config.databaseUrl) {
    throw new Error('DATABASE_URL is required here; `npm start` runs the embedded default instead');
  }
  const databaseUrl = config.databaseUrl;
  const local = 'redis://127.0.0.1:6379';
  const queue: QueueBackend =
    configuredRedis(config.redisUrl, config.redisTopology) ??
    ((await redisAnswers(local, LOCAL_REDIS_TIMEOUT_MS))
      ? { backend: 'redis', url: local, origin: 'local' }
      : { backend: 'postgres', databaseUrl });
  return { databaseUrl, postgres: 'env', queue, stop: () => Promise.resolve() };
}

function registerGauges(metrics: Metrics, db: Database, queues: Queues): void {
  metrics.gauge('baton_outbox_unpublished', 'Outbox rows not yet moved to the queues', [], async (set) => {
    set({}, await db.outbox.countUnpublished());
  });
  metrics.gauge('baton_queue_jobs', 'Jobs in each queue by state', ['queue', 'state'], async (set) => {
    for (const name of queues.names()) {
      const counts = await queues
        .get(name)
        .getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      for (const [state, count] of Object.entries(counts)) set({ queue: name, state }, count);
    }
  });
}

/** OpenTelemetry's SDK, when OTEL_TRACES_EXPORTER names an exporter; service.name is the process's. */
async function tracingFor(config: BatonConfig, options: OpenOptions): Promise<Tracing | null> {
  if (config.tracing.exporter === 'none') return null;
  const tracing = await startTracing({
    exporter: config.tracing.exporter,
    protocol: config.tracing.protocol,
    serviceName: config.tracing.serviceName ?? options.applicationName,
  });
  options.log(
    `Traces: OpenTelemetry, ${config.tracing.exporter === 'otlp' ? `OTLP ${config.tracing.protocol}` : 'to stdout'}`,
  );
  return tracing;
}

export async function openRuntime(config: BatonConfig, options: OpenOptions): Promise<Runtime> {
  const tracing = await tracingFor(config, options);
  const infra = await resolveInfrastructure(config, options).catch(async (error: unknown) => {
    await tracing?.shutdown();
    throw error;
  });
  let db: Database | undefined;
  let redis: RedisClients | null = null;
  try {
    db = await Database.connect({
      url: infra.databaseUrl,
      poolSize: config.dbPoolSize,
      applicationName: options.applicationName,
    });
    const ran = await db.migrate();
    const applied = ran.length === 1 ? '; applied 1 migration' : `; applied ${ran.length} migrations`;
    options.log(`${describeDatabase(infra, config.dataDir)}${ran.length > 0 ? applied : ''}`);
    if (ran.length > 0) options.log.debug(`Applied migrations: ${ran.join(', ')}`);
    await configureQueueBackend(infra.queue);
    redis = infra.queue.backend === 'redis' ? new RedisClients(infra.queue) : null;
    if (redis) await warnUnlessNoEviction(redis, options.log);
    const installationId = await db.installationId();
    const prefix = clusterSafePrefix(
      config.queuePrefix ?? defaultQueuePrefix(installationId),
      config.redisTopology,
    );
    const queues = new Queues(redis ? redis.queueConnection() : queueConnection(infra.queue), prefix, {
      installationId,
      jobOptions: {
        [JobName.DeliverWebhook]: {
          attempts: config.webhooks.maxAttempts,
          backoff: { type: 'exponential', delay: config.webhooks.backoffMs },
        },
      },
    });
    const metrics = new Metrics();
    // One OIDC verifier per process (when configured): the issuer's keys are fetched once and cached.
    const access = new Access(
      db,
      config.oidc ? new OidcVerifier(config.oidc, (line) => options.log(`OIDC: ${line}`)) : null,
      (outcome) => metrics.tokenLookups.inc({ outcome }),
    );
    // Principal changes are announced by the database: hearing them lets authenticated principals be kept.
    access.watch((line) => options.log(line));
    registerGauges(metrics, db, queues);
    const handovers = new HandoverCache();
    const commands = new HandoverCommands(db, {
      observe: (action, outcome, seconds) => {
        metrics.commands.inc({ action, outcome });
        metrics.commandSeconds.observe({ action }, seconds);
      },
      emailOn: config.smtp !== null,
      cache: handovers,
    });
    // Which Redis and prefix: two installations on one Redis must not share a prefix (each takes its own jobs).
    const wrapped = prefix !== (config.queuePrefix ?? defaultQueuePrefix(installationId));
    const named = `prefix "${prefix}" ${config.queuePrefix ? '(BATON_QUEUE_PREFIX' : `(installation ${installationId}`}${wrapped ? ', in a hash tag for Redis Cluster)' : ')'}`;
    options.log(`${describeQueue(infra.queue, config.dataDir)}, ${named}`);
    const opened = db;
    const clients = redis;
    return {
      config,
      db: opened,
      queues,
      queueBackend: infra.queue,
      redis: clients,
      access,
      commands,
      handovers,
      metrics,
      logger: options.log.logger,
      close: async () => {
        await access.close();
        await queues.close();
        await clients?.close();
        await opened.close();
        await infra.stop();
        await tracing?.shutdown();
      },
    };
  } catch (error) {
    await redis?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await infra.stop().catch(() => undefined);
    await tracing?.shutdown().catch(() => undefined);
    throw error;
  }
}

/**
 * The admin principal: its token is BATON_ADMIN_TOKEN, or generated at first start, printed once and kept
 * in the data folder (mode 600). Every start says where it is.
 */
export async function ensureAdmin(runtime: Runtime, log: (line: string) => void): Promise<void> {
  const { generatedToken } = await runtime.access.ensureAdmin(runtime.config.adminToken);
  const file = join(runtime.config.dataDir, 'admin-token');
  if (!generatedToken) {
    if (runtime.config.adminToken) log('Admin token: the value of BATON_ADMIN_TOKEN');
    else if (await exists(file)) log(`Admin token: in ${file}`);
    else
      log(
        `Admin token: not in ${file} (made by a start with another data folder); set BATON_ADMIN_TOKEN to replace it`,
      );
    return;
  }
  let kept = true;
  try {
    await mkdir(runtime.config.dataDir, { recursive: true });
    await writeFile(file, `${generatedToken}\n`, { mode: 0o600 });
  } catch (error) {
    kept = false;
    log(`Could not keep the admin token in ${file}: ${(error as Error).message}`);
  }
  log('');
  log(`  First start: the admin token is shown this once${kept ? ` (also kept in ${file})` : ''}:`);
  log(`    ${generatedToken}`);
  log('');
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
