import { outboxInsert, WAKE_RELAY } from './outbox.sql.js';

// The statements of a deliverable's life, each one fixed text: what they write depends on their parameters,
// never on how the text is put together. The golden files in libs/persistence/sql/ show them for review,
// and a test fails when they drift.

/** A deliverable's columns but its handover state: what a read needs when it knows that state already. */
export const HEAD_COLUMNS = `d.id, d.checklist_id, d.awaiting_roles, d.project_id, d.service_id, d.title,
  d.description, d.change_type, d.target_go_live, d.status, d.version, d.submitted_by, d.created_by,
  d.audit_seq, d.audit_hash, d.created_at, d.updated_at`;

export const DELIVERABLE_COLUMNS = `${HEAD_COLUMNS}, d.snapshot, d.machine_version`;

/** Audit events: `$rows` a JSON array (one event, or none when the change is not recorded). */
function auditInsert(rows: string): string {
  return `INSERT INTO audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data,
      prev_hash, hash)
    SELECT d.id, r.seq, r.at, r.principal_id, r.action, r.from_status, r.to_status, r.data, r.prev_hash, r.hash
    FROM d, jsonb_to_recordset(${rows}::jsonb) AS r(seq integer, at timestamptz, principal_id uuid, action text,
      from_status text, to_status text, data jsonb, prev_hash text, hash text)`;
}

/** The readiness criteria rows (a projection of the snapshot): those given are written. */
function criteriaUpsert(rows: string): string {
  return `INSERT INTO deliverable_criteria (deliverable_id, key, title, practice, mandatory, kind, status, evidence,
      updated_by, updated_at)
    SELECT d.id, r.key, r.title, r.practice, r.mandatory, r.kind, r.status, r.evidence, r.updated_by, r.updated_at
    FROM d, jsonb_to_recordset(${rows}::jsonb) AS r(key text, title text, practice text, mandatory boolean,
      kind text, status text, evidence text, updated_by uuid, updated_at timestamptz)
    ON CONFLICT (deliverable_id, key) DO UPDATE SET title = EXCLUDED.title, practice = EXCLUDED.practice,
      mandatory = EXCLUDED.mandatory, kind = EXCLUDED.kind, status = EXCLUDED.status, evidence = EXCLUDED.evidence,
      updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`;
}

/** The outbox rows of the deliverable `d`, and the NOTIFY that wakes the relay when one needs relaying. */
function outbox(rows: string, at: string): string {
  return `o AS (${outboxInsert({ rows, at, ofDeliverable: true })}),
  ${WAKE_RELAY}`;
}

/**
 * A new deliverable: its row, the `create` audit event, its criteria rows and outbox rows.
 * $1..$19 the row's columns, $20 audit rows, $21 criteria rows, $22 outbox rows.
 */
export const INSERT_DELIVERABLE = `WITH d AS (
    INSERT INTO deliverables (id, checklist_id, awaiting_roles, project_id, service_id, title, description,
      change_type, target_go_live, status, snapshot, machine_version, version, submitted_by, created_by,
      audit_seq, audit_hash, created_at, updated_at)
    VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
    RETURNING id),
  a AS (${auditInsert('$20')}),
  c AS (${criteriaUpsert('$21')}),
  ${outbox('$22', '$18')}
SELECT d.id, n.notified FROM d, n`;

/**
 * What a command needs, in one round trip: the row, its snapshot unless it is at version $4 (the one the
 * caller holds restored already); the policy of its service's tier (null: the built-in default); the timer
 * it fires ($2), if any; when $3 is set (a resume), the timers due by then; and when $5 is set (a go-live
 * schedule), the change freezes of its service that may occur from then on; when $7 is set (a decision on
 * behalf of $7 by $6), whether $7 names a principal and the delegations from $7 to $6 in force at $8, each
 * with the roles $7 still holds.
 */
export const LOAD_DELIVERABLE = `SELECT ${HEAD_COLUMNS}, d.machine_version,
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
  WHERE d.id = $1`;

/**
 * A command's change, ONE statement: the versioned UPDATE (`d`), then every other write selects from it, so
 * all happen or (the version moved, or the timer it fires is no longer scheduled) none. The deliverable's
 * timers are found by its id ($1), not through `d`: a generic plan would otherwise scan every scheduled timer.
 *  $1 id, $2 expected version, $3 the timer it fires (or null), $4 recorded: a new version and an audit event
 *  (false for a timer's notice, which changes nothing), $5 status, $6 snapshot (null: unchanged),
 *  $7 machine version, $8 submitted by, $9 awaiting roles, $10 audit seq, $11 audit hash, $12 the command's
 *  time, $13 edited columns (a JSON object of those given), $14 audit rows, $15 outbox rows,
 *  $16 criteria rows, $17 timer kinds to cancel, $18 timers to schedule.
 */
export const SAVE_DELIVERABLE = `WITH d AS (
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
  a AS (${auditInsert('$14')}),
  ${outbox('$15', '$12')},
  c AS (${criteriaUpsert('$16')}),
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
SELECT d.id, n.notified FROM d, n`;
