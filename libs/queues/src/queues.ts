import { type JobsOptions, Queue, type QueueOptions } from 'bullmq';
import { JOB_OPTIONS } from './job-options.js';
import { ALL_JOB_NAMES, JOB_QUEUE, type JobName, type QueueName } from './queue-names.js';

/** Connection settings shared by every queue and worker: the backend's options plus the key prefix. */
export type QueueConnection = Omit<QueueOptions, 'prefix' | 'defaultJobOptions'>;

/** What caused a job: the request id and W3C traceparent of the work that wrote its outbox row. */
export interface JobCause {
  requestId?: string | null;
  traceparent?: string | null;
}

/** The cause a job's data was stamped with (jobData); absent fields for jobs stamped before causes were. */
export function causeOf(data: unknown): JobCause {
  if (data === null || typeof data !== 'object') return {};
  const { requestId, traceparent } = data as Record<string, unknown>;
  return {
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  };
}

export interface QueuesOptions {
  /** Stamped on every job added (`installationId` in its data): a worker leaves other installations' jobs alone. */
  installationId?: string;
  /** Job options of this installation that replace the defaults (JOB_OPTIONS). */
  jobOptions?: Partial<Record<JobName, JobsOptions>>;
}

/** One BullMQ Queue per queue name, opened on first use, all closed together. */
export class Queues {
  private readonly open = new Map<QueueName, Queue>();
  readonly installationId: string | null;
  private readonly overrides: Partial<Record<JobName, JobsOptions>>;

  constructor(
    readonly connection: QueueConnection,
    readonly prefix: string,
    options: QueuesOptions = {},
  ) {
    this.installationId = options.installationId ?? null;
    this.overrides = options.jobOptions ?? {};
  }

  /** The options a job of this name is added with: the defaults, with this installation's overrides. */
  jobOptions(name: JobName): JobsOptions {
    return { ...JOB_OPTIONS[name], ...this.overrides[name] };
  }

  /**
   * A job's data as added to a queue: its payload, stamped with this installation's id and with what caused it
   * (the request id and traceparent its outbox row was written under).
   */
  jobData(payload: unknown, cause: JobCause = {}): unknown {
    if (payload === null || typeof payload !== 'object') return payload;
    return {
      ...payload,
      ...(this.installationId !== null ? { installationId: this.installationId } : {}),
      ...(cause.requestId ? { requestId: cause.requestId } : {}),
      ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
    };
  }

  /**
   * Whether a job taken from a queue belongs to another installation (one that shares this Redis and this
   * prefix). Jobs without a stamp (added before stamps existed) are taken as this installation's.
   */
  isForeign(data: unknown): boolean {
    if (this.installationId === null || data === null || typeof data !== 'object') return false;
    const stamp = (data as { installationId?: unknown }).installationId;
    return typeof stamp === 'string' && stamp !== this.installationId;
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
