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

// Ordered by the column o.txid, never by the text it is served as (`txid`: '10' < '9').
// Event rows are the outbox rows of the DeliverEvent job (JobName.DeliverEvent in @baton/queues): the name is
// written out, not a parameter, so that the partial index outbox_events_idx serves every plan of these reads.

/**
 * No event row can still appear below this transaction id: the lowest id of a transaction still running that
 * may write one, else the next id to be given out. A row below it is visible now, and no row below it can
 * still appear. Left out of "may write one": transactions of other databases of the server (a long one there
 * must not hold this log back) and transactions idle between two statements: Baton writes event rows only
 * in single statements (the deliverable's insert and save, the outbox append), never in a transaction of
 * several, such as the relay's, which waits on Redis while it holds its rows (and would hold the log back as
 * long as Redis is down). A backend whose transaction this role may not see counts as one that may write.
 */
const SETTLED_BELOW = `(SELECT coalesce(
      (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s.snapshot) AS x
        WHERE (x::text::bigint % 4294967296)::text::xid NOT IN (
          SELECT backend_xid FROM pg_stat_activity
          WHERE backend_xid IS NOT NULL
            AND (datname IS DISTINCT FROM current_database() OR state LIKE 'idle in transaction%'))),
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
      `SELECT o.txid::text AS txid, o.id FROM outbox o
       WHERE o.job_name = 'deliver-event' AND o.txid < ${SETTLED_BELOW}
       ORDER BY o.txid DESC, o.id DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  }

  /**
   * Up to `limit` events after `after` (null: from the start) that may be served now, in log order; only
   * those of `deliverableId` when it is given.
   */
  async after(after: EventPosition | null, limit: number, deliverableId?: string): Promise<EventRow[]> {
    return this.sql.query(
      `SELECT o.txid::text AS txid, o.id, o.deliverable_id AS "deliverableId", o.payload FROM outbox o
       WHERE o.job_name = 'deliver-event' AND o.txid < ${SETTLED_BELOW}
         AND (o.txid, o.id) > ($1::bigint, $2::uuid)
         AND ($3::uuid IS NULL OR o.deliverable_id = $3)
       ORDER BY o.txid, o.id LIMIT $4`,
      [
        after?.txid ?? '-1',
        after?.id ?? '00000000-0000-0000-0000-000000000000',
        deliverableId ?? null,
        limit,
      ],
    );
  }
}
