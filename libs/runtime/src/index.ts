export { describeDatabase, describeQueue, startInfrastructure } from './infrastructure.launcher.js';
export type { Infrastructure, InfrastructureOptions, QueueBackend } from './infrastructure.types.js';
export { configureQueueBackend, queueConnection, QUEUE_SCHEMA } from './queue-backend.config.js';
export { findFreePort, listeningAt, redisAnswers, redactUrl } from './network.util.js';
export { startLog, type StartLog } from './start-log.js';
