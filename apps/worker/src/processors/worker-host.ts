import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import { Metrics } from '@baton/core';
import { Database } from '@baton/persistence';
import { ALL_JOB_NAMES, JOB_QUEUE, type JobName, Queues } from '@baton/queues';
import { FinishedJobs } from './finished-jobs.js';
import { JOB_HANDLERS, type JobHandler } from './job-handler.js';

const CONCURRENCY = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One BullMQ Worker per queue, dispatching each job to the handler of its name. A job's id is its outbox
 * row's, and the row records when the job finished: the reconciler gives Redis the published rows that
 * have not, should it lose them.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private readonly handlers: Map<JobName, JobHandler>;
  private readonly finished: FinishedJobs;

  constructor(
    private readonly queues: Queues,
    private readonly metrics: Metrics,
    db: Database,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
  ) {
    this.finished = new FinishedJobs(db);
    this.handlers = new Map(handlers.map((handler) => [handler.jobName, handler]));
    const missing = ALL_JOB_NAMES.filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`No handler for the jobs: ${missing.join(', ')}`);
  }

  onApplicationBootstrap(): void {
    for (const queue of this.queues.names()) {
      const worker = new Worker(queue, (job: Job) => this.dispatch(job), {
        ...this.queues.connection,
        prefix: this.queues.prefix,
        concurrency: CONCURRENCY,
        // Every handler may safely run again (the rows decide), so a job whose worker died mid-way is
        // taken up again rather than abandoned after one stall.
        maxStalledCount: 10,
      });
      worker.on('failed', (job, error) => {
        this.logger.warn(
          `${queue}/${job?.name ?? '?'} ${job?.id ?? ''} failed (attempt ${job?.attemptsMade ?? 0}): ${error.message}`,
        );
      });
      worker.on('error', (error) => this.logger.warn(`${queue}: ${error.message}`));
      this.workers.push(worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    await this.finished.flush();
  }

  private async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler || (JOB_QUEUE[handler.jobName] as string) !== job.queueName) {
      throw new Error(`No handler for job ${job.name} on ${job.queueName}`);
    }
    try {
      const result = await handler.handle(job as Job<never>);
      if (job.id && UUID.test(job.id)) this.finished.add(job.id);
      this.metrics.jobs.inc({ job: job.name, outcome: typeof result === 'string' ? result : 'done' });
      return result;
    } catch (error) {
      this.metrics.jobs.inc({ job: job.name, outcome: 'failed' });
      throw error;
    }
  }
}
