import { type DataSource } from 'typeorm';

export interface OutboxRow {
  id: string;
  deliverableId: string | null;
  queue: string;
  jobName: string;
  payload: unknown;
  runAt: Date | null;
  createdAt: Date;
}

export class OutboxStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` unpublished rows (skipping rows another relay holds), hands them to `publish`,
   * and marks them published in the same transaction. If `publish` throws, nothing is marked and the rows
   * are tried again later; a row published but not marked is published again with the same job id,
   * which the queue ignores.
   */
  async relay(limit: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, deliverable_id AS "deliverableId", queue, job_name AS "jobName", payload, run_at AS "runAt",
                created_at AS "createdAt"
         FROM outbox WHERE published_at IS NULL
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(rows);
      await manager.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])`, [
        rows.map((row) => row.id),
      ]);
      return rows.length;
    });
  }

  async countUnpublished(): Promise<number> {
    const rows: { count: string }[] = await this.dataSource.query(
      `SELECT count(*) AS count FROM outbox WHERE published_at IS NULL`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}
