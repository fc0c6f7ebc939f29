import { type Sql } from '../sql.js';

/**
 * A place in the event log: the writing transaction's id, then the event id. Every event row has one, and
 * they are totally ordered; the text of `txid` is a bigint.
 */
export interface EventPosition {
  txid: string;
  id: string;
}

/** An event as its outbox row keeps it (the payload of its DeliverEvent job). */
export interface EventRow extends EventPosition {
  deliverableId: string | null;
  payload: unknown;
}

// Event rows are the outbox rows of the DeliverEvent job (JobName.DeliverEvent in @baton/queues): the name is
// written out, not a parameter, so that the partial index outbox_events_idx serves every plan of these reads.

/**
 * Transactions below this id have all ended: the lowest id still running in this database (those of other
 * databases of the server cannot write here, and a long one there must not hold this log back), else the
 * next id to be given out. A row below it is visible now, and no row below it can still appear.
 */
const SETTLED_BELOW = `(SELECT coalesce(
      (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s.snapshot) AS x
        WHERE (x::text::bigint % 4294967296)::text::xid NOT IN (
          SELECT backend_xid FROM pg_stat_activity
          WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
      pg_snapshot_xmax(s.snapshot)::text::bigint)
    FROM (SELECT pg_current_snapshot() AS snapshot) s)`;

/**
 * The event log: the event rows of the outbox (kept a day after their job finished) in the order of the
 * transactions that wrote them. A row is served only once every transaction with a lower id has ended, so a
 * transaction that committed late (with an earlier `created_at`, or a lower id) can never fall behind a
 * position already served: reading on from a position misses nothing and repeats nothing.
 */
export class EventStore {
  constructor(private readonly sql: Sql) {}

  /** Where the event with this id sits in the log; null when there is no such event (never, or purged). */
  async position(eventId: string): Promise<EventPosition | null> {
    const rows: EventPosition[] = await this.sql.query(
      `SELECT txid::text AS txid, id FROM outbox WHERE id = $1 AND job_name = 'deliver-event'`,
      [eventId],
    );
    return rows[0] ?? null;
  }

  /** The last event that may be served now; null when there is none. */
  async head(): Promise<EventPosition | null> {
    const rows: EventPosition[] = await this.sql.query(
      `SELECT txid::text AS txid, id FROM outbox
       WHERE job_name = 'deliver-event' AND txid < ${SETTLED_BELOW}
       ORDER BY txid DESC, id DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  }

  /**
   * Up to `limit` events after `after` (null: from the start) that may be served now, in log order; only
   * those of `deliverableId` when it is given.
   */
  async after(after: EventPosition | null, limit: number, deliverableId?: string): Promise<EventRow[]> {
    return this.sql.query(
      `SELECT txid::text AS txid, id, deliverable_id AS "deliverableId", payload FROM outbox
       WHERE job_name = 'deliver-event' AND txid < ${SETTLED_BELOW}
         AND (txid, id) > ($1::bigint, $2::uuid)
         AND ($3::uuid IS NULL OR deliverable_id = $3)
       ORDER BY txid, id LIMIT $4`,
      [
        after?.txid ?? '-1',
        after?.id ?? '00000000-0000-0000-0000-000000000000',
        deliverableId ?? null,
        limit,
      ],
    );
  }
}
