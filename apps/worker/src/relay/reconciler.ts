import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { timerJob } from '@baton/commands';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG, REDIS_CLIENTS, type RedisClient, RedisClients } from '@baton/core';
import { Database, type OutboxRow } from '@baton/persistence';
import { JobName, publishRows, QueueName, Queues } from '@baton/queues';

const PAGE = 1000;
/** Every this many checks, reconcile even when the sentinel is there (a partial loss leaves it). */
const FULL_EVERY = 40;

/**
 * One round trip to the Redis that holds the queues' slot: whether the sentinel key was there (it is set
 * when missing) and which server answered (its run id changes with a failover or a restart).
 */
const SENTINEL = `
local held = redis.call('GET', KEYS[1])
if not held then redis.call('SET', KEYS[1], ARGV[1]) end
return { held and 1 or 0, string.match(redis.call('INFO', 'server'), 'run_id:(%w+)') or '' }
`;

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
 * reconciles once more. A failover (Sentinel's, or a cluster's for the queues' slot) may lose the last
 * writes the old master had not yet replicated, the sentinel key still there: a new server answering (its
 * run id changed) reconciles too. The sentinel key shares the queues' prefix, so on a cluster it lives in
 * their slot, on the node whose loss it is to reveal.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private checks = 0;
  private again = false;
  private redis: RedisClient | null = null;
  /** The run id of the server that answered the last check. */
  private runId: string | null = null;

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
    /** Absent on BullMQ's PostgreSQL backend, which cannot lose jobs apart from the data. */
    @Optional() @Inject(REDIS_CLIENTS) private readonly clients: RedisClients | null,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.clients) return;
    this.timer = setInterval(() => this.tick(), this.config.reconcileIntervalMs);
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.redis?.disconnect();
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

  /**
   * Reconciles when the sentinel is missing (Redis lost data), when another server answers than last time
   * (a failover or a restart), or every FULL_EVERY checks.
   */
  async check(): Promise<void> {
    if (!this.clients) throw new Error('The reconciler checks Redis only: its queues run elsewhere');
    if (!this.redis) {
      this.redis = this.clients.create('baton-reconciler');
      this.redis.on('error', () => undefined);
    }
    // Two workers may both find it missing and both reconcile: reconciling is idempotent.
    const [held, runId] = (await this.redis.eval(
      SENTINEL,
      1,
      this.sentinelKey,
      new Date().toISOString(),
    )) as [number, string];
    const lost = held === 0;
    const moved = this.runId !== null && runId !== this.runId;
    this.runId = runId;
    const first = this.checks++ === 0;
    const again = this.again;
    this.again = (lost || moved) && !first;
    if (!lost && !moved && !again && this.checks % FULL_EVERY !== 0) return;
    const started = Date.now();
    const { timers, deliveries, jobs } = await this.reconcile();
    const summary = `${timers} timers, ${deliveries} webhook deliveries and ${jobs} events, probes and e-mails in ${Date.now() - started} ms`;
    if (lost && !first) this.logger.warn(`Redis had lost its jobs: put back ${summary}`);
    else if (moved)
      this.logger.log(`Another Redis server answers (a failover or a restart): reconciled ${summary}`);
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
