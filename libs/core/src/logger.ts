import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { type BatonConfig } from '@baton/config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's logger levels up to BATON_LOG_LEVEL. */
export function logLevels(level: BatonConfig['logLevel']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/**
 * What Nest says at `log` while it starts, moved down: its route table to `debug`, its module and
 * application start-up to `verbose`. Baton's own start-up lines say what a start needs to.
 */
const QUIETER: Record<string, 'debug' | 'verbose'> = {
  RoutesResolver: 'debug',
  RouterExplorer: 'debug',
  NestFactory: 'verbose',
  InstanceLoader: 'verbose',
  NestApplication: 'verbose',
  NestApplicationContext: 'verbose',
};

/** Colour only for a terminal, and never with NO_COLOR set (https://no-color.org). */
export function useColour(
  stream: { isTTY?: boolean } = process.stdout,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}

/** Nest's console logger, at BATON_LOG_LEVEL, coloured only on a terminal, with its start-up chatter moved down. */
export class BatonLogger extends ConsoleLogger {
  constructor(level: BatonConfig['logLevel']) {
    super({ logLevels: logLevels(level), colors: useColour() });
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    const lower = typeof context === 'string' ? QUIETER[context] : undefined;
    if (lower) super[lower](message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
