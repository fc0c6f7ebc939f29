import { type JobsOptions } from 'bullmq';
import { JobName } from './queue-names.js';

/**
 * Completed jobs are kept for a day: BullMQ ignores an add whose job id exists, so while the job is kept a
 * relay that publishes the same outbox row twice enqueues it once.
 */
const KEEP = { removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } } as const;

/**
 * Jobs whose second run is a no-op by their rows (a timer fires only while its row is scheduled; an event's
 * deliveries and e-mails have unique keys): completed, they are removed at once rather than kept a day,
 * which saves about 0.8 KB of Redis per fired timer and per event.
 */
const FORGET = { ...KEEP, removeOnComplete: true } as const;

export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.DeliverEvent]: { ...FORGET, attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  [JobName.ProbeCriterion]: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  [JobName.FireTimer]: { ...FORGET, attempts: 10, backoff: { type: 'exponential', delay: 500 } },
  // Overridden from BATON_WEBHOOK_MAX_ATTEMPTS and BATON_WEBHOOK_BACKOFF_MS (Queues.jobOptions).
  [JobName.DeliverWebhook]: { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  [JobName.SendEmail]: { ...KEEP, attempts: 6, backoff: { type: 'exponential', delay: 2000 } },
};
