import { activeTraceparent, correlation } from '@baton/telemetry';

/** An outbox row to write (its id is its job's id). */
export interface OutboxAppend {
  id: string;
  queue: string;
  jobName: string;
  payload: object;
  runAt: Date | null;
  /**
   * An event whose job only webhook subscribers of this type need: when none subscribes as the row is
   * written, it is written finished and the relay never sees it.
   */
  onlyIfSubscribed?: string;
}

/**
 * The one way rows enter the outbox, shared by every statement that writes some: `rows` (a parameter) is a
 * JSON array of `{ id, deliverable_id?, queue, job_name, payload, run_at, only_if_subscribed? }`, inserted
 * with `at` as their creation time. A deliverable's own statements write them for their row `d`
 * (`ofDeliverable`), so that nothing is written when `d` is not. A row whose job no subscription wants is
 * written published and finished. An id already there is left as it is: a job derived twice is one row.
 * Event rows are written by single statements only, never in a transaction of several: the live event
 * stream relies on it (stores/event.store.ts).
 */
export function outboxInsert(source: { rows: string; at: string; ofDeliverable?: boolean }): string {
  return `INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at, published_at, done_at,
      request_id, traceparent)
    SELECT r.id, ${source.ofDeliverable ? 'd.id' : 'r.deliverable_id'}, r.queue, r.job_name, r.payload, r.run_at,
      ${source.at}, unheard.at, unheard.at, r.request_id, r.traceparent
    FROM ${source.ofDeliverable ? 'd, ' : ''}jsonb_to_recordset(${source.rows}::jsonb)
      AS r(id uuid, deliverable_id uuid, queue text, job_name text, payload jsonb, run_at timestamptz,
        only_if_subscribed text, request_id text, traceparent text)
    CROSS JOIN LATERAL (SELECT CASE WHEN r.only_if_subscribed IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM webhooks w WHERE w.events && ARRAY[r.only_if_subscribed, '*'])
      THEN ${source.at}::timestamptz END AS at) unheard
    ON CONFLICT (id) DO NOTHING
    RETURNING id, published_at`;
}

/** Wakes the outbox relay at commit (a NOTIFY is delivered when its transaction commits). */
export const OUTBOX_CHANNEL = 'baton_outbox';

/** The NOTIFY that wakes the relay, sent when `o` wrote a row that needs relaying. */
export const WAKE_RELAY = `n AS (SELECT count(pg_notify('${OUTBOX_CHANNEL}', '')) AS notified
    FROM (SELECT 1 FROM o WHERE published_at IS NULL LIMIT 1) AS first_row)`;

/** Outbox rows added outside a transition (a worker deriving jobs from a job): $1 rows, $2 their time. */
export const APPEND_OUTBOX = `WITH o AS (${outboxInsert({ rows: '$1', at: '$2' })}),
  ${WAKE_RELAY}
SELECT id FROM o, n`;

/**
 * Rows as outboxInsert reads them, stamped with the request id and traceparent of the work writing them (the
 * request or job running now): their jobs run under those.
 */
export function outboxJson(rows: readonly (OutboxAppend & { deliverableId?: string | null })[]): string {
  const requestId = correlation()?.requestId ?? null;
  const traceparent = activeTraceparent();
  return JSON.stringify(
    rows.map((row) => ({
      id: row.id,
      deliverable_id: row.deliverableId ?? null,
      queue: row.queue,
      job_name: row.jobName,
      payload: row.payload,
      run_at: row.runAt?.toISOString() ?? null,
      only_if_subscribed: row.onlyIfSubscribed ?? null,
      request_id: requestId,
      traceparent,
    })),
  );
}
