import { activeTraceparent, correlation } from '@baton/telemetry';
import { type Sql } from '../sql.js';
import { type Page, type PageRequest, toPage } from './pagination.js';

export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  secret: string;
  createdBy: string | null;
  createdAt: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  deliverableId: string | null;
  body: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  /** The request id of the work that caused the event (sent as X-Request-Id); null before it was kept. */
  requestId: string | null;
}

const WEBHOOK = `id, url, events, secret, created_by AS "createdBy", created_at AS "createdAt"`;
const DELIVERY = `id, webhook_id AS "webhookId", event_id AS "eventId", event_type AS "eventType",
  deliverable_id AS "deliverableId", body, status, attempts, last_status_code AS "lastStatusCode",
  last_error AS "lastError", last_attempt_at AS "lastAttemptAt", delivered_at AS "deliveredAt", created_at AS "createdAt",
  request_id AS "requestId"`;

export class WebhookStore {
  constructor(private readonly sql: Sql) {}

  async insert(row: WebhookRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO webhooks (id, url, events, secret, created_by, created_at) VALUES ($1, $2, $3::text[], $4, $5, $6)`,
      [row.id, row.url, row.events, row.secret, row.createdBy, row.createdAt],
    );
  }

  async findById(id: string): Promise<WebhookRow | null> {
    const rows: WebhookRow[] = await this.sql.query(`SELECT ${WEBHOOK} FROM webhooks WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Every event type some subscription wants ('*' when one wants them all). */
  async subscribedEventTypes(): Promise<Set<string>> {
    const rows: { type: string }[] = await this.sql.query(
      `SELECT DISTINCT unnest(events) AS type FROM webhooks`,
    );
    return new Set(rows.map((row) => row.type));
  }

  async list(page: PageRequest): Promise<Page<WebhookRow>> {
    const params: unknown[] = [page.limit + 1];
    let where = '';
    if (page.cursor) {
      params.push(page.cursor.createdAt, page.cursor.id);
      where = 'WHERE (created_at, id) < ($2, $3)';
    }
    const rows: WebhookRow[] = await this.sql.query(
      `SELECT ${WEBHOOK} FROM webhooks ${where} ORDER BY created_at DESC, id DESC LIMIT $1`,
      params,
    );
    return toPage(rows, page.limit);
  }

  /** Deletes the subscription and its deliveries; false when there was none. */
  async delete(id: string): Promise<boolean> {
    // Wrapped in WITH: TypeORM answers a bare DELETE with [rows, count] rather than the rows.
    const rows: { id: string }[] = await this.sql.query(
      `WITH gone AS (DELETE FROM webhooks WHERE id = $1 RETURNING id) SELECT id FROM gone`,
      [id],
    );
    return rows.length === 1;
  }

  /**
   * One delivery per subscription that wants this event type, and the job of each in the outbox, in one
   * statement. Running it again for the same event adds nothing (one delivery per subscription and event).
   */
  async fanOut(event: {
    eventId: string;
    type: string;
    deliverableId: string | null;
    body: string;
    now: Date;
    job: { queue: string; jobName: string };
  }): Promise<number> {
    const rows: { id: string }[] = await this.sql.query(
      `WITH d AS (
         INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, deliverable_id, body, status, attempts, created_at, request_id)
         SELECT gen_random_uuid(), w.id, $1, $2, $3, $4, 'pending', 0, $5, $8
         FROM webhooks w WHERE w.events && ARRAY[$2, '*']::text[]
         ON CONFLICT (webhook_id, event_id) DO NOTHING
         RETURNING id, deliverable_id),
       o AS (
         INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at, request_id, traceparent)
         SELECT d.id, d.deliverable_id, $6, $7, jsonb_build_object('deliveryId', d.id), NULL, $5, $8, $9 FROM d),
       n AS (SELECT count(pg_notify('baton_outbox', '')) AS notified FROM (SELECT 1 FROM d LIMIT 1) AS first_delivery)
       SELECT id FROM d, n`,
      [
        event.eventId,
        event.type,
        event.deliverableId,
        event.body,
        event.now,
        event.job.queue,
        event.job.jobName,
        correlation()?.requestId ?? null,
        activeTraceparent(),
      ],
    );
    return rows.length;
  }

  /** Ids of pending deliveries, in pages by id (for reconciliation). */
  async pendingAfter(afterId: string | null, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.sql.query(
      `SELECT id FROM webhook_deliveries WHERE status = 'pending' AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((row) => row.id);
  }

  async findDelivery(id: string): Promise<(WebhookDeliveryRow & { url: string; secret: string }) | null> {
    const rows: (WebhookDeliveryRow & { url: string; secret: string })[] = await this.sql.query(
      `SELECT ${DELIVERY.replace(/(^|, )(\w+)/g, '$1d.$2').replace(/\n\s*/g, ' ')}, w.url, w.secret
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Records one attempt; `outcome` decides the status: delivered, pending (will retry) or dead. */
  async recordAttempt(
    id: string,
    attempt: {
      outcome: 'delivered' | 'pending' | 'dead';
      statusCode: number | null;
      error: string | null;
      at: Date;
    },
  ): Promise<void> {
    await this.sql.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, last_status_code = $3, last_error = $4,
         last_attempt_at = $5, delivered_at = CASE WHEN $2 = 'delivered' THEN $5 ELSE delivered_at END
       WHERE id = $1 AND status = 'pending'`,
      [id, attempt.outcome, attempt.statusCode, attempt.error, attempt.at],
    );
  }

  async deliveries(webhookId: string, page: PageRequest): Promise<Page<WebhookDeliveryRow>> {
    const params: unknown[] = [webhookId, page.limit + 1];
    let cursor = '';
    if (page.cursor) {
      params.push(page.cursor.createdAt, page.cursor.id);
      cursor = 'AND (created_at, id) < ($3, $4)';
    }
    const rows: WebhookDeliveryRow[] = await this.sql.query(
      `SELECT ${DELIVERY} FROM webhook_deliveries WHERE webhook_id = $1 ${cursor}
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
    return toPage(rows, page.limit);
  }
}
