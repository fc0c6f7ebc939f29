import { type Sql } from '../sql.js';
import { type Page, type PageRequest, toPage } from './pagination.js';

export interface DeliverableRow {
  id: string;
  checklistId: string | null;
  awaitingRoles: string[];
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

/** A readiness criterion as its row (a projection of the snapshot). */
export interface CriterionRow {
  key: string;
  title: string;
  practice: string;
  mandatory: boolean;
  kind: string;
  status: string;
  evidence: string | null;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export interface TimerAppend {
  id: string;
  kind: string;
  dueAt: Date;
  period: number | null;
  repeatEvery: string | null;
  before: string | null;
}

/** What a change does to the deliverable's timers, in the same statement. */
export interface TimerChanges {
  schedule: TimerAppend[];
  cancelKinds: string[];
  /** The timer this change fires: the change happens only while that timer is still scheduled. */
  fires: string | null;
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
  awaitingRoles: string[];
  updatedAt: Date;
  audit: AuditAppend;
  outbox: OutboxAppend[];
  criteria: CriterionRow[];
  timers: TimerChanges;
}

export interface DeliverableFilter {
  status?: string[];
  projectId?: string;
  serviceId?: string;
  awaitingRole?: string;
}

const SELECT_COLUMNS = `id, checklist_id, awaiting_roles, project_id, service_id, title, description, change_type,
  target_go_live, status, snapshot, machine_version, version, submitted_by, created_by, audit_seq, audit_hash,
  created_at, updated_at`;

interface RawDeliverable {
  id: string;
  checklist_id: string | null;
  awaiting_roles: string[];
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
    checklistId: raw.checklist_id,
    awaitingRoles: raw.awaiting_roles,
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

/** Positional parameters added in order, so a long statement names its values where it uses them. */
class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value === undefined ? null : value);
    return `$${this.values.length}`;
  }
}

function auditCte(sql: Params, audit: AuditAppend): string {
  return `a AS (
    INSERT INTO audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data, prev_hash, hash)
    SELECT d.id, ${sql.add(audit.seq)}, ${sql.add(audit.at)}, ${sql.add(audit.principalId)}, ${sql.add(audit.action)},
      ${sql.add(audit.fromStatus)}, ${sql.add(audit.toStatus)}, ${sql.add(JSON.stringify(audit.data))},
      ${sql.add(audit.prevHash)}, ${sql.add(audit.hash)} FROM d)`;
}

/** Outbox rows, and a NOTIFY that wakes the relay at commit; nothing when there are none. */
function outboxCte(sql: Params, outbox: OutboxAppend[], at: Date): string | null {
  if (outbox.length === 0) return null;
  const rows = sql.add(
    JSON.stringify(
      outbox.map((row) => ({
        id: row.id,
        queue: row.queue,
        job_name: row.jobName,
        payload: row.payload,
        run_at: row.runAt?.toISOString() ?? null,
      })),
    ),
  );
  return `o AS (
    INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at)
    SELECT r.id, d.id, r.queue, r.job_name, r.payload, r.run_at, ${sql.add(at)}
    FROM d, jsonb_to_recordset(${rows}::jsonb) AS r(id uuid, queue text, job_name text, payload jsonb, run_at timestamptz)),
  n AS (SELECT count(pg_notify('baton_outbox', '')) AS notified FROM d)`;
}

/**
 * `WITH` the head (`d`, the row written) and the other data-modifying CTEs, those with nothing to write left
 * out: PostgreSQL plans and runs every CTE listed, empty or not. The statement returns d's id; it references
 * `n` (the NOTIFY) when there is one, since a SELECT in WITH runs only when referenced.
 */
function oneStatement(head: string, ctes: (string | null)[], notifies: boolean): string {
  const listed = ctes.filter((cte): cte is string => cte !== null);
  return `WITH ${[head, ...listed].join(',\n')}
    SELECT d.id FROM d${notifies ? ', n' : ''}`;
}

function criteriaCte(sql: Params, criteria: CriterionRow[]): string | null {
  if (criteria.length === 0) return null;
  const rows = JSON.stringify(
    criteria.map((row) => ({
      key: row.key,
      title: row.title,
      practice: row.practice,
      mandatory: row.mandatory,
      kind: row.kind,
      status: row.status,
      evidence: row.evidence,
      updated_by: row.updatedBy,
      updated_at: row.updatedAt?.toISOString() ?? null,
    })),
  );
  return `c AS (
    INSERT INTO deliverable_criteria (deliverable_id, key, title, practice, mandatory, kind, status, evidence,
      updated_by, updated_at)
    SELECT d.id, r.key, r.title, r.practice, r.mandatory, r.kind, r.status, r.evidence, r.updated_by, r.updated_at
    FROM d, jsonb_to_recordset(${sql.add(rows)}::jsonb) AS r(key text, title text, practice text, mandatory boolean,
      kind text, status text, evidence text, updated_by uuid, updated_at timestamptz)
    ON CONFLICT (deliverable_id, key) DO UPDATE SET title = EXCLUDED.title, practice = EXCLUDED.practice,
      mandatory = EXCLUDED.mandatory, kind = EXCLUDED.kind, status = EXCLUDED.status, evidence = EXCLUDED.evidence,
      updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at)`;
}

function timersJson(timers: TimerAppend[]): string {
  return JSON.stringify(
    timers.map((timer) => ({
      id: timer.id,
      kind: timer.kind,
      due_at: timer.dueAt.toISOString(),
      period: timer.period,
      repeat_every: timer.repeatEvery,
      before: timer.before,
    })),
  );
}

/**
 * Deliverables, their audit chain, outbox, criteria rows and timers. A change is ONE statement: the
 * versioned UPDATE and every other write are data-modifying CTEs that select from it, so they happen
 * together or (on a version mismatch) not at all, in one round trip.
 */
export class DeliverableStore {
  constructor(private readonly sql: Sql) {}

  async insert(
    row: DeliverableRow,
    audit: AuditAppend,
    outbox: OutboxAppend[],
    criteria: CriterionRow[],
  ): Promise<void> {
    const sql = new Params();
    const head = `d AS (
         INSERT INTO deliverables (id, checklist_id, awaiting_roles, project_id, service_id, title, description,
           change_type, target_go_live, status, snapshot, machine_version, version, submitted_by, created_by,
           audit_seq, audit_hash, created_at, updated_at)
         VALUES (${sql.add(row.id)}, ${sql.add(row.checklistId)}, ${sql.add(row.awaitingRoles)}::text[],
           ${sql.add(row.projectId)}, ${sql.add(row.serviceId)}, ${sql.add(row.title)}, ${sql.add(row.description)},
           ${sql.add(row.changeType)}, ${sql.add(row.targetGoLive)}, ${sql.add(row.status)},
           ${sql.add(JSON.stringify(row.snapshot))}, ${sql.add(row.machineVersion)}, ${sql.add(row.version)},
           ${sql.add(row.submittedBy)}, ${sql.add(row.createdBy)}, ${sql.add(row.auditSeq)}, ${sql.add(row.auditHash)},
           ${sql.add(row.createdAt)}, ${sql.add(row.updatedAt)})
         RETURNING id)`;
    await this.sql.query(
      oneStatement(
        head,
        [auditCte(sql, audit), outboxCte(sql, outbox, audit.at), criteriaCte(sql, criteria)],
        outbox.length > 0,
      ),
      sql.values,
    );
  }

  async findById(id: string): Promise<DeliverableRow | null> {
    const rows: RawDeliverable[] = await this.sql.query(
      `SELECT ${SELECT_COLUMNS} FROM deliverables WHERE id = $1`,
      [id],
    );
    return rows.length === 0 ? null : toRow(rows[0]);
  }

  /** The status and the roles awaited, without the snapshot (what a timer's notice needs). */
  async findStatus(id: string): Promise<Pick<DeliverableRow, 'status' | 'awaitingRoles'> | null> {
    const rows: Pick<DeliverableRow, 'status' | 'awaitingRoles'>[] = await this.sql.query(
      `SELECT status, awaiting_roles AS "awaitingRoles" FROM deliverables WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async list(filter: DeliverableFilter, page: PageRequest): Promise<Page<DeliverableRow>> {
    const sql = new Params();
    const where: string[] = [];
    if (filter.status?.length) where.push(`status = ANY(${sql.add(filter.status)}::text[])`);
    if (filter.projectId) where.push(`project_id = ${sql.add(filter.projectId)}`);
    if (filter.serviceId) where.push(`service_id = ${sql.add(filter.serviceId)}`);
    if (filter.awaitingRole) where.push(`awaiting_roles @> ARRAY[${sql.add(filter.awaitingRole)}]::text[]`);
    if (page.cursor) {
      where.push(`(created_at, id) < (${sql.add(page.cursor.createdAt)}, ${sql.add(page.cursor.id)})`);
    }
    const rows: RawDeliverable[] = await this.sql.query(
      `SELECT ${SELECT_COLUMNS} FROM deliverables
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${sql.add(page.limit + 1)}`,
      sql.values,
    );
    return toPage(rows.map(toRow), page.limit);
  }

  /** False when nothing was written: the version moved on, or the timer this change fires is no longer scheduled. */
  async commit(change: DeliverableChange): Promise<boolean> {
    const { fields, timers } = change;
    const sql = new Params();
    const set = (column: string, value: unknown, cast = ''): string =>
      value === undefined ? '' : `, ${column} = ${sql.add(value)}${cast}`;
    const firesGuard = timers.fires
      ? `AND EXISTS (SELECT 1 FROM timers WHERE id = ${sql.add(timers.fires)} AND status = 'scheduled')`
      : '';
    const head = `d AS (
         UPDATE deliverables SET
           status = ${sql.add(change.status)}, snapshot = ${sql.add(JSON.stringify(change.snapshot))},
           machine_version = ${sql.add(change.machineVersion)}, submitted_by = ${sql.add(change.submittedBy)},
           awaiting_roles = ${sql.add(change.awaitingRoles)}::text[], version = version + 1,
           audit_seq = ${sql.add(change.audit.seq)}, audit_hash = ${sql.add(change.audit.hash)},
           updated_at = ${sql.add(change.updatedAt)}
           ${set('title', fields.title)}${set('description', fields.description)}
           ${set('change_type', fields.changeType)}${set('target_go_live', fields.targetGoLive, '::timestamptz')}
         WHERE id = ${sql.add(change.id)} AND version = ${sql.add(change.expectedVersion)} ${firesGuard}
         RETURNING id)`;
    const cancelled =
      timers.cancelKinds.length === 0
        ? null
        : `cancelled AS (
         UPDATE timers SET status = 'cancelled', cancelled_at = ${sql.add(change.updatedAt)}
         FROM d WHERE timers.deliverable_id = d.id AND timers.status = 'scheduled'
           AND timers.kind = ANY(${sql.add(timers.cancelKinds)}::text[])
           AND timers.id <> ALL(${sql.add(timers.fires ? [timers.fires] : [])}::uuid[]))`;
    const fired = timers.fires
      ? `fired AS (
         UPDATE timers SET status = 'sent', sent_at = ${sql.add(change.updatedAt)}
         FROM d WHERE timers.id = ${sql.add(timers.fires)}::uuid)`
      : null;
    const scheduled =
      timers.schedule.length === 0
        ? null
        : `scheduled AS (
         INSERT INTO timers (id, deliverable_id, kind, due_at, status, period, repeat_every, before, created_at)
         SELECT t.id, d.id, t.kind, t.due_at, 'scheduled', t.period, t.repeat_every, t.before,
           ${sql.add(change.updatedAt)}
         FROM d, jsonb_to_recordset(${sql.add(timersJson(timers.schedule))}::jsonb)
           AS t(id uuid, kind text, due_at timestamptz, period integer, repeat_every text, before text))`;
    const rows: { id: string }[] = await this.sql.query(
      oneStatement(
        head,
        [
          auditCte(sql, change.audit),
          outboxCte(sql, change.outbox, change.audit.at),
          criteriaCte(sql, change.criteria),
          cancelled,
          fired,
          scheduled,
        ],
        change.outbox.length > 0,
      ),
      sql.values,
    );
    return rows.length === 1;
  }
}
