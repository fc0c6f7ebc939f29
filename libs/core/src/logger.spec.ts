import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { BatonLogger, logLevels, useColour } from './logger.js';

describe('useColour', () => {
  it('colours a terminal only, and never with NO_COLOR', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColour({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColour({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('BatonLogger', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    Logger.overrideLogger(false);
  });

  const nestStartUp = (): void => {
    Logger.log('Starting Nest application...', 'NestFactory');
    Logger.log('AppModule dependencies initialized', 'InstanceLoader');
    Logger.log('HealthController {/}:', 'RoutesResolver');
    Logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    Logger.log('Nest application successfully started', 'NestApplication');
    Logger.log('Relaying again', 'Relay');
    Logger.warn('Redis is slow', 'Worker');
  };

  it('keeps Nest start-up out of the default level, and its own lines in', () => {
    Logger.overrideLogger(new BatonLogger('log'));
    nestStartUp();
    const text = written.join('');
    expect(text).not.toMatch(/Mapped|Starting Nest|dependencies initialized|successfully started|Controller/);
    expect(text).toContain('[Relay] Relaying again');
    expect(text).toContain('WARN [Worker] Redis is slow');
  });

  it('shows the route table at debug, and module start-up at verbose', () => {
    Logger.overrideLogger(new BatonLogger('debug'));
    nestStartUp();
    expect(written.join('')).toContain('DEBUG [RouterExplorer] Mapped {/health, GET} route');
    expect(written.join('')).not.toContain('InstanceLoader');
    written.length = 0;
    Logger.overrideLogger(new BatonLogger('verbose'));
    nestStartUp();
    expect(written.join('')).toContain('VERBOSE [InstanceLoader] AppModule dependencies initialized');
  });

  it('writes no colour codes when stdout is not a terminal', () => {
    Logger.overrideLogger(new BatonLogger('verbose'));
    nestStartUp();
    expect(written.join('')).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
  });

  it('maps BATON_LOG_LEVEL to the levels Nest enables', () => {
    expect(logLevels('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(logLevels('log')).toEqual(['fatal', 'error', 'warn', 'log']);
  });
});
