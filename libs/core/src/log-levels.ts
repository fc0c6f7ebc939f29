import { type LogLevel } from '@nestjs/common';
import { type BatonConfig } from '@baton/config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's logger levels up to BATON_LOG_LEVEL. */
export function logLevels(level: BatonConfig['logLevel']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}
