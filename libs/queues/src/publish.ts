import { type JobName, type QueueName } from './queue-names.js';
import { type Queues } from './queues.js';

export interface PublishableRow {
  id: string;
  queue: string;
  jobName: string;
  payload: unknown;
  runAt: Date | null;
  requestId?: string | null;
  traceparent?: string | null;
}

/**
 * Adds outbox rows to their queues with the row id as job id: BullMQ ignores an add whose id it holds, so
 * publishing the same rows again (a relay that crashed before marking them) enqueues nothing new. Each job's
 * data is its row's payload stamped with the installation's id and the row's request id and traceparent.
 */
export async function publishRows(
  queues: Queues,
  rows: readonly PublishableRow[],
  now = Date.now(),
): Promise<void> {
  const byQueue = new Map<string, PublishableRow[]>();
  for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
  await Promise.all(
    [...byQueue].map(([queue, batch]) =>
      queues.get(queue as QueueName).addBulk(
        batch.map((row) => ({
          name: row.jobName,
          data: queues.jobData(row.payload, row),
          opts: {
            ...queues.jobOptions(row.jobName as JobName),
            jobId: row.id,
            ...(row.runAt ? { delay: Math.max(0, row.runAt.getTime() - now) } : {}),
          },
        })),
      ),
    ),
  );
}
