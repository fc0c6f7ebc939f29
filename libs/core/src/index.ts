export { CoreModule, rootModule } from './core.module.js';
export {
  ensureAdmin,
  openRuntime,
  type OpenOptions,
  type QueueBackend,
  type Runtime,
} from './composition-root.js';
export { BATON_CONFIG, QUEUE_BACKEND } from './tokens.js';
export { runUntilSignal } from './shutdown.js';
export { BatonLogger, LoggingModule, loggingParams } from './logger.js';
export { Metrics } from './metrics.js';
