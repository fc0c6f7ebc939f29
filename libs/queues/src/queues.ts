import { type JobsOptions, Queue, type QueueOptions } from 'bullmq';
import { JOB_OPTIONS } from './job-options.js';
import { ALL_JOB_NAMES, JOB_QUEUE, type JobName, type QueueName } from './queue-names.js';

/** Connection settings shared by every queue and worker: the backend's options plus the key prefix. */
export type QueueConnection = Omit<QueueOptions, 'prefix' | 'defaultJobOptions'>;

/** One BullMQ Queue per queue name, opened on first use, all closed together. */
export class Queues {
  private readonly open = new Map<QueueName, Queue>();

  constructor(
    readonly connection: QueueConnection,
    readonly prefix: string,
    private readonly overrides: Partial<Record<JobName, JobsOptions>> = {},
  ) {}

  /** The options a job of this name is added with: the defaults, with this installation's overrides. */
  jobOptions(name: JobName): JobsOptions {
    return { ...JOB_OPTIONS[name], ...this.overrides[name] };
  }

  get(name: QueueName): Queue {
    let queue = this.open.get(name);
    if (!queue) {
      queue = new Queue(name, { ...this.connection, prefix: this.prefix });
      // Errors surface on the calls that fail; an unhandled 'error' event would crash the process.
      queue.on('error', () => undefined);
      this.open.set(name, queue);
    }
    return queue;
  }

  /** Every queue some job goes to. */
  names(): QueueName[] {
    return [...new Set(ALL_JOB_NAMES.map((job) => JOB_QUEUE[job]))];
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.open.values()].map((queue) => queue.close()));
    this.open.clear();
  }
}
