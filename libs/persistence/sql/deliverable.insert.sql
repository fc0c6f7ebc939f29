WITH d AS (
    INSERT INTO deliverables (id, checklist_id, awaiting_roles, project_id, service_id, title, description,
      change_type, target_go_live, status, snapshot, machine_version, version, submitted_by, created_by,
      audit_seq, audit_hash, created_at, updated_at)
    VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
    RETURNING id),
  a AS (INSERT INTO audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data,
      prev_hash, hash)
    SELECT d.id, r.seq, r.at, r.principal_id, r.action, r.from_status, r.to_status, r.data, r.prev_hash, r.hash
    FROM d, jsonb_to_recordset($20::jsonb) AS r(seq integer, at timestamptz, principal_id uuid, action text,
      from_status text, to_status text, data jsonb, prev_hash text, hash text)),
  c AS (INSERT INTO deliverable_criteria (deliverable_id, key, title, practice, mandatory, kind, status, evidence,
      updated_by, updated_at)
    SELECT d.id, r.key, r.title, r.practice, r.mandatory, r.kind, r.status, r.evidence, r.updated_by, r.updated_at
    FROM d, jsonb_to_recordset($21::jsonb) AS r(key text, title text, practice text, mandatory boolean,
      kind text, status text, evidence text, updated_by uuid, updated_at timestamptz)
    ON CONFLICT (deliverable_id, key) DO UPDATE SET title = EXCLUDED.title, practice = EXCLUDED.practice,
      mandatory = EXCLUDED.mandatory, kind = EXCLUDED.kind, status = EXCLUDED.status, evidence = EXCLUDED.evidence,
      updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at),
  o AS (INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at, published_at, done_at,
      request_id, traceparent)
    SELECT r.id, d.id, r.queue, r.job_name, r.payload, r.run_at,
      $18, unheard.at, unheard.at, r.request_id, r.traceparent
    FROM d, jsonb_to_recordset($22::jsonb)
      AS r(id uuid, deliverable_id uuid, queue text, job_name text, payload jsonb, run_at timestamptz,
        only_if_subscribed text, request_id text, traceparent text)
    CROSS JOIN LATERAL (SELECT CASE WHEN r.only_if_subscribed IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM webhooks w WHERE w.events && ARRAY[r.only_if_subscribed, '*'])
      THEN $18::timestamptz END AS at) unheard
    ON CONFLICT (id) DO NOTHING
    RETURNING id, published_at),
  n AS (SELECT count(pg_notify('baton_outbox', '')) AS notified
    FROM (SELECT 1 FROM o WHERE published_at IS NULL LIMIT 1) AS first_row)
SELECT d.id, n.notified FROM d, n
