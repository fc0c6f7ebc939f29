/**
 * The api alone (`npm run start:api`), for scaling out: needs DATABASE_URL; REDIS_URL, else a Redis on
 * 127.0.0.1:6379, else BullMQ's PostgreSQL backend. Run as many as wanted.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { loadConfig } from '@baton/config';
import { CoreModule, ensureAdmin, openRuntime, runUntilSignal } from '@baton/core';
import { ApiModule } from './api.module.js';
import { createHttpApp } from './api.app.js';

// Start-up lines go to stdout whatever BATON_LOG_LEVEL says: where Baton listens, the first admin token.
const log = (line: string): void => void process.stdout.write(`[baton] ${line}\n`);
const config = loadConfig();
const runtime = await openRuntime(config, { embedded: false, applicationName: 'baton-api', log });
await ensureAdmin(runtime, log);

@Module({ imports: [CoreModule.forRuntime(runtime), ApiModule] })
class ApiRootModule {}

const app = await createHttpApp(ApiRootModule, config);
await app.listen(config.port, config.host);
log(`Baton api listening on ${await app.getUrl()} (API docs at /docs)`);
runUntilSignal(async () => {
  await app.close();
  await runtime.close();
}, log);
