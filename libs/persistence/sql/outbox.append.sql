WITH o AS (INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at, published_at, done_at,
      request_id, traceparent)
    SELECT r.id, r.deliverable_id, r.queue, r.job_name, r.payload, r.run_at,
      $2, unheard.at, unheard.at, r.request_id, r.traceparent
    FROM jsonb_to_recordset($1::jsonb)
      AS r(id uuid, deliverable_id uuid, queue text, job_name text, payload jsonb, run_at timestamptz,
        only_if_subscribed text, request_id text, traceparent text)
    CROSS JOIN LATERAL (SELECT CASE WHEN r.only_if_subscribed IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM webhooks w WHERE w.events && ARRAY[r.only_if_subscribed, '*'])
      THEN $2::timestamptz END AS at) unheard
    ON CONFLICT (id) DO NOTHING
    RETURNING id, published_at),
  n AS (SELECT count(pg_notify('baton_outbox', '')) AS notified
    FROM (SELECT 1 FROM o WHERE published_at IS NULL LIMIT 1) AS first_row)
SELECT id FROM o, n
