import { type Sql } from '../sql.js';
import { type AuditEventRow } from './audit.store.js';
import { type FreezeWindowRow } from './freeze-window.store.js';
import { type TimerRow } from './timer.store.js';
import {
  DELIVERABLE_COLUMNS,
  HEAD_COLUMNS,
  INSERT_DELIVERABLE,
  LOAD_DELIVERABLE,
  SAVE_DELIVERABLE,
} from '../statements/deliverable.sql.js';
import { type OutboxAppend, outboxJson } from '../statements/outbox.sql.js';

export type { OutboxAppend } from '../statements/outbox.sql.js';
import { type Page, type PageRequest, toPage } from './pagination.js';

/** A deliverable without its handover state (the snapshot and its machine version). */
export type DeliverableHead = Omit<DeliverableRow, 'snapshot' | 'machineVersion'>;

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

/** An audit event to append: the row as it is read back, with its data a JSON object. */
export type AuditAppend = Omit<AuditEventRow, 'data'> & { data: object };

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
  subject: string | null;
}

/** The columns a command may change besides the handover state. */
export interface DeliverableFields {
  title?: string;
  description?: string | null;
  changeType?: string;
  targetGoLive?: Date;
}

/** A command's change of a deliverable, written by one statement (SAVE_DELIVERABLE). */
export interface DeliverableChange {
  id: string;
  expectedVersion: number;
  /** The timer this change fires: it is written only while that timer is still scheduled, and marks it sent. */
  fires: string | null;
  status: string;
  /** Null when the handover state did not change (a notice timer fired). */
  snapshot: object | null;
  machineVersion: number;
  submittedBy: string | null;
  fields: DeliverableFields;
  awaitingRoles: string[];
  updatedAt: Date;
  /** The audit event; null for a change that is not recorded (no new version, no event). */
  audit: AuditAppend | null;
  /** The chain head after the change (the current one when nothing is recorded). */
  auditSeq: number;
  auditHash: string;
  outbox: OutboxAppend[];
  criteria: CriterionRow[];
  cancelTimerKinds: string[];
  scheduleTimers: TimerAppend[];
}

/** A timer as a command reads it with its deliverable. */
export type LoadedTimer = Pick<
  TimerRow,
  'id' | 'kind' | 'dueAt' | 'status' | 'period' | 'repeatEvery' | 'before' | 'subject'
>;

/** What a command needs of a deliverable, read in one round trip (LOAD_DELIVERABLE). */
export interface LoadedDeliverable {
  /** Its snapshot is null at the version the caller said it holds. */
  row: DeliverableRow;
  /** The service's tier and its stored policy (null: none stored, the built-in default governs). */
  tier: number | null;
  tierPolicy: unknown;
  /** The timer asked for, when it belongs to this deliverable. */
  timer: LoadedTimer | null;
  /** The scheduled timers due by the time asked for (a resume fires them). */
  dueTimers: Pick<LoadedTimer, 'id' | 'kind' | 'dueAt'>[];
  /** The change freezes of its service that may occur from the time asked for (a go-live schedule reads them). */
  freezeWindows: Pick<FreezeWindowRow, 'id' | 'name' | 'startsAt' | 'endsAt' | 'rrule' | 'timeZone'>[];
  /**
   * For a decision on behalf of a delegator: its delegations to the deciding principal in force now, each with
   * the roles the delegator still holds (none in force: empty).
   */
  delegations: { id: string; roles: string[] }[];
  /** False when a decision's delegator names no principal (true when there is none). */
  delegatorKnown: boolean;
}

/** Which deliverables wait for this principal's decision (see DeliverableStore.inbox). */
export interface InboxQuery {
  principalId: string;
  /** Its roles: a deliverable is in its inbox when one of them may decide at the gate. */
  roles: readonly string[];
  /** The gate each status waits at, and the member of the stored context that counts the gate's rounds. */
  gates: readonly { status: string; gate: string; roundOf: string }[];
  /** The timer kind whose due time is the decision SLA. */
  slaTimerKind: string;
  /** Now: the delegations to the principal in force then add what it may decide for their delegators. */
  at: Date;
}

/** A deliverable in an inbox: its row and the due time of its decision (null: no SLA timer). */
export interface InboxEntry {
  row: DeliverableHead;
  slaDueAt: Date | null;
  /** The delegator it waits for the principal to decide for; null: for itself. */
  onBehalfOf: string | null;
}

/** Inbox pages go by (SLA due, target go-live, id, delegator): no SLA sorts last, own decisions first. */
export interface InboxCursor {
  slaDueAt: Date | null;
  targetGoLive: Date;
  id: string;
  onBehalfOf: string | null;
}

export interface DeliverableFilter {
  status?: string[];
  projectId?: string;
  serviceId?: string;
  awaitingRole?: string;
}

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

function toHead(raw: Omit<RawDeliverable, 'snapshot' | 'machine_version'>): DeliverableHead {
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
    version: raw.version,
    submittedBy: raw.submitted_by,
    createdBy: raw.created_by,
    auditSeq: raw.audit_seq,
    auditHash: raw.audit_hash,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
}

function toRow(raw: RawDeliverable): DeliverableRow {
  return { ...toHead(raw), snapshot: raw.snapshot, machineVersion: raw.machine_version };
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
      subject: timer.subject,
    })),
  );
}

/**
 * Deliverables, their audit chain, outbox, criteria rows and timers. A change is ONE fixed statement
 * (statements/deliverable.sql.ts): the versioned UPDATE and every other write are data-modifying CTEs that
 * select from it, so they happen together or (on a version mismatch) not at all, in one round trip.
 */
export class DeliverableStore {
  constructor(private readonly sql: Sql) {}

  async insert(
    row: DeliverableRow,
    audit: AuditAppend,
    outbox: OutboxAppend[],
    criteria: CriterionRow[],
  ): Promise<void> {
    await this.sql.query(INSERT_DELIVERABLE, [
      row.id,
      row.checklistId,
      row.awaitingRoles,
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
      auditJson(audit),
      criteriaJson(criteria),
      outboxJson(outbox),
    ]);
  }

  /** The row and what a command on it needs (see LoadedDeliverable), or null when there is no such row. */
  async load(
    id: string,
    needs: {
      timerId?: string | null;
      dueBy?: Date | null;
      /** The version the caller holds restored: at that version the snapshot is not read (it comes back null). */
      heldVersion?: number | null;
      /** For a go-live schedule: the change freezes of its service that may occur from then on. */
      freezesFrom?: Date | null;
      /** For a decision on behalf of a delegator: the delegations from it to the delegate in force at `at`. */
      delegation?: { delegateId: string; delegatorId: string; at: Date } | null;
    } = {},
  ): Promise<LoadedDeliverable | null> {
    const rows: (RawDeliverable & RawLoaded)[] = await this.sql.query(LOAD_DELIVERABLE, [
      id,
      needs.timerId ?? null,
      needs.dueBy ?? null,
      needs.heldVersion ?? null,
      needs.freezesFrom ?? null,
      needs.delegation?.delegateId ?? null,
      needs.delegation?.delegatorId ?? null,
      needs.delegation?.at ?? null,
    ]);
    const raw = rows[0];
    if (!raw) return null;
    return {
      row: toRow(raw),
      tier: raw.tier,
      tierPolicy: raw.tier_policy,
      timer: raw.timer === null ? null : toTimer(raw.timer),
      dueTimers: raw.due_timers.map((timer) => ({
        id: timer.id,
        kind: timer.kind,
        dueAt: new Date(timer.due_at),
      })),
      freezeWindows: raw.freeze_windows.map((window) => ({
        id: window.id,
        name: window.name,
        startsAt: new Date(window.starts_at),
        endsAt: new Date(window.ends_at),
        rrule: window.rrule,
        timeZone: window.time_zone,
      })),
      delegations: raw.delegations.map(({ id, roles }) => ({ id, roles })),
      delegatorKnown: raw.delegator_known,
    };
  }

  async findById(id: string): Promise<DeliverableRow | null> {
    const rows: RawDeliverable[] = await this.sql.query(
      `SELECT ${DELIVERABLE_COLUMNS} FROM deliverables d WHERE d.id = $1`,
      [id],
    );
    return rows.length === 0 ? null : toRow(rows[0]);
  }

  /** Whole rows, by id (in no particular order); ids that name nothing are left out. */
  async findByIds(ids: readonly string[]): Promise<DeliverableRow[]> {
    const rows: RawDeliverable[] = await this.sql.query(
      `SELECT ${DELIVERABLE_COLUMNS} FROM deliverables d WHERE d.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toRow);
  }

  /**
   * Deliverables that still note a conflict with this freeze window (their snapshot's context lists it), in
   * any status: the command path asks each to take it back, and the machine says where that applies.
   */
  async notingConflictsOf(freezeWindowId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.sql.query(
      `SELECT id FROM deliverables
       WHERE snapshot->'context'->'conflicts' @> jsonb_build_array(jsonb_build_object('freezeWindowId', $1::text))`,
      [freezeWindowId],
    );
    return rows.map(({ id }) => id);
  }

  /** The row without its handover state: a read that has the state of this version already needs no more. */
  async findHead(id: string): Promise<DeliverableHead | null> {
    const rows: RawDeliverable[] = await this.sql.query(
      `SELECT ${HEAD_COLUMNS} FROM deliverables d WHERE d.id = $1`,
      [id],
    );
    return rows.length === 0 ? null : toHead(rows[0]);
  }

  /**
   * A page of deliverables, newest first, without their handover state (findByIds reads it for those whose
   * version is not known already). Only the filters given are in the text, so each gets its index.
   */
  async list(filter: DeliverableFilter, page: PageRequest): Promise<Page<DeliverableHead>> {
    const values: unknown[] = [];
    const param = (value: unknown): string => `$${values.push(value)}`;
    const where: string[] = [];
    if (filter.status?.length) where.push(`d.status = ANY(${param(filter.status)}::text[])`);
    if (filter.projectId) where.push(`d.project_id = ${param(filter.projectId)}`);
    if (filter.serviceId) where.push(`d.service_id = ${param(filter.serviceId)}`);
    if (filter.awaitingRole) where.push(`d.awaiting_roles @> ARRAY[${param(filter.awaitingRole)}]::text[]`);
    if (page.cursor) {
      where.push(`(d.created_at, d.id) < (${param(page.cursor.createdAt)}, ${param(page.cursor.id)})`);
    }
    const rows: RawDeliverable[] = await this.sql.query(
      `SELECT ${HEAD_COLUMNS} FROM deliverables d
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.created_at DESC, d.id DESC LIMIT ${param(page.limit + 1)}`,
      values,
    );
    return toPage(rows.map(toHead), page.limit);
  }

  /**
   * The approver's inbox, most urgent first, in ONE statement: deliverables in a status that waits at a gate
   * (`gates`), where one of `roles` may decide (the row's awaiting roles: the gate's roles of the round's
   * policy; GIN-indexed), that the principal never submitted and has not decided on in the gate's current
   * round (both read from the stored handover context: `submitters`, `decisions`), ordered by the due time
   * of the decision SLA timer (the newest not cancelled), the target go-live, then the id.
   */
  async inbox(query: InboxQuery, limit: number, after?: InboxCursor): Promise<InboxEntry[]> {
    const rows: (RawDeliverable & { sla_due_at: Date | null; on_behalf_of: string | null })[] =
      await this.sql.query(
        `WITH who AS (
           SELECT $11::uuid AS as_id, $5::text[] AS roles, NULL::uuid AS on_behalf_of
           UNION ALL
           SELECT dl.principal_id, array_agg(DISTINCT r), dl.principal_id
           FROM delegations dl JOIN principals p ON p.id = dl.principal_id, unnest(dl.roles) AS r
           WHERE dl.delegate_id = $11 AND dl.revoked_at IS NULL AND p.revoked_at IS NULL
             AND dl.starts_at <= $12 AND dl.ends_at > $12 AND r = ANY(p.roles)
           GROUP BY dl.principal_id)
         SELECT ${HEAD_COLUMNS}, sla.due_at AS sla_due_at, w.on_behalf_of
         FROM deliverables d
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS g(status, gate, round_of) ON g.status = d.status
         JOIN who w ON d.awaiting_roles && w.roles
         LEFT JOIN LATERAL (
           SELECT max(t.due_at) AS due_at FROM timers t
           WHERE t.deliverable_id = d.id AND t.kind = $4 AND t.status <> 'cancelled') sla ON true
         WHERE NOT coalesce(d.snapshot->'context'->'submitters', '[]'::jsonb) ? $6
           AND NOT coalesce(d.snapshot->'context'->'submitters', '[]'::jsonb) ? w.as_id::text
           AND NOT EXISTS (
             SELECT 1 FROM jsonb_array_elements(d.snapshot->'context'->'decisions') AS x(decision)
             WHERE coalesce(x.decision->>'onBehalfOf', x.decision->>'principalId') = w.as_id::text
               AND x.decision->>'gate' = g.gate
               AND x.decision->'round' = d.snapshot->'context'->g.round_of)
           AND ($8::timestamptz IS NULL OR (coalesce(sla.due_at, 'infinity'::timestamptz), d.target_go_live, d.id,
               coalesce(w.on_behalf_of::text, ''))
             > (coalesce($7::timestamptz, 'infinity'::timestamptz), $8::timestamptz, $9::uuid, coalesce($13::text, '')))
         ORDER BY coalesce(sla.due_at, 'infinity'::timestamptz), d.target_go_live, d.id,
           coalesce(w.on_behalf_of::text, '')
         LIMIT $10`,
        [
          query.gates.map((gate) => gate.status),
          query.gates.map((gate) => gate.gate),
          query.gates.map((gate) => gate.roundOf),
          query.slaTimerKind,
          query.roles,
          query.principalId,
          after?.slaDueAt ?? null,
          after?.targetGoLive ?? null,
          after?.id ?? null,
          limit,
          query.principalId,
          query.at,
          after?.onBehalfOf ?? null,
        ],
      );
    return rows.map((raw) => ({ row: toHead(raw), slaDueAt: raw.sla_due_at, onBehalfOf: raw.on_behalf_of }));
  }

  /** False when nothing was written: the version moved on, or the timer this change fires is no longer scheduled. */
  async save(change: DeliverableChange): Promise<boolean> {
    const rows: { id: string }[] = await this.sql.query(SAVE_DELIVERABLE, [
      change.id,
      change.expectedVersion,
      change.fires,
      change.audit !== null,
      change.status,
      change.snapshot === null ? null : JSON.stringify(change.snapshot),
      change.machineVersion,
      change.submittedBy,
      change.awaitingRoles,
      change.auditSeq,
      change.auditHash,
      change.updatedAt,
      JSON.stringify(fieldsJson(change.fields)),
      change.audit === null ? '[]' : auditJson(change.audit),
      outboxJson(change.outbox),
      criteriaJson(change.criteria),
      change.cancelTimerKinds,
      timersJson(change.scheduleTimers),
    ]);
    return rows.length === 1;
  }
}

interface RawLoaded {
  tier: number | null;
  tier_policy: unknown;
  timer: {
    id: string;
    kind: string;
    due_at: string;
    status: string;
    period: number | null;
    repeat_every: string | null;
    before: string | null;
    subject: string | null;
  } | null;
  due_timers: { id: string; kind: string; due_at: string }[];
  freeze_windows: {
    id: string;
    name: string;
    starts_at: string;
    ends_at: string;
    rrule: string | null;
    time_zone: string;
  }[];
  delegations: { id: string; roles: string[] }[];
  delegator_known: boolean;
}

function toTimer(raw: NonNullable<RawLoaded['timer']>): LoadedTimer {
  return {
    id: raw.id,
    kind: raw.kind,
    dueAt: new Date(raw.due_at),
    status: raw.status,
    period: raw.period,
    repeatEvery: raw.repeat_every,
    before: raw.before,
    subject: raw.subject,
  };
}

function auditJson(audit: AuditAppend): string {
  return JSON.stringify([
    {
      seq: audit.seq,
      at: audit.at.toISOString(),
      principal_id: audit.principalId,
      action: audit.action,
      from_status: audit.fromStatus,
      to_status: audit.toStatus,
      data: audit.data,
      prev_hash: audit.prevHash,
      hash: audit.hash,
    },
  ]);
}

function criteriaJson(criteria: readonly CriterionRow[]): string {
  return JSON.stringify(
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
}

/** The edited columns given, by their API names (absent ones are left as they are). */
function fieldsJson(fields: DeliverableFields): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  if (fields.title !== undefined) given.title = fields.title;
  if (fields.description !== undefined) given.description = fields.description;
  if (fields.changeType !== undefined) given.changeType = fields.changeType;
  if (fields.targetGoLive !== undefined) given.targetGoLive = fields.targetGoLive.toISOString();
  return given;
}
