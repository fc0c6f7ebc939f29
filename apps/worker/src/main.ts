/**
 * The worker alone (`npm run start:worker`): the outbox relay and the job processors, no HTTP.
 * Needs DATABASE_URL; REDIS_URL, else a Redis on 127.0.0.1:6379, else BullMQ's PostgreSQL backend.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@baton/config';
import { CoreModule, logLevels, openRuntime, runUntilSignal } from '@baton/core';
import { WorkerModule } from './worker.module.js';

// Start-up lines go to stdout whatever BATON_LOG_LEVEL says: where Baton listens, the first admin token.
const log = (line: string): void => void process.stdout.write(`[baton] ${line}\n`);
const config = loadConfig();
const runtime = await openRuntime(config, { embedded: false, applicationName: 'baton-worker', log });

@Module({ imports: [CoreModule.forRuntime(runtime), WorkerModule] })
class WorkerRootModule {}

const app = await NestFactory.createApplicationContext(WorkerRootModule, {
  logger: logLevels(config.logLevel),
});
await app.init();
log('Baton worker running');
runUntilSignal(async () => {
  await app.close();
  await runtime.close();
}, log);
