WITH d AS (
    UPDATE deliverables SET
      status = $5, snapshot = coalesce($6::jsonb, snapshot), machine_version = $7, submitted_by = $8,
      awaiting_roles = $9::text[], version = version + CASE WHEN $4::boolean THEN 1 ELSE 0 END,
      audit_seq = $10, audit_hash = $11, updated_at = CASE WHEN $4::boolean THEN $12 ELSE updated_at END,
      title = CASE WHEN $13::jsonb ? 'title' THEN $13::jsonb->>'title' ELSE title END,
      description = CASE WHEN $13::jsonb ? 'description' THEN $13::jsonb->>'description' ELSE description END,
      change_type = CASE WHEN $13::jsonb ? 'changeType' THEN $13::jsonb->>'changeType' ELSE change_type END,
      target_go_live = CASE WHEN $13::jsonb ? 'targetGoLive'
        THEN ($13::jsonb->>'targetGoLive')::timestamptz ELSE target_go_live END
    WHERE id = $1 AND version = $2
      AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM timers WHERE id = $3 AND status = 'scheduled'))
    RETURNING id),
  a AS (INSERT INTO audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data,
      prev_hash, hash)
    SELECT d.id, r.seq, r.at, r.principal_id, r.action, r.from_status, r.to_status, r.data, r.prev_hash, r.hash
    FROM d, jsonb_to_recordset($14::jsonb) AS r(seq integer, at timestamptz, principal_id uuid, action text,
      from_status text, to_status text, data jsonb, prev_hash text, hash text)),
  o AS (INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at, published_at, done_at,
      request_id, traceparent)
    SELECT r.id, d.id, r.queue, r.job_name, r.payload, r.run_at,
      $12, unheard.at, unheard.at, r.request_id, r.traceparent
    FROM d, jsonb_to_recordset($15::jsonb)
      AS r(id uuid, deliverable_id uuid, queue text, job_name text, payload jsonb, run_at timestamptz,
        only_if_subscribed text, request_id text, traceparent text)
    CROSS JOIN LATERAL (SELECT CASE WHEN r.only_if_subscribed IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM webhooks w WHERE w.events && ARRAY[r.only_if_subscribed, '*'])
      THEN $12::timestamptz END AS at) unheard
    ON CONFLICT (id) DO NOTHING
    RETURNING id, published_at),
  n AS (SELECT count(pg_notify('baton_outbox', '')) AS notified
    FROM (SELECT 1 FROM o WHERE published_at IS NULL LIMIT 1) AS first_row),
  c AS (INSERT INTO deliverable_criteria (deliverable_id, key, title, practice, mandatory, kind, status, evidence,
      updated_by, updated_at)
    SELECT d.id, r.key, r.title, r.practice, r.mandatory, r.kind, r.status, r.evidence, r.updated_by, r.updated_at
    FROM d, jsonb_to_recordset($16::jsonb) AS r(key text, title text, practice text, mandatory boolean,
      kind text, status text, evidence text, updated_by uuid, updated_at timestamptz)
    ON CONFLICT (deliverable_id, key) DO UPDATE SET title = EXCLUDED.title, practice = EXCLUDED.practice,
      mandatory = EXCLUDED.mandatory, kind = EXCLUDED.kind, status = EXCLUDED.status, evidence = EXCLUDED.evidence,
      updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at),
  cancelled AS (
    UPDATE timers SET status = 'cancelled', cancelled_at = $12
    WHERE timers.deliverable_id = $1 AND EXISTS (SELECT 1 FROM d) AND cardinality($17::text[]) > 0
      AND timers.status = 'scheduled' AND timers.kind = ANY($17::text[]) AND timers.id IS DISTINCT FROM $3),
  fired AS (UPDATE timers SET status = 'sent', sent_at = $12 FROM d WHERE timers.id = $3),
  scheduled AS (
    INSERT INTO timers (id, deliverable_id, kind, due_at, status, period, repeat_every, before, subject,
      created_at)
    SELECT t.id, d.id, t.kind, t.due_at, 'scheduled', t.period, t.repeat_every, t.before, t.subject, $12
    FROM d, jsonb_to_recordset($18::jsonb)
      AS t(id uuid, kind text, due_at timestamptz, period integer, repeat_every text, before text,
        subject text))
SELECT d.id, n.notified FROM d, n
