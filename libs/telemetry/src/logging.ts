import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';
import { activeSpanIds } from './tracing.js';

/** BATON_LOG_LEVEL's names (Nest's) and pino's for them. */
export const PINO_LEVELS = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
} as const;

export type LogLevelName = keyof typeof PINO_LEVELS;

export interface LogOptions {
  level: LogLevelName;
  /** `json`: one object per line for a log collector; `pretty`: a line a person reads. */
  format: 'json' | 'pretty';
  /** Each line's `service` (baton, baton-api, baton-worker). */
  service: string;
  /** Where lines go; stdout when unset. */
  destination?: { write(line: string): unknown };
}

/**
 * The process's pino logger. A JSON line has `level` (a name), `time` (ISO 8601), `service`, `pid`, `hostname`,
 * `msg`, then the line's own fields: `context` (the class that logged), `requestId` (the request the work
 * belongs to, in the api's lines and in the worker's), and `traceId`/`spanId` when tracing is on.
 */
export function createLogger(options: LogOptions): Logger {
  const destination = options.destination ?? process.stdout;
  return pino(
    {
      level: PINO_LEVELS[options.level],
      base: { service: options.service, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => activeSpanIds() ?? {},
    },
    options.format === 'pretty' ? prettyLines(destination) : destination,
  );
}

/** Fields a pretty line leaves out (every line has them, or the message says them) or shows in their own place. */
const SHOWN_APART = new Set([
  'level',
  'time',
  'service',
  'pid',
  'hostname',
  'msg',
  'context',
  'err',
  'req',
  'res',
]);

/** `12:04:05.123 WARN  [Worker] message  requestId=... job=fire-timer` from a pino JSON line. */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const level = typeof record.level === 'string' ? record.level.toUpperCase() : '';
  const context = typeof record.context === 'string' ? ` [${record.context}]` : '';
  const extras = Object.entries(record)
    .filter(([key, value]) => !SHOWN_APART.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const err = record.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n${err.stack ?? err.message ?? ''}` : '';
  const message = typeof record.msg === 'string' ? record.msg : '';
  return `${time} ${level.padEnd(5)}${context} ${message}${extras.length > 0 ? `  ${extras.join(' ')}` : ''}${stack}\n`;
}

function prettyLines(destination: { write(line: string): unknown }): DestinationStream {
  return { write: (line: string) => void destination.write(prettyLine(line)) };
}
