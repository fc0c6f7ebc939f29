// What `npm start` composes into one process with the api.
export { WorkerModule } from './worker.module.js';
// Its parts that tests drive directly, without a Nest container.
export { Housekeeping } from './relay/housekeeping.js';
export { OutboxRelay } from './relay/outbox-relay.js';
export { Reconciler } from './relay/reconciler.js';
export { FinishedJobs } from './processors/finished-jobs.js';
export { WorkerHost } from './processors/worker-host.js';
export type { JobHandler, JobOutcome, JobOutcomes } from './processors/job-handler.js';
