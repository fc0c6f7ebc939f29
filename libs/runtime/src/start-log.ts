import { type BatonConfig } from '@baton/config';
import { createLogger } from '@baton/telemetry';
import { type Logger } from 'pino';

/**
 * Baton's own lines about starting and stopping (what it uses, where it listens, that it stopped), whatever
 * BATON_LOG_LEVEL says. In the pretty format: `[baton] <line>` on stdout, without colour. In the JSON format:
 * a JSON line at `info` with `context: "Baton"`, like every other line of the process. `debug` lines (timings,
 * migration names) appear only at BATON_LOG_LEVEL=debug or verbose.
 */
export interface StartLog {
  (line: string): void;
  debug: (line: string) => void;
  /** The process's logger (pino), which Nest logs through once it runs. */
  logger: Logger;
}

export interface StartLogOptions {
  level: BatonConfig['logLevel'];
  format: BatonConfig['logFormat'];
  /** Each line's `service`: baton, baton-api or baton-worker. */
  service: string;
  /** Where lines go; stdout when unset. */
  write?: (text: string) => void;
}

export function startLog(options: StartLogOptions): StartLog {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const logger = createLogger({ ...options, destination: { write } });
  const verbose = options.level === 'debug' || options.level === 'verbose';
  let log: (line: string) => void;
  if (options.format === 'pretty') {
    log = (line) => write(line ? `[baton] ${line}\n` : '[baton]\n');
  } else {
    // Its own level: these lines show at every BATON_LOG_LEVEL. Blank lines (spacing for a person) are left out.
    const lines = logger.child({ context: 'Baton' }, { level: 'info' });
    log = (line) => {
      if (line.trim() !== '') lines.info(line.trim());
    };
  }
  return Object.assign(log, { debug: verbose ? log : () => undefined, logger });
}
