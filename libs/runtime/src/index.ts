export {
  configuredRedis,
  describeDatabase,
  describeQueue,
  LOCAL_REDIS_TIMEOUT_MS,
  startInfrastructure,
} from './infrastructure.launcher.js';
export type { Infrastructure, InfrastructureOptions, QueueBackend } from './infrastructure.types.js';
export { configureQueueBackend, queueConnection, QUEUE_SCHEMA } from './queue-backend.config.js';
export { findFreePort, listeningAt, redisAnswers, redactUrl } from './network.util.js';
export { startLog, type StartLog } from './start-log.js';
export { startInfrastructureInWorker } from './infrastructure.thread.js';
export { reconnectOnReadOnly, redisReach, type RedisBackend, type RedisReach } from './redis-topology.js';
