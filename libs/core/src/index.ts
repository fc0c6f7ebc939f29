export { CoreModule, rootModule } from './core.module.js';
export {
  ensureAdmin,
  openRuntime,
  type OpenOptions,
  type QueueBackend,
  type Runtime,
} from './composition-root.js';
export { BATON_CONFIG, QUEUE_BACKEND, REDIS_CLIENTS } from './tokens.js';
export { RedisClients, type RedisClient } from './redis-clients.js';
export { runUntilSignal } from './shutdown.js';
export { BatonLogger, LoggingModule, loggingParams } from './logger.js';
export { Metrics } from './metrics.js';
