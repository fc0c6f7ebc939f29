import { Logger } from '@nestjs/common';
import { type Database } from '@baton/persistence';

const FLUSH_AFTER_MS = 25;
const MAX_BATCH = 500;

/**
 * Records finished jobs on their outbox rows in batches: one UPDATE for the jobs that finished within a few
 * milliseconds, not one per job. A mark lost (a crash before the flush, PostgreSQL down) leaves a row
 * unfinished, which matters only if Redis loses its data too: then the job runs again, and every handler
 * may run again.
 */
export class FinishedJobs {
  private readonly logger = new Logger('Worker');
  private pending: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database) {}

  add(id: string): void {
    this.pending.push(id);
    if (this.pending.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes what is pending; resolves when every earlier flush is written too. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = this.pending;
    this.pending = [];
    if (ids.length > 0) {
      this.flushing = this.flushing.then(() =>
        this.db.outbox
          .markDone(ids, new Date())
          .catch((error: unknown) =>
            this.logger.warn(`Could not mark ${ids.length} finished jobs: ${(error as Error).message}`),
          ),
      );
    }
    return this.flushing;
  }
}
