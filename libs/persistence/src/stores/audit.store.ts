import { type DataSource } from 'typeorm';

export interface AuditEventRow {
  seq: number;
  at: Date;
  principalId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data: unknown;
  prevHash: string | null;
  hash: string;
}

export class AuditStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Oldest first, the creation first. */
  async history(deliverableId: string): Promise<AuditEventRow[]> {
    return this.dataSource.query(
      `SELECT seq, at, principal_id AS "principalId", action, from_status AS "fromStatus",
              to_status AS "toStatus", data, prev_hash AS "prevHash", hash
       FROM audit_events WHERE deliverable_id = $1 ORDER BY seq`,
      [deliverableId],
    );
  }
}
