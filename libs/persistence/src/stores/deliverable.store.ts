import { type DataSource } from 'typeorm';
import { type Page, type PageRequest, toPage } from './pagination.js';

export interface DeliverableRow {
  id: string;
  projectId: string;
  serviceId: string;
  title: string;
  description: string | null;
  changeType: string;
  targetGoLive: Date;
  status: string;
  snapshot: unknown;
  machineVersion: number;
  version: number;
  submittedBy: string | null;
  createdBy: string | null;
  auditSeq: number;
  auditHash: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuditAppend {
  seq: number;
  at: Date;
  principalId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data: object;
  prevHash: string | null;
  hash: string;
}

export interface OutboxAppend {
  id: string;
  queue: string;
  jobName: string;
  payload: object;
  runAt: Date | null;
}

/** The columns a command may change besides the handover state. */
export interface DeliverableFields {
  title?: string;
  description?: string | null;
  changeType?: string;
  targetGoLive?: Date;
}

export interface DeliverableChange {
  id: string;
  expectedVersion: number;
  status: string;
  snapshot: object;
  machineVersion: number;
  submittedBy: string | null;
  fields: DeliverableFields;
  updatedAt: Date;
  audit: AuditAppend;
  outbox: OutboxAppend[];
}

export interface DeliverableFilter {
  status?: string[];
  projectId?: string;
  serviceId?: string;
}

const SELECT_COLUMNS = `id, project_id, service_id, title, description, change_type, target_go_live, status, snapshot,
  machine_version, version, submitted_by, created_by, audit_seq, audit_hash, created_at, updated_at`;

interface RawDeliverable {
  id: string;
  project_id: string;
  service_id: string;
  title: string;
  description: string | null;
  change_type: string;
  target_go_live: Date;
  status: string;
  snapshot: unknown;
  machine_version: number;
  version: number;
  submitted_by: string | null;
  created_by: string | null;
  audit_seq: number;
  audit_hash: string;
  created_at: Date;
  updated_at: Date;
}

function toRow(raw: RawDeliverable): DeliverableRow {
  return {
    id: raw.id,
    projectId: raw.project_id,
    serviceId: raw.service_id,
    title: raw.title,
    description: raw.description,
    changeType: raw.change_type,
    targetGoLive: raw.target_go_live,
    status: raw.status,
    snapshot: raw.snapshot,
    machineVersion: raw.machine_version,
    version: raw.version,
    submittedBy: raw.submitted_by,
    createdBy: raw.created_by,
    auditSeq: raw.audit_seq,
    auditHash: raw.audit_hash,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
}

/** The outbox rows as one jsonb parameter, expanded with jsonb_to_recordset inside the statement. */
function outboxJson(outbox: OutboxAppend[]): string {
  return JSON.stringify(
    outbox.map((row) => ({
      id: row.id,
      queue: row.queue,
      job_name: row.jobName,
      payload: row.payload,
      run_at: row.runAt?.toISOString() ?? null,
    })),
  );
}

/**
 * Deliverables, their audit chain and their outbox. A change is ONE statement: the versioned UPDATE, the
 * audit INSERT and the outbox INSERTs are data-modifying CTEs that select from the UPDATE, so they happen
 * together or (on a version mismatch) not at all, in one round trip.
 */
export class DeliverableStore {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: DeliverableRow, audit: AuditAppend, outbox: OutboxAppend[]): Promise<void> {
    await this.dataSource.query(
      `WITH d AS (
         INSERT INTO deliverables (id, project_id, service_id, title, description, change_type, target_go_live,
           status, snapshot, machine_version, version, submitted_by, created_by, audit_seq, audit_hash,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id),
       a AS (
         INSERT INTO audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data,
           prev_hash, hash)
         SELECT d.id, $18, $19, $20, $21, $22, $23, $24, $25, $26 FROM d),
       o AS (
         INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at)
         SELECT r.id, d.id, r.queue, r.job_name, r.payload, r.run_at, $19
         FROM d, jsonb_to_recordset($27::jsonb)
           AS r(id uuid, queue text, job_name text, payload jsonb, run_at timestamptz))
       SELECT pg_notify('baton_outbox', '') FROM d WHERE jsonb_array_length($27::jsonb) > 0`,
      [
        row.id,
        row.projectId,
        row.serviceId,
        row.title,
        row.description,
        row.changeType,
        row.targetGoLive,
        row.status,
        JSON.stringify(row.snapshot),
        row.machineVersion,
        row.version,
        row.submittedBy,
        row.createdBy,
        row.auditSeq,
        row.auditHash,
        row.createdAt,
        row.updatedAt,
        audit.seq,
        audit.at,
        audit.principalId,
        audit.action,
        audit.fromStatus,
        audit.toStatus,
        JSON.stringify(audit.data),
        audit.prevHash,
        audit.hash,
        outboxJson(outbox),
      ],
    );
  }

  async findById(id: string): Promise<DeliverableRow | null> {
    const rows: RawDeliverable[] = await this.dataSource.query(
      `SELECT ${SELECT_COLUMNS} FROM deliverables WHERE id = $1`,
      [id],
    );
    return rows.length === 0 ? null : toRow(rows[0]);
  }

  async list(filter: DeliverableFilter, page: PageRequest): Promise<Page<DeliverableRow>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status?.length) where.push(`status = ANY(${bind(filter.status)}::text[])`);
    if (filter.projectId) where.push(`project_id = ${bind(filter.projectId)}`);
    if (filter.serviceId) where.push(`service_id = ${bind(filter.serviceId)}`);
    if (page.cursor) {
      where.push(`(created_at, id) < (${bind(page.cursor.createdAt)}, ${bind(page.cursor.id)})`);
    }
    const rows: RawDeliverable[] = await this.dataSource.query(
      `SELECT ${SELECT_COLUMNS} FROM deliverables
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return toPage(rows.map(toRow), page.limit);
  }

  /** False when the row's version is no longer `expectedVersion` (nothing was written). */
  async commit(change: DeliverableChange): Promise<boolean> {
    const { audit, fields } = change;
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH d AS (
         UPDATE deliverables SET
           status = $3, snapshot = $4, machine_version = $5, submitted_by = $6, version = version + 1,
           audit_seq = $7, audit_hash = $8, updated_at = $9,
           title = CASE WHEN $10::boolean THEN $11 ELSE title END,
           description = CASE WHEN $12::boolean THEN $13 ELSE description END,
           change_type = CASE WHEN $14::boolean THEN $15 ELSE change_type END,
           target_go_live = CASE WHEN $16::boolean THEN $17::timestamptz ELSE target_go_live END
         WHERE id = $1 AND version = $2
         RETURNING id),
       a AS (
         INSERT INTO audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data,
           prev_hash, hash)
         SELECT d.id, $7, $18, $19, $20, $21, $22, $23, $24, $8 FROM d),
       o AS (
         INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at)
         SELECT r.id, d.id, r.queue, r.job_name, r.payload, r.run_at, $18
         FROM d, jsonb_to_recordset($25::jsonb)
           AS r(id uuid, queue text, job_name text, payload jsonb, run_at timestamptz))
       SELECT d.id, CASE WHEN jsonb_array_length($25::jsonb) > 0 THEN pg_notify('baton_outbox', '') END
       FROM d`,
      [
        change.id,
        change.expectedVersion,
        change.status,
        JSON.stringify(change.snapshot),
        change.machineVersion,
        change.submittedBy,
        audit.seq,
        audit.hash,
        change.updatedAt,
        fields.title !== undefined,
        fields.title ?? null,
        fields.description !== undefined,
        fields.description ?? null,
        fields.changeType !== undefined,
        fields.changeType ?? null,
        fields.targetGoLive !== undefined,
        fields.targetGoLive ?? null,
        audit.at,
        audit.principalId,
        audit.action,
        audit.fromStatus,
        audit.toStatus,
        JSON.stringify(audit.data),
        audit.prevHash,
        outboxJson(change.outbox),
      ],
    );
    return rows.length === 1;
  }
}
