import { type Sql } from '../sql.js';
import { type OutboxAppend, type TimerAppend } from './deliverable.store.js';

export interface TimerRow {
  id: string;
  deliverableId: string;
  kind: string;
  dueAt: Date;
  status: string;
  period: number | null;
  repeatEvery: string | null;
  before: string | null;
  createdAt: Date;
  sentAt: Date | null;
  cancelledAt: Date | null;
}

const COLUMNS = `id, deliverable_id AS "deliverableId", kind, due_at AS "dueAt", status, period,
  repeat_every AS "repeatEvery", before, created_at AS "createdAt", sent_at AS "sentAt", cancelled_at AS "cancelledAt"`;

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

  /** Scheduled timers of a deliverable that are due at `now` (they wait while it is on hold). */
  dueScheduled(deliverableId: string, now: Date): Promise<TimerRow[]> {
    return this.sql.query(
      `SELECT ${COLUMNS} FROM timers WHERE deliverable_id = $1 AND status = 'scheduled' AND due_at <= $2`,
      [deliverableId, now],
    );
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

  /**
   * Fires a timer whose effect is a notice, once: marks it sent and writes its outbox rows (the event, and
   * for a repeating timer the next occurrence and its job) in one statement, only while it is scheduled
   * and its deliverable is not on hold. Returns false when it did nothing.
   */
  async fireNotice(input: {
    id: string;
    now: Date;
    outbox: OutboxAppend[];
    next: TimerAppend | null;
  }): Promise<boolean> {
    const outbox = JSON.stringify(
      input.outbox.map((row) => ({
        id: row.id,
        queue: row.queue,
        job_name: row.jobName,
        payload: row.payload,
        run_at: row.runAt?.toISOString() ?? null,
      })),
    );
    const next = input.next;
    const rows: { id: string }[] = await this.sql.query(
      `WITH t AS (
         UPDATE timers SET status = 'sent', sent_at = $2
         WHERE id = $1 AND status = 'scheduled'
           AND EXISTS (SELECT 1 FROM deliverables d WHERE d.id = timers.deliverable_id AND d.status <> 'on_hold'
             -- A repeating timer (ELS follow-up) fires only during ELS: one created as ELS ended is stale.
             AND (timers.repeat_every IS NULL OR d.status = 'early_life_support'))
         RETURNING id, deliverable_id, kind, period, repeat_every, before),
       o AS (
         INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at)
         SELECT r.id, t.deliverable_id, r.queue, r.job_name, r.payload, r.run_at, $2
         FROM t, jsonb_to_recordset($3::jsonb) AS r(id uuid, queue text, job_name text, payload jsonb, run_at timestamptz)),
       nt AS (
         INSERT INTO timers (id, deliverable_id, kind, due_at, status, period, repeat_every, before, created_at)
         SELECT $4::uuid, t.deliverable_id, t.kind, $5::timestamptz, 'scheduled', t.period, t.repeat_every, t.before, $2
         FROM t WHERE $4::uuid IS NOT NULL),
       n AS (SELECT count(pg_notify('baton_outbox', '')) AS notified FROM t)
       SELECT t.id FROM t, n`,
      [input.id, input.now, outbox, next?.id ?? null, next?.dueAt ?? null],
    );
    return rows.length === 1;
  }
}
