import { type Job } from 'bullmq';
import { type JobName, type JobPayloads } from '@baton/queues';

/** One handler per job name; the worker refuses to start while a job name has none. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(job: Job<JobPayloads[N]>): Promise<unknown>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
