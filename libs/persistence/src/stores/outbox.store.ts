import { type Sql } from '../sql.js';
import { APPEND_OUTBOX, type OutboxAppend, outboxJson } from '../statements/outbox.sql.js';

export interface OutboxRow {
  id: string;
  deliverableId: string | null;
  queue: string;
  jobName: string;
  payload: unknown;
  runAt: Date | null;
  createdAt: Date;
  /** The request id and traceparent of the work that wrote the row: its job runs under them. */
  requestId: string | null;
  traceparent: string | null;
}

export class OutboxStore {
  constructor(private readonly sql: Sql) {}

  /**
   * Claims up to `limit` unpublished rows (skipping rows another relay holds), hands them to `publish`,
   * and marks them published in the same transaction; the ids `publish` returns needed no job and are
   * marked finished too. If `publish` throws, nothing is marked and the rows are tried again later; a row
   * published but not marked is published again with the same job id, which the queue ignores while it holds
   * the job (and a job that already ran does nothing the second time: the rows decide). So the mark need not
   * wait for the disk: a crash can only lose the mark.
   */
  async relay(limit: number, publish: (rows: OutboxRow[]) => Promise<readonly string[]>): Promise<number> {
    return this.sql.transaction(async (query) => {
      const rows: OutboxRow[] = await query(
        `SELECT id, deliverable_id AS "deliverableId", queue, job_name AS "jobName", payload, run_at AS "runAt",
                created_at AS "createdAt", request_id AS "requestId", traceparent
         FROM outbox WHERE published_at IS NULL
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const finished = await publish(rows);
      await query(`SET LOCAL synchronous_commit = off`);
      await query(
        `UPDATE outbox SET published_at = now(), done_at = CASE WHEN id = ANY($2::uuid[]) THEN now() END
         WHERE id = ANY($1::uuid[])`,
        [rows.map((row) => row.id), finished],
      );
      return rows.length;
    });
  }

  /**
   * Adds rows outside a transition (jobs a worker derives from another job, such as an event's e-mails); a
   * row whose id is there already is left as it is, so deriving the same jobs twice adds nothing. Returns
   * how many rows were new.
   */
  async append(
    rows: readonly (OutboxAppend & { deliverableId: string | null })[],
    at: Date,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const added: { id: string }[] = await this.sql.query(APPEND_OUTBOX, [outboxJson(rows), at]);
    return added.length;
  }

  /** Records that the jobs of these rows finished; ids that are no outbox row change nothing. */
  async markDone(ids: readonly string[], at: Date): Promise<void> {
    await this.sql.query(`UPDATE outbox SET done_at = $2 WHERE id = ANY($1::uuid[]) AND done_at IS NULL`, [
      ids,
      at,
    ]);
  }

  /**
   * Rows published whose job has not finished, of the given job names, in pages by (created_at, id): what
   * Redis should hold. Used to give a Redis that lost its data its jobs again.
   */
  async unfinished(
    jobNames: readonly string[],
    after: Pick<OutboxRow, 'createdAt' | 'id'> | null,
    limit: number,
  ): Promise<OutboxRow[]> {
    return this.sql.query(
      `SELECT id, deliverable_id AS "deliverableId", queue, job_name AS "jobName", payload, run_at AS "runAt",
              created_at AS "createdAt", request_id AS "requestId", traceparent
       FROM outbox
       WHERE published_at IS NOT NULL AND done_at IS NULL AND job_name = ANY($1::text[])
         AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
       ORDER BY created_at, id LIMIT $4`,
      [jobNames, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  /** Deletes up to `limit` rows whose job finished before `before`; returns how many. */
  async purgeDone(before: Date, limit: number): Promise<number> {
    const rows: { id: string }[] = await this.sql.query(
      `WITH gone AS (
         DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE done_at < $1 ORDER BY done_at LIMIT $2)
         RETURNING id)
       SELECT id FROM gone`,
      [before, limit],
    );
    return rows.length;
  }

  async countUnpublished(): Promise<number> {
    const rows: { count: string }[] = await this.sql.query(
      `SELECT count(*) AS count FROM outbox WHERE published_at IS NULL`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}
