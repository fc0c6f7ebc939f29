import { type BatonConfig } from '@baton/config';

/**
 * Baton's own lines about starting and stopping (what it uses, where it listens, that it stopped), on
 * stdout and without colour, whatever BATON_LOG_LEVEL says: `[baton] <line>`. `debug` lines (timings,
 * migration names) appear only at BATON_LOG_LEVEL=debug or verbose.
 */
export interface StartLog {
  (line: string): void;
  debug: (line: string) => void;
}

export function startLog(
  level: BatonConfig['logLevel'],
  write: (text: string) => void = (text) => void process.stdout.write(text),
): StartLog {
  const log = (line: string): void => write(line ? `[baton] ${line}\n` : '[baton]\n');
  const verbose = level === 'debug' || level === 'verbose';
  return Object.assign(log, { debug: verbose ? log : () => undefined });
}
