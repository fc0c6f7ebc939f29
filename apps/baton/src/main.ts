/**
 * `npm start`: the api and the worker in one process, on the embedded default when DATABASE_URL and
 * REDIS_URL are unset (a PostgreSQL and, if needed, a redis-server kept in BATON_DATA_DIR).
 *
 * Only the configuration and the launchers are imported up front: PostgreSQL (and a redis-server) come up
 * while the rest of Baton loads, which is most of a start.
 */
import 'reflect-metadata';
import { loadConfig } from '@baton/config';
import { listeningAt, startInfrastructureInWorker, startLog } from '@baton/runtime';

const config = loadConfig();
const log = startLog({ level: config.logLevel, format: config.logFormat, service: 'baton' });
log(`Data folder: ${config.dataDir}`);
// In a thread of its own: loading modules blocks this thread's event loop for up to a second at a time.
const infrastructure = startInfrastructureInWorker({
  databaseUrl: config.databaseUrl,
  redisUrl: config.redisUrl,
  redisTopology: config.redisTopology,
  dataDir: config.dataDir,
  log,
  debug: log.debug,
});
void infrastructure.catch(() => undefined); // awaited below, once the modules have loaded

const core = await import('@baton/core');
// The api and the worker load while the database is opened and migrated.
const application = Promise.all([import('@baton/api'), import('@baton/worker')]);
void application.catch(() => undefined);
const runtime = await core.openRuntime(config, { infrastructure, applicationName: 'baton', log });
const [{ ApiModule, createHttpApp, stopOnSignal }, { WorkerModule }] = await application;
log.debug(`Modules loaded and runtime open ${Math.round(performance.now())} ms after the process started`);

const [app] = await Promise.all([
  createHttpApp(core.rootModule(runtime, [ApiModule, WorkerModule]), config),
  core.ensureAdmin(runtime, log),
]);
await app.listen(config.port, config.host);
// Ctrl-C and SIGTERM stop everything in order from here on; the lines below say Baton is ready.
stopOnSignal(app, runtime, config, log);
// Timed from the process's start: module loading is part of it.
const { url, scope } = listeningAt(config.host, app.getHttpServer());
log(
  `Baton is listening on ${url}${scope ? ` (${scope})` : ''} - ready in ${Math.round(performance.now())} ms`,
);
log(`API docs: ${url}/docs`);
