import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { Database, type OutboxRow } from '@baton/persistence';
import { type DeliverEventPayload, JobName, publishRows, Queues } from '@baton/queues';
import { contextOf, inSpan, trace } from '@baton/telemetry';

const BATCH = 500;

/**
 * Moves committed outbox rows to BullMQ. Woken by NOTIFY baton_outbox (sent by the committing statement)
 * and by a poll as a fallback. The job id is the outbox id, so publishing a row twice enqueues it once.
 * An event no one can hear (no webhook subscription wants its type and e-mail is off) gets no job: its
 * row is marked finished as it is relayed. A subscription hears the events that commit after it does.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private poll: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private failures = 0;

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.unlisten = this.db.listen(
      'baton_outbox',
      () => this.wake(),
      (error) => this.logger.warn(`LISTEN connection: ${error.message}`),
    );
    this.poll = setInterval(() => this.wake(), this.config.relayIntervalMs);
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    await this.unlisten?.();
    await this.running;
  }

  /** Runs a relay pass now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /**
   * Publishes the rows that need a job; returns the ids of those that need none. A span of its own, linked to
   * the spans that wrote the rows (each job's span is their child).
   */
  publish(rows: OutboxRow[]): Promise<string[]> {
    const links = rows.flatMap((row) => {
      const context = row.traceparent ? trace.getSpanContext(contextOf(row.traceparent)) : undefined;
      return context ? [{ context }] : [];
    });
    return inSpan('outbox relay', { attributes: { 'baton.outbox.rows': rows.length }, links }, () =>
      this.publishRows(rows),
    );
  }

  private async publishRows(rows: OutboxRow[]): Promise<string[]> {
    let unheard: OutboxRow[] = [];
    if (!this.config.smtp && rows.some((row) => row.jobName === (JobName.DeliverEvent as string))) {
      // Read after the rows were claimed: every subscription that committed before an event did is seen.
      const wanted = await this.db.webhooks.subscribedEventTypes();
      if (!wanted.has('*')) {
        unheard = rows.filter(
          (row) =>
            row.jobName === (JobName.DeliverEvent as string) &&
            !wanted.has((row.payload as DeliverEventPayload).type),
        );
      }
    }
    const skipped = new Set(unheard);
    await publishRows(
      this.queues,
      rows.filter((row) => !skipped.has(row)),
    );
    return unheard.map((row) => row.id);
  }

  /** Publishes until the outbox is empty. */
  async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.db.outbox.relay(BATCH, (rows) => this.publish(rows))) === BATCH) {
        // a full batch: there may be more
      }
      if (this.failures > 0) this.logger.log('Relaying again');
      this.failures = 0;
    } catch (error) {
      // Redis or PostgreSQL is down: the rows stay unpublished and the next poll tries again.
      if (this.failures++ % 30 === 0) this.logger.warn(`Outbox relay failed: ${(error as Error).message}`);
    }
  }
}
