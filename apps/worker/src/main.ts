/**
 * The worker alone (`npm run start:worker`): the outbox relay and the job processors, no HTTP.
 * Needs DATABASE_URL; REDIS_URL, else a Redis on 127.0.0.1:6379, else BullMQ's PostgreSQL backend.
 */
import 'reflect-metadata';
import { loadConfig } from '@baton/config';
import { startLog } from '@baton/runtime';

const config = loadConfig();
const log = startLog({ level: config.logLevel, format: config.logFormat, service: 'baton-worker' });
const core = await import('@baton/core');
// The worker loads while the database is opened.
const worker = Promise.all([import('@nestjs/core'), import('./index.js')]);
void worker.catch(() => undefined);
const runtime = await core.openRuntime(config, { applicationName: 'baton-worker', log });
const [{ NestFactory }, { WorkerModule }] = await worker;
const app = await NestFactory.createApplicationContext(core.rootModule(runtime, [WorkerModule]), {
  bufferLogs: true,
});
app.useLogger(app.get(core.BatonLogger));
await app.init();
// Ctrl-C and SIGTERM stop everything in order from here on; the lines below say Baton is ready.
core.runUntilSignal(
  async () => {
    await app.close();
    await runtime.close();
  },
  log,
  config.stop.timeoutMs,
);
log(`Baton worker running - ready in ${Math.round(performance.now())} ms`);
