import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { Database } from '@baton/persistence';
import { publishRows, Queues } from '@baton/queues';

const BATCH = 500;

/**
 * Moves committed outbox rows to BullMQ. Woken by NOTIFY baton_outbox (sent by the committing statement)
 * and by a poll as a fallback. The job id is the outbox id, so publishing a row twice enqueues it once.
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

  /** Publishes until the outbox is empty; returns how many rows it moved. */
  async drain(): Promise<void> {
    try {
      while (
        !this.stopped &&
        (await this.db.outbox.relay(BATCH, (rows) => publishRows(this.queues, rows))) === BATCH
      ) {
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
