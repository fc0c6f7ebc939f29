import { type Job } from 'bullmq';
import { type TimerOutcome } from '@baton/commands';
import { JobName, type JobPayloads } from '@baton/queues';

/**
 * What a handler reports of a job it finished, per job: closed sets, because each is a label value of
 * `baton_jobs_total` (and the job's BullMQ return value). A new outcome is added here, never made up
 * from data.
 */
export interface JobOutcomes {
  [JobName.DeliverEvent]: 'fanned out' | 'no recipients';
  [JobName.DeliverWebhook]: 'delivered' | 'already delivered' | 'already dead' | 'subscription deleted';
  [JobName.FireTimer]: TimerOutcome['outcome'];
  [JobName.ProbeCriterion]: 'passed' | 'failed' | 'stale' | 'already reported' | 'deliverable gone';
  [JobName.SendEmail]: 'sent' | 'no SMTP configured';
}

/**
 * Every value of the `outcome` label: what handlers return, and what the worker host counts itself: `error`
 * (the handler threw; BullMQ retries while attempts remain), `unrecoverable` (failed once and for good: not
 * retried) and `foreign` (another installation's job, put back).
 */
export type JobOutcome = JobOutcomes[JobName] | 'error' | 'unrecoverable' | 'foreign';

/** One handler per job name; the worker refuses to start while a job name has none. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(job: Job<JobPayloads[N]>): Promise<JobOutcomes[N]>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
