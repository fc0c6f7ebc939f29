import { type Sql } from '../sql.js';

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
  constructor(private readonly sql: Sql) {}

  /** Oldest first, the creation first. */
  async history(deliverableId: string): Promise<AuditEventRow[]> {
    return this.sql.query(
      `SELECT seq, at, principal_id AS "principalId", action, from_status AS "fromStatus",
              to_status AS "toStatus", data, prev_hash AS "prevHash", hash
       FROM audit_events WHERE deliverable_id = $1 ORDER BY seq`,
      [deliverableId],
    );
  }
}
