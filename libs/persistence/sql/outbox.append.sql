WITH o AS (INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at)
    SELECT r.id, r.deliverable_id, r.queue, r.job_name, r.payload, r.run_at,
      $2
    FROM jsonb_to_recordset($1::jsonb)
      AS r(id uuid, deliverable_id uuid, queue text, job_name text, payload jsonb, run_at timestamptz)
    ON CONFLICT (id) DO NOTHING
    RETURNING id),
  n AS (SELECT count(pg_notify('baton_outbox', '')) AS notified FROM (SELECT 1 FROM o LIMIT 1) AS first_row)
SELECT id FROM o, n
