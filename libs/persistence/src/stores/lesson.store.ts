import { type Sql } from '../sql.js';

/** A lesson learned, as the audit log recorded it (action record_lesson), with where it was learned. */
export interface LessonRow {
  deliverableId: string;
  seq: number;
  at: Date;
  recordedBy: string | null;
  text: string;
  deliverableTitle: string;
  deliverableStatus: string;
  serviceId: string;
  serviceName: string;
  projectId: string;
  projectKey: string;
  projectName: string;
}

/** Where a page of the register ends: the last lesson's time, deliverable and audit sequence number. */
export interface LessonCursor {
  at: Date;
  deliverableId: string;
  seq: number;
}

export interface LessonSearch {
  serviceId?: string;
  projectId?: string;
  /** Words to find: full-text (English stems) or, for part of a word, a substring in any case. */
  text?: string;
  limit: number;
  after?: LessonCursor;
}

/** ILIKE's wildcards and its escape character, taken literally. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (found) => `\\${found}`);

/**
 * The continual improvement register: every lesson recorded on any deliverable, newest first. A lesson is
 * an audit event (record_lesson), written once with the command that recorded it; the register reads the
 * append-only log through a partial index, so it needs no copy of its own to keep in step.
 */
export class LessonStore {
  constructor(private readonly sql: Sql) {}

  async search(search: LessonSearch): Promise<{ items: LessonRow[]; next: LessonCursor | null }> {
    const rows: LessonRow[] = await this.sql.query(
      `SELECT a.deliverable_id AS "deliverableId", a.seq, a.at, a.principal_id AS "recordedBy",
         a.data->>'text' AS text, d.title AS "deliverableTitle", d.status AS "deliverableStatus",
         d.service_id AS "serviceId", s.name AS "serviceName", d.project_id AS "projectId",
         p.key AS "projectKey", p.name AS "projectName"
       FROM audit_events a
       JOIN deliverables d ON d.id = a.deliverable_id
       JOIN services s ON s.id = d.service_id
       JOIN projects p ON p.id = d.project_id
       WHERE a.action = 'record_lesson'
         AND ($1::uuid IS NULL OR d.service_id = $1)
         AND ($2::uuid IS NULL OR d.project_id = $2)
         AND ($3::text IS NULL
           OR to_tsvector('english', a.data->>'text') @@ websearch_to_tsquery('english', $3)
           OR a.data->>'text' ILIKE '%' || $4 || '%')
         AND ($5::timestamptz IS NULL OR (a.at, a.deliverable_id, a.seq) < ($5, $6::uuid, $7::integer))
       ORDER BY a.at DESC, a.deliverable_id DESC, a.seq DESC
       LIMIT $8`,
      [
        search.serviceId ?? null,
        search.projectId ?? null,
        search.text ?? null,
        search.text === undefined ? null : likeLiteral(search.text),
        search.after?.at ?? null,
        search.after?.deliverableId ?? null,
        search.after?.seq ?? null,
        search.limit + 1,
      ],
    );
    if (rows.length <= search.limit) return { items: rows, next: null };
    const items = rows.slice(0, search.limit);
    const last = items[items.length - 1];
    return { items, next: { at: last.at, deliverableId: last.deliverableId, seq: last.seq } };
  }
}
