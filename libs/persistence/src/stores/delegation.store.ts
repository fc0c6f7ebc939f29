import { outboxJson, type OutboxAppend } from '../statements/outbox.sql.js';
import { delegationOutbox } from '../statements/delegation.sql.js';
import { type Sql } from '../sql.js';
import { type Page, type PageRequest, toPage } from './pagination.js';

export interface DelegationRow {
  id: string;
  /** The delegator. */
  principalId: string;
  delegateId: string;
  roles: string[];
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** A delegation as lists show it: with the names of the delegator and the delegate. */
export interface NamedDelegationRow extends DelegationRow {
  principalName: string;
  delegateName: string;
}

/** A delegation in force for its delegate: the roles the delegator lends and still holds. */
export interface DelegationInForce {
  id: string;
  principalId: string;
  principalName: string;
  roles: string[];
  endsAt: Date;
}

const DELEGATION = `id, principal_id AS "principalId", delegate_id AS "delegateId", roles, starts_at AS "startsAt",
  ends_at AS "endsAt", reason, created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt",
  revoked_by AS "revokedBy"`;

/** Any number taken at random: delegations are created one at a time, so a cycle check sees every link. */
const DELEGATION_LOCK = 4_217_003_512;

export class DelegationStore {
  constructor(private readonly sql: Sql) {}

  /**
   * Creates a delegation unless `check` throws: `check` is given every delegation not revoked that overlaps
   * its period (the links a cycle could run through), read under a lock no other creation holds, so two
   * creations cannot close a cycle together. The row and its event are written in ONE statement (the event
   * stream needs event rows written by single statements).
   */
  async create(
    row: DelegationRow,
    check: (overlapping: DelegationRow[]) => void,
    events: OutboxAppend[],
  ): Promise<void> {
    await this.sql.session(async (query) => {
      await query('SELECT pg_advisory_lock($1)', [DELEGATION_LOCK]);
      try {
        const overlapping = await query<DelegationRow>(
          `SELECT ${DELEGATION} FROM delegations
           WHERE revoked_at IS NULL AND starts_at < $2 AND ends_at > $1 AND roles && $3::text[]`,
          [row.startsAt, row.endsAt, row.roles],
        );
        check(overlapping);
        await query(
          `WITH dl AS (
             INSERT INTO delegations (id, principal_id, delegate_id, roles, starts_at, ends_at, reason, created_by,
               created_at)
             VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9) RETURNING id),
           ${delegationOutbox('$10', '$9')}
           SELECT dl.id FROM dl, n`,
          [
            row.id,
            row.principalId,
            row.delegateId,
            row.roles,
            row.startsAt,
            row.endsAt,
            row.reason,
            row.createdBy,
            row.createdAt,
            outboxJson(events),
          ],
        );
      } finally {
        await query('SELECT pg_advisory_unlock($1)', [DELEGATION_LOCK]);
      }
    });
  }

  async findById(id: string): Promise<DelegationRow | null> {
    const rows: DelegationRow[] = await this.sql.query(
      `SELECT ${DELEGATION} FROM delegations WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The delegations a principal gave or received, revoked ones too, newest first; with `counterpart`, only
   * those between the two.
   */
  async involving(
    principalId: string,
    page: PageRequest,
    counterpart: string | null = null,
  ): Promise<Page<NamedDelegationRow>> {
    const rows: NamedDelegationRow[] = await this.sql.query(
      `SELECT dl.*, p.name AS "principalName", q.name AS "delegateName"
       FROM (SELECT ${DELEGATION} FROM delegations
         WHERE (principal_id = $1 OR delegate_id = $1)
           AND ($5::uuid IS NULL OR principal_id = $5 OR delegate_id = $5)
           AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
         ORDER BY created_at DESC, id DESC LIMIT $2) dl
       JOIN principals p ON p.id = dl."principalId" JOIN principals q ON q.id = dl."delegateId"
       ORDER BY dl."createdAt" DESC, dl.id DESC`,
      [principalId, page.limit + 1, page.cursor?.createdAt ?? null, page.cursor?.id ?? null, counterpart],
    );
    return toPage(rows, page.limit);
  }

  /**
   * Revokes it at `at`, with its event, in one statement; the row as revoked, or null when it was revoked
   * already (or is gone).
   */
  async revoke(id: string, by: string, at: Date, events: OutboxAppend[]): Promise<DelegationRow | null> {
    const rows: DelegationRow[] = await this.sql.query(
      `WITH dl AS (
         UPDATE delegations SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL
         RETURNING ${DELEGATION}),
       ${delegationOutbox('$4', '$2')}
       SELECT dl.* FROM dl, n`,
      [id, at, by, outboxJson(events)],
    );
    return rows[0] ?? null;
  }

  /**
   * The delegations to `delegateId` in force at `at` (started, not ended, not revoked, from a principal not
   * revoked), each with the roles its delegator still holds; those left with none are left out.
   */
  async inForceFor(delegateId: string, at: Date): Promise<DelegationInForce[]> {
    return this.sql.query(
      `SELECT dl.id, dl.principal_id AS "principalId", p.name AS "principalName", dl.ends_at AS "endsAt",
         ARRAY(SELECT r FROM unnest(dl.roles) AS r WHERE r = ANY(p.roles)) AS roles
       FROM delegations dl JOIN principals p ON p.id = dl.principal_id
       WHERE dl.delegate_id = $1 AND dl.revoked_at IS NULL AND p.revoked_at IS NULL
         AND dl.starts_at <= $2 AND dl.ends_at > $2 AND dl.roles && p.roles
       ORDER BY dl.created_at, dl.id`,
      [delegateId, at],
    );
  }
}
