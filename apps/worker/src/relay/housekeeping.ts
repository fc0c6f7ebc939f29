import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@baton/persistence';

const EVERY_MS = 15 * 60 * 1000;
/** Finished outbox rows are kept this long (BullMQ keeps completed job ids a day too). */
const KEEP_DONE_MS = 24 * 3600 * 1000;
const BATCH = 5000;

/**
 * Every quarter of an hour: removes Idempotency-Keys past their 24 hours, and outbox rows whose job
 * finished more than a day ago (in batches, so a large backlog never holds long locks).
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.run(new Date()).catch((error: unknown) =>
        this.logger.warn(`Housekeeping failed: ${(error as Error).message}`),
      );
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; returns what it removed. */
  async run(now: Date): Promise<{ idempotencyKeys: number; outboxRows: number }> {
    const idempotencyKeys = await this.db.idempotency.purgeExpired(now);
    let outboxRows = 0;
    for (let removed = BATCH; removed === BATCH; outboxRows += removed) {
      removed = await this.db.outbox.purgeDone(new Date(now.getTime() - KEEP_DONE_MS), BATCH);
    }
    if (idempotencyKeys + outboxRows > 0) {
      this.logger.debug(
        `Removed ${idempotencyKeys} expired idempotency keys, ${outboxRows} finished outbox rows`,
      );
    }
    return { idempotencyKeys, outboxRows };
  }
}
