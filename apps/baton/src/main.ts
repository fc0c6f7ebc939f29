/**
 * `npm start`: the api and the worker in one process, on the embedded default when DATABASE_URL and
 * REDIS_URL are unset (a PostgreSQL and, if needed, a redis-server kept in BATON_DATA_DIR).
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { loadConfig } from '@baton/config';
import { CoreModule, ensureAdmin, openRuntime, runUntilSignal } from '@baton/core';
import { ApiModule, createHttpApp } from '@baton/api';
import { WorkerModule } from '@baton/worker';

const started = performance.now();
// Start-up lines go to stdout whatever BATON_LOG_LEVEL says: where Baton listens, the first admin token.
const log = (line: string): void => void process.stdout.write(`[baton] ${line}\n`);
const config = loadConfig();
const runtime = await openRuntime(config, { embedded: true, applicationName: 'baton', log });
await ensureAdmin(runtime, log);

@Module({ imports: [CoreModule.forRuntime(runtime), ApiModule, WorkerModule] })
class BatonModule {}

const app = await createHttpApp(BatonModule, config);
await app.listen(config.port, config.host);
const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
log(
  `Baton is listening on ${url} (API docs at ${url}/docs) - ready in ${Math.round(performance.now() - started)} ms`,
);
runUntilSignal(async () => {
  await app.close();
  await runtime.close();
}, log);
