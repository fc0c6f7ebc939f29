import { type Sql } from '../sql.js';
import { type Page, type PageRequest, toPage } from './pagination.js';

export interface ChecklistRow {
  id: string;
  name: string;
  version: number;
  changeTypes: string[];
  tiers: number[];
  criteria: unknown;
  createdBy: string | null;
  createdAt: Date;
}

const COLUMNS = `id, name, version, change_types AS "changeTypes", tiers, criteria, created_by AS "createdBy",
  created_at AS "createdAt"`;

const UNIQUE_VIOLATION = '23505';

export class ChecklistStore {
  constructor(private readonly sql: Sql) {}

  /** Inserts the next version of `name` (1 for a new name); concurrent posts of one name each get their own. */
  async insertNextVersion(row: Omit<ChecklistRow, 'version'>): Promise<ChecklistRow> {
    for (let attempt = 1; ; attempt++) {
      try {
        const rows: ChecklistRow[] = await this.sql.query(
          `INSERT INTO checklist_templates (id, name, version, change_types, tiers, criteria, created_by, created_at)
           SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3::text[], $4::smallint[], $5, $6, $7
           FROM checklist_templates WHERE name = $2
           RETURNING ${COLUMNS}`,
          [
            row.id,
            row.name,
            row.changeTypes,
            row.tiers,
            JSON.stringify(row.criteria),
            row.createdBy,
            row.createdAt,
          ],
        );
        return rows[0];
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 5) throw error;
      }
    }
  }

  async findById(id: string): Promise<ChecklistRow | null> {
    const rows: ChecklistRow[] = await this.sql.query(
      `SELECT ${COLUMNS} FROM checklist_templates WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The newest template for this change type and tier, if any. */
  async newestMatching(changeType: string, tier: number): Promise<ChecklistRow | null> {
    const rows: ChecklistRow[] = await this.sql.query(
      `SELECT ${COLUMNS} FROM checklist_templates
       WHERE change_types @> ARRAY[$1]::text[] AND tiers @> ARRAY[$2]::smallint[]
       ORDER BY created_at DESC, version DESC LIMIT 1`,
      [changeType, tier],
    );
    return rows[0] ?? null;
  }

  async list(page: PageRequest, name?: string): Promise<Page<ChecklistRow>> {
    const params: unknown[] = [page.limit + 1];
    const where: string[] = [];
    if (name !== undefined) {
      params.push(name);
      where.push(`name = $${params.length}`);
    }
    if (page.cursor) {
      params.push(page.cursor.createdAt, page.cursor.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    const rows: ChecklistRow[] = await this.sql.query(
      `SELECT ${COLUMNS} FROM checklist_templates ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $1`,
      params,
    );
    return toPage(rows, page.limit);
  }
}
