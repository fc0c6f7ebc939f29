SELECT d.id, d.checklist_id, d.awaiting_roles, d.project_id, d.service_id, d.title,
  d.description, d.change_type, d.target_go_live, d.status, d.version, d.submitted_by, d.created_by,
  d.audit_seq, d.audit_hash, d.created_at, d.updated_at, d.machine_version,
    CASE WHEN d.version = $4 THEN NULL ELSE d.snapshot END AS snapshot, s.tier, p.policy AS tier_policy,
    (SELECT row_to_json(t) FROM (
       SELECT id, kind, due_at, status, period, repeat_every, before, subject FROM timers
       WHERE id = $2 AND deliverable_id = d.id) t) AS timer,
    (SELECT coalesce(json_agg(t ORDER BY t.due_at), '[]'::json) FROM (
       SELECT id, kind, due_at FROM timers
       WHERE $3::timestamptz IS NOT NULL AND deliverable_id = $1 AND status = 'scheduled' AND due_at <= $3) t)
      AS due_timers,
    (SELECT coalesce(json_agg(f ORDER BY f.created_at, f.id), '[]'::json) FROM (
       SELECT id, name, starts_at, ends_at, rrule, time_zone, created_at FROM freeze_windows
       WHERE $5::timestamptz IS NOT NULL AND (rrule IS NOT NULL OR ends_at > $5)
         AND ((scope_tiers IS NULL AND scope_service_ids IS NULL)
           OR s.tier = ANY(scope_tiers) OR d.service_id = ANY(scope_service_ids))) f)
      AS freeze_windows,
    (SELECT coalesce(json_agg(g ORDER BY g.created_at, g.id), '[]'::json) FROM (
       SELECT dl.id, dl.created_at, ARRAY(SELECT r FROM unnest(dl.roles) AS r WHERE r = ANY(pr.roles)) AS roles
       FROM delegations dl JOIN principals pr ON pr.id = dl.principal_id
       WHERE $7::uuid IS NOT NULL AND dl.principal_id = $7 AND dl.delegate_id = $6::uuid
         AND dl.revoked_at IS NULL AND pr.revoked_at IS NULL
         AND dl.starts_at <= $8::timestamptz AND dl.ends_at > $8::timestamptz) g)
      AS delegations,
    $7::uuid IS NULL OR EXISTS (SELECT 1 FROM principals WHERE id = $7) AS delegator_known
  FROM deliverables d
  LEFT JOIN services s ON s.id = d.service_id
  LEFT JOIN policies p ON p.tier = s.tier
  WHERE d.id = $1
