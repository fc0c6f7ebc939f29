import { type Sql } from '../sql.js';

export interface TimerRow {
  id: string;
  deliverableId: string;
  kind: string;
  dueAt: Date;
  status: string;
  period: number | null;
  repeatEvery: string | null;
  before: string | null;
  /** The criterion or action a timer of one item is about. */
  subject: string | null;
  createdAt: Date;
  sentAt: Date | null;
  cancelledAt: Date | null;
}

const COLUMNS = `id, deliverable_id AS "deliverableId", kind, due_at AS "dueAt", status, period,
  repeat_every AS "repeatEvery", before, subject, created_at AS "createdAt", sent_at AS "sentAt", cancelled_at AS "cancelledAt"`;

export class TimerStore {
  constructor(private readonly sql: Sql) {}

  async findById(id: string): Promise<TimerRow | null> {
    const rows: TimerRow[] = await this.sql.query(`SELECT ${COLUMNS} FROM timers WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A deliverable's timers, soonest first. */
  forDeliverable(deliverableId: string): Promise<TimerRow[]> {
    return this.sql.query(`SELECT ${COLUMNS} FROM timers WHERE deliverable_id = $1 ORDER BY due_at, kind`, [
      deliverableId,
    ]);
  }

  /** Every scheduled timer, in pages by id (for reconciliation). */
  scheduledAfter(afterId: string | null, limit: number): Promise<TimerRow[]> {
    return this.sql.query(
      `SELECT ${COLUMNS} FROM timers WHERE status = 'scheduled' AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }

  /** Marks a timer that has nothing left to do (its deliverable moved on) as cancelled. */
  async drop(id: string, now: Date): Promise<void> {
    await this.sql.query(
      `UPDATE timers SET status = 'cancelled', cancelled_at = $2 WHERE id = $1 AND status = 'scheduled'`,
      [id, now],
    );
  }
}
