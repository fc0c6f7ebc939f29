import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { Metrics } from '@baton/core';
import { HandoverErrorCode, isHandoverError } from '@baton/handover';
import { Database } from '@baton/persistence';
import { ALL_JOB_NAMES, causeOf, JOB_QUEUE, type JobName, Queues } from '@baton/queues';
import { contextOf, inSpan, requestIdFrom, SpanKind, withCorrelation } from '@baton/telemetry';
import { PinoLogger } from 'nestjs-pino';
import { FinishedJobs } from './finished-jobs.js';
import { JOB_HANDLERS, type JobHandler, type JobOutcome } from './job-handler.js';

const CONCURRENCY = 16;
/** How long a stopping worker lets its running jobs finish before it hands them back. */
export const STOP_GRACE_MS = 2000;
/** How long a job of another installation is put aside before a worker (of its own, with luck) takes it again. */
const FOREIGN_JOB_DELAY_MS = 250;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Errors no retry can cure: stored data this code cannot read. The job fails once, for good. */
const PERMANENT = [HandoverErrorCode.SnapshotInvalid, HandoverErrorCode.SnapshotVersionUnknown];

/** `error` as BullMQ's UnrecoverableError (failed at once, not retried) when it is permanent, else as it is. */
export function unlessPermanent(error: unknown): unknown {
  if (!PERMANENT.some((code) => isHandoverError(error, code))) return error;
  const permanent = new UnrecoverableError(
    `${(error as Error).message} [${(error as { code: string }).code}]`,
  );
  permanent.cause = error;
  return permanent;
}

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
  /** Installations whose jobs this worker met (and left alone): each is reported once. */
  private readonly strangers = new Set<string>();
  /** The jobs running now, with their lock tokens: what a stop hands back if they do not finish in time. */
  private readonly running = new Map<Job, string | undefined>();

  constructor(
    private readonly queues: Queues,
    private readonly metrics: Metrics,
    db: Database,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    private readonly pino: PinoLogger,
  ) {
    this.finished = new FinishedJobs(db);
    this.handlers = new Map(handlers.map((handler) => [handler.jobName, handler]));
    const missing = ALL_JOB_NAMES.filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`No handler for the jobs: ${missing.join(', ')}`);
  }

  onApplicationBootstrap(): void {
    for (const queue of this.queues.names()) {
      const worker = new Worker(queue, (job: Job, token?: string) => this.dispatch(job, token), {
        ...this.queues.connection,
        prefix: this.queues.prefix,
        concurrency: CONCURRENCY,
        // Every handler may safely run again (the rows decide), so a job whose worker died mid-way is
        // taken up again rather than abandoned after one stall.
        maxStalledCount: 10,
      });
      worker.on('failed', (job, error) => {
        const which = `${queue}/${job?.name ?? '?'} ${job?.id ?? ''}`;
        const say = (): void => {
          if (error instanceof UnrecoverableError) {
            this.logger.error(`${which} failed for good, not retried: ${error.message}`);
          } else {
            this.logger.warn(`${which} failed (attempt ${job?.attemptsMade ?? 0}): ${error.message}`);
          }
        };
        // Said with the request id of the job's cause, like the job's own lines.
        const { requestId } = causeOf(job?.data);
        if (requestId)
          this.pino.runInContext(say, { bindings: { requestId, job: job?.name, jobId: job?.id } });
        else say();
      });
      worker.on('error', (error) => this.logger.warn(`${queue}: ${error.message}`));
      this.workers.push(worker);
    }
  }

  /**
   * A clean stop takes no new job, lets the running ones finish for up to STOP_GRACE_MS, and hands back to the
   * queue those still running then (their locks released, so another worker takes them at once rather than
   * after the 30 s lock expiry; every handler is safe to run again). Then the workers close.
   */
  async onApplicationShutdown(): Promise<void> {
    const paused = Promise.allSettled(this.workers.map((worker) => worker.pause()));
    let grace: NodeJS.Timeout | undefined;
    const finishedInTime = await Promise.race([
      paused.then(() => true),
      new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), STOP_GRACE_MS))),
    ]);
    clearTimeout(grace);
    if (!finishedInTime) {
      const handedBack = await Promise.allSettled(
        [...this.running].map(([job, token]) => job.moveToWait(token)),
      );
      const failed = handedBack.filter((outcome) => outcome.status === 'rejected').length;
      this.logger.warn(
        `Stopping: ${handedBack.length - failed} running jobs handed back to the queue` +
          (failed > 0 ? `, ${failed} could not be (their locks expire in 30 s)` : ''),
      );
    }
    await Promise.allSettled(this.workers.map((worker) => worker.close(!finishedInTime)));
    await this.finished.flush();
  }

  /**
   * Runs the job's handler and counts its outcome. What the handler throws is retried by BullMQ while attempts
   * remain, unless it is permanent: then the job fails once, as an UnrecoverableError.
   */
  private dispatch(job: Job, token: string | undefined): Promise<JobOutcome> {
    if (this.queues.isForeign(job.data)) return this.leaveAlone(job, token);
    // The job runs under the request that caused it: its id on every line logged and every row written, its
    // span a child of the span that wrote the job's outbox row.
    const cause = causeOf(job.data);
    const requestId = requestIdFrom(cause.requestId ?? undefined);
    const bindings = { requestId, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 };
    return this.pino.runInContext(
      () =>
        withCorrelation({ requestId }, () =>
          inSpan(
            `${job.queueName} process`,
            {
              kind: SpanKind.CONSUMER,
              parent: contextOf(cause.traceparent),
              attributes: {
                'messaging.system': 'bullmq',
                'messaging.operation.type': 'process',
                'messaging.destination.name': job.queueName,
                'messaging.message.id': job.id ?? '',
                'baton.job.name': job.name,
                'baton.request_id': requestId,
              },
            },
            async (span) => {
              const started = performance.now();
              const outcome = await this.run(job, token);
              span.setAttribute('baton.job.outcome', outcome);
              this.logger.log({
                msg: `${job.name} ${outcome}`,
                outcome,
                durationMs: Math.round(performance.now() - started),
              });
              return outcome;
            },
          ),
        ),
      { bindings },
    );
  }

  private async run(job: Job, token: string | undefined): Promise<JobOutcome> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler || (JOB_QUEUE[handler.jobName] as string) !== job.queueName) {
      throw new Error(`No handler for job ${job.name} on ${job.queueName}`);
    }
    this.running.set(job, token);
    try {
      const outcome = await handler.handle(job as Job<never>);
      if (job.id && UUID.test(job.id)) this.finished.add(job.id);
      this.count(job, outcome);
      return outcome;
    } catch (caught) {
      const error = unlessPermanent(caught);
      this.count(job, error instanceof UnrecoverableError ? 'unrecoverable' : 'error');
      throw error;
    } finally {
      this.running.delete(job);
    }
  }

  private count(job: Job, outcome: JobOutcome): void {
    this.metrics.jobs.inc({ job: job.name, outcome });
  }

  /**
   * A job of another installation that shares this Redis and this queue prefix: finishing it would lose it
   * (its rows are in the other installation's database), so it goes back, delayed a little, for a worker of
   * its own installation to take.
   */
  private async leaveAlone(job: Job, token: string | undefined): Promise<never> {
    const stranger = String((job.data as { installationId: unknown }).installationId);
    if (!this.strangers.has(stranger)) {
      this.strangers.add(stranger);
      this.logger.warn(
        `Queue prefix "${this.queues.prefix}" is shared with another Baton installation (${stranger}); ` +
          `its jobs are left to its own workers. Give each installation its own BATON_QUEUE_PREFIX, or unset it.`,
      );
    }
    this.count(job, 'foreign');
    await job.moveToDelayed(Date.now() + FOREIGN_JOB_DELAY_MS, token);
    throw new DelayedError();
  }
}
