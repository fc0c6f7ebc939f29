import { type Sql } from '../sql.js';

/** A deliverable as the calendar feed shows it: its go-live window and the end of its ELS period, if any. */
export interface CalendarEntryRow {
  id: string;
  title: string;
  status: string;
  updatedAt: Date;
  serviceName: string;
  projectKey: string;
  projectName: string;
  /** The scheduled go-live window (the handover context's), when one is set. */
  windowStart: Date | null;
  windowEnd: Date | null;
  /** When the current ELS period ends (its scheduled els_period_end timer), while one runs. */
  elsEndsAt: Date | null;
}

export class CalendarStore {
  constructor(private readonly sql: Sql) {}

  /**
   * Deliverables, not cancelled or rejected, with a go-live window ending after `since` or an ELS period
   * running; of one service and one project when given. Oldest first, at most `limit` of them.
   */
  entries(
    filter: { serviceId?: string; projectId?: string },
    since: Date,
    limit: number,
  ): Promise<CalendarEntryRow[]> {
    return this.sql.query(
      `SELECT d.id, d.title, d.status, d.updated_at AS "updatedAt", s.name AS "serviceName",
              p.key AS "projectKey", p.name AS "projectName",
              w.starts_at AS "windowStart", w.ends_at AS "windowEnd", els.due_at AS "elsEndsAt"
       FROM deliverables d
       JOIN services s ON s.id = d.service_id
       JOIN projects p ON p.id = d.project_id
       LEFT JOIN LATERAL (
         SELECT (d.snapshot->'context'->'window'->>'start')::timestamptz AS starts_at,
                (d.snapshot->'context'->'window'->>'end')::timestamptz AS ends_at
         WHERE jsonb_typeof(d.snapshot->'context'->'window') = 'object') w ON true
       LEFT JOIN LATERAL (
         SELECT min(t.due_at) AS due_at FROM timers t
         WHERE t.deliverable_id = d.id AND t.kind = 'els_period_end' AND t.status = 'scheduled') els ON true
       WHERE d.status NOT IN ('cancelled', 'rejected')
         AND ($1::uuid IS NULL OR d.service_id = $1) AND ($2::uuid IS NULL OR d.project_id = $2)
         AND (w.ends_at > $3 OR els.due_at IS NOT NULL)
       ORDER BY d.created_at, d.id LIMIT $4`,
      [filter.serviceId ?? null, filter.projectId ?? null, since, limit],
    );
  }
}
