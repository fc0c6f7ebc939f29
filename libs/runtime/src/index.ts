export { describeQueue, startInfrastructure } from './infrastructure.launcher.js';
export type { Infrastructure, InfrastructureOptions, QueueBackend } from './infrastructure.types.js';
export { configureQueueBackend, queueConnection, QUEUE_SCHEMA } from './queue-backend.config.js';
export { findFreePort, redisAnswers, redactUrl } from './network.util.js';
