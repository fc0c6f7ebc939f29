import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@baton/persistence';

const EVERY_MS = 15 * 60 * 1000;

/** Removes Idempotency-Keys past their 24 hours, every quarter of an hour. */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.db.idempotency.purgeExpired(new Date()).then(
        (count) => count > 0 && this.logger.debug(`Removed ${count} expired idempotency keys`),
        (error: unknown) => this.logger.warn(`Housekeeping failed: ${(error as Error).message}`),
      );
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
