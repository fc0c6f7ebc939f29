/**
 * The api alone (`npm run start:api`), for scaling out: needs DATABASE_URL; REDIS_URL, else a Redis on
 * 127.0.0.1:6379, else BullMQ's PostgreSQL backend. Run as many as wanted.
 */
import 'reflect-metadata';
import { loadConfig } from '@baton/config';
import { listeningAt, startLog } from '@baton/runtime';

const config = loadConfig();
const log = startLog({ level: config.logLevel, format: config.logFormat, service: 'baton-api' });
const core = await import('@baton/core');
// The api loads while the database is opened.
const api = import('./index.js');
void api.catch(() => undefined);
const runtime = await core.openRuntime(config, { applicationName: 'baton-api', log });
const { ApiModule, createHttpApp, stopOnSignal } = await api;
const [app] = await Promise.all([
  createHttpApp(core.rootModule(runtime, [ApiModule]), config),
  core.ensureAdmin(runtime, log),
]);
await app.listen(config.port, config.host);
// Ctrl-C and SIGTERM stop everything in order from here on; the lines below say Baton is ready.
stopOnSignal(app, runtime, config, log);
const { url, scope } = listeningAt(config.host, app.getHttpServer());
log(
  `Baton api is listening on ${url}${scope ? ` (${scope})` : ''} - ready in ${Math.round(performance.now())} ms`,
);
log(`API docs: ${url}/docs`);
