import { type Sql } from '../sql.js';
import { type Page, type PageRequest, toPage } from './pagination.js';

export interface FreezeWindowRow {
  id: string;
  name: string;
  reason: string | null;
  startsAt: Date;
  endsAt: Date;
  rrule: string | null;
  timeZone: string;
  scopeTiers: number[] | null;
  scopeServiceIds: string[] | null;
  createdBy: string | null;
  createdAt: Date;
}

const FREEZE_WINDOW = `id, name, reason, starts_at AS "startsAt", ends_at AS "endsAt", rrule, time_zone AS "timeZone",
  scope_tiers AS "scopeTiers", scope_service_ids AS "scopeServiceIds", created_by AS "createdBy",
  created_at AS "createdAt"`;

/** The tiers come back from PostgreSQL as smallint[]: numbers already, as node-postgres parses int2 arrays. */
export class FreezeWindowStore {
  constructor(private readonly sql: Sql) {}

  async insert(row: FreezeWindowRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO freeze_windows (id, name, reason, starts_at, ends_at, rrule, time_zone, scope_tiers,
         scope_service_ids, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::smallint[], $9::uuid[], $10, $11)`,
      [
        row.id,
        row.name,
        row.reason,
        row.startsAt,
        row.endsAt,
        row.rrule,
        row.timeZone,
        row.scopeTiers,
        row.scopeServiceIds,
        row.createdBy,
        row.createdAt,
      ],
    );
  }

  async findById(id: string): Promise<FreezeWindowRow | null> {
    const rows: FreezeWindowRow[] = await this.sql.query(
      `SELECT ${FREEZE_WINDOW} FROM freeze_windows WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Windows whose occurrences may reach `from` or later: one-off windows ending after it, and every
   * recurring one (whether a recurrence still has occurrences is the calendar's to say, not SQL's).
   */
  async mayOccurFrom(from: Date, page: PageRequest): Promise<Page<FreezeWindowRow>> {
    const rows: FreezeWindowRow[] = await this.sql.query(
      `SELECT ${FREEZE_WINDOW} FROM freeze_windows
       WHERE (rrule IS NOT NULL OR ends_at > $1)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [from, page.limit + 1, page.cursor?.createdAt ?? null, page.cursor?.id ?? null],
    );
    return toPage(rows, page.limit);
  }

  /** Every window that may reach `from` and applies to the service (by its tier or id, or to every service). */
  applyingTo(service: { id: string; tier: number }, from: Date): Promise<FreezeWindowRow[]> {
    return this.sql.query(
      `SELECT ${FREEZE_WINDOW} FROM freeze_windows
       WHERE (rrule IS NOT NULL OR ends_at > $1)
         AND ((scope_tiers IS NULL AND scope_service_ids IS NULL)
           OR $2::smallint = ANY(scope_tiers) OR $3::uuid = ANY(scope_service_ids))
       ORDER BY created_at, id`,
      [from, service.tier, service.id],
    );
  }

  /** True when this call deleted it. */
  async delete(id: string): Promise<boolean> {
    const rows: { id: string }[] = await this.sql.query(
      `WITH gone AS (DELETE FROM freeze_windows WHERE id = $1 RETURNING id) SELECT id FROM gone`,
      [id],
    );
    return rows.length > 0;
  }
}
