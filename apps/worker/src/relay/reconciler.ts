import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { timerJob } from '@baton/commands';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG, QUEUE_BACKEND, type QueueBackend } from '@baton/core';
import { Database, type OutboxRow } from '@baton/persistence';
import { JobName, publishRows, QueueName, Queues } from '@baton/queues';

const PAGE = 1000;
/** Every this many checks, reconcile even when the sentinel is there (a partial loss leaves it). */
const FULL_EVERY = 40;

/** Jobs whose outbox row is their only record: a lost one is given back from the row. */
const FROM_OUTBOX = [JobName.DeliverEvent, JobName.ProbeCriterion, JobName.SendEmail];

/**
 * PostgreSQL is the source of truth; Redis only carries work. When Redis loses jobs (FLUSHDB, a restart
 * without persistence, a failover to an empty replica) a sentinel key this process keeps is gone too: then
 * every job Redis should hold is added again with its deterministic job id (BullMQ ignores ids it holds, so
 * nothing doubles): each scheduled timer (overdue ones fire at once) and pending webhook delivery from its
 * row, and each event, probe and e-mail published from the outbox whose job has not finished. Unpublished
 * outbox rows need nothing: the relay publishes them whatever Redis held. A relay pass that published just
 * before the loss may commit just after the first reconciliation read the outbox, so the next check
 * reconciles once more.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private checks = 0;
  private again = false;

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
  ) {}

  onApplicationBootstrap(): void {
    if (this.backend.backend !== 'redis') return; // the PostgreSQL backend cannot lose jobs apart from the data
    this.timer = setInterval(() => this.tick(), this.config.reconcileIntervalMs);
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.check()
      .catch((error: unknown) => this.logger.warn(`Reconciliation failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
  }

  /**
   * The key whose absence says Redis lost its data: one per installation, so that installations that share
   * a prefix (a mistake the workers survive) each notice a loss.
   */
  get sentinelKey(): string {
    const installation = this.queues.installationId;
    return `${this.queues.prefix}:baton:sentinel${installation ? `:${installation}` : ''}`;
  }

  /** Reconciles when the sentinel is missing (Redis lost data) or every FULL_EVERY checks. */
  async check(): Promise<void> {
    const redis = await this.queues.get(QueueName.Timers).getBackend().client;
    const key = this.sentinelKey;
    // Two workers may both find it missing and both reconcile: reconciling is idempotent.
    const lost = (await redis.get(key)) === null;
    if (lost) await redis.set(key, new Date().toISOString());
    const first = this.checks++ === 0;
    const again = this.again;
    this.again = lost && !first;
    if (!lost && !again && this.checks % FULL_EVERY !== 0) return;
    const started = Date.now();
    const { timers, deliveries, jobs } = await this.reconcile();
    const summary = `${timers} timers, ${deliveries} webhook deliveries and ${jobs} events, probes and e-mails in ${Date.now() - started} ms`;
    if (lost && !first) this.logger.warn(`Redis had lost its jobs: put back ${summary}`);
    else this.logger.debug(`Reconciled ${summary}`);
  }

  async reconcile(): Promise<{ timers: number; deliveries: number; jobs: number }> {
    let timers = 0;
    for (let after: string | null = null; ;) {
      const page = await this.db.timers.scheduledAfter(after, PAGE);
      if (page.length === 0) break;
      await publishRows(
        this.queues,
        page.map((timer) => timerJob(timer.deliverableId, timer)),
      );
      timers += page.length;
      after = page[page.length - 1].id;
    }
    let deliveries = 0;
    for (let after: string | null = null; ;) {
      const ids = await this.db.webhooks.pendingAfter(after, PAGE);
      if (ids.length === 0) break;
      await publishRows(
        this.queues,
        ids.map((id) => ({
          id,
          queue: QueueName.Webhooks,
          jobName: JobName.DeliverWebhook,
          payload: { deliveryId: id },
          runAt: null,
        })),
      );
      deliveries += ids.length;
      after = ids[ids.length - 1]!;
    }
    let jobs = 0;
    for (let after: OutboxRow | null = null; ;) {
      const page = await this.db.outbox.unfinished(FROM_OUTBOX, after, PAGE);
      if (page.length === 0) break;
      await publishRows(this.queues, page);
      jobs += page.length;
      after = page[page.length - 1]!;
    }
    return { timers, deliveries, jobs };
  }
}
