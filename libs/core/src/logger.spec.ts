import { afterEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createLogger } from '@baton/telemetry';
import { BatonLogger, loggingParams } from './logger.js';

/** BatonLogger on a pino logger at `level` that writes into `lines`. */
function batonLogger(level: 'log' | 'debug' | 'verbose', lines: Record<string, unknown>[]): BatonLogger {
  const pino = createLogger({
    level,
    format: 'json',
    service: 'baton-test',
    destination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const params = loggingParams(pino);
  return new BatonLogger(new PinoLogger(params), params);
}

describe('BatonLogger', () => {
  // nestjs-pino keeps the first pino logger it meets for the process: one, at the lowest level, for the file.
  const lines: Record<string, unknown>[] = [];
  const logger = batonLogger('verbose', lines);
  afterEach(() => {
    Logger.overrideLogger(false);
    lines.length = 0;
  });

  const said = (): string[] =>
    lines.map((line) => `${String(line.level)} [${String(line.context)}] ${String(line.msg)}`);

  it("moves Nest's start-up down (the route table to debug, module start-up to trace) and keeps its own lines", () => {
    Logger.overrideLogger(logger);
    Logger.log('Starting Nest application...', 'NestFactory');
    Logger.log('AppModule dependencies initialized', 'InstanceLoader');
    Logger.log('HealthController {/}:', 'RoutesResolver');
    Logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    Logger.log('Nest application successfully started', 'NestApplication');
    Logger.log('Relaying again', 'Relay');
    Logger.warn('Redis is slow', 'Worker');
    expect(said()).toEqual([
      'trace [NestFactory] Starting Nest application...',
      'trace [InstanceLoader] AppModule dependencies initialized',
      'debug [RoutesResolver] HealthController {/}:',
      'debug [RouterExplorer] Mapped {/health, GET} route',
      'trace [NestApplication] Nest application successfully started',
      'info [Relay] Relaying again',
      'warn [Worker] Redis is slow',
    ]);
    expect(lines[0]).toMatchObject({ service: 'baton-test', pid: process.pid });
  });

  it('logs an error with its stack under err', () => {
    Logger.overrideLogger(logger);
    Logger.error(new Error('boom'), 'Worker');
    expect(lines[0]).toMatchObject({ level: 'error', context: 'Worker', err: { message: 'boom' } });
    expect((lines[0].err as { stack: string }).stack).toContain('Error: boom');
  });
});
