import { type Sql } from '../sql.js';

export interface IdempotencyRecord {
  principalId: string;
  key: string;
  method: string;
  path: string;
  bodyHash: string;
  status: 'in_progress' | 'done';
  responseStatus: number | null;
  responseBody: unknown;
  responseHeaders: Record<string, string> | null;
}

const COLUMNS = `principal_id AS "principalId", key, method, path, body_hash AS "bodyHash", status,
  response_status AS "responseStatus", response_body AS "responseBody", response_headers AS "responseHeaders"`;

export class IdempotencyStore {
  constructor(private readonly sql: Sql) {}

  /**
   * Claims the key for a request, for `leaseMs`: true when this request is the first, or the earlier answer
   * expired, or the earlier request's lease ran out (it died without answering); false when another request
   * holds the key or answered it (read it with find). A claim is named by its time, `now`, which complete and
   * release are given back: a request whose lease ran out and was taken over cannot overwrite the new claim.
   */
  async claim(record: {
    principalId: string;
    key: string;
    method: string;
    path: string;
    bodyHash: string;
    now: Date;
    leaseMs: number;
  }): Promise<boolean> {
    const rows: { key: string }[] = await this.sql.query(
      `WITH expired AS (
         DELETE FROM idempotency_keys WHERE principal_id = $1 AND key = $2 AND expires_at < $6)
       INSERT INTO idempotency_keys (principal_id, key, method, path, body_hash, status, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $7)
       ON CONFLICT (principal_id, key) DO NOTHING RETURNING key`,
      [
        record.principalId,
        record.key,
        record.method,
        record.path,
        record.bodyHash,
        record.now,
        new Date(record.now.getTime() + record.leaseMs),
      ],
    );
    return rows.length === 1;
  }

  async find(principalId: string, key: string): Promise<IdempotencyRecord | null> {
    const rows: IdempotencyRecord[] = await this.sql.query(
      `SELECT ${COLUMNS} FROM idempotency_keys WHERE principal_id = $1 AND key = $2`,
      [principalId, key],
    );
    return rows[0] ?? null;
  }

  /** Keeps the answer of the claim made at `claimedAt` for `ttlMs` from then. */
  async complete(
    claim: { principalId: string; key: string; claimedAt: Date },
    response: { status: number; body: unknown; headers: Record<string, string> },
    ttlMs: number,
  ): Promise<void> {
    await this.sql.query(
      `UPDATE idempotency_keys SET status = 'done', response_status = $4, response_body = $5, response_headers = $6,
         expires_at = $7
       WHERE principal_id = $1 AND key = $2 AND created_at = $3 AND status = 'in_progress'`,
      [
        claim.principalId,
        claim.key,
        claim.claimedAt,
        response.status,
        JSON.stringify(response.body ?? null),
        JSON.stringify(response.headers),
        new Date(claim.claimedAt.getTime() + ttlMs),
      ],
    );
  }

  /** Forgets a claim whose request failed for reasons of the server's (5xx): the client may try again. */
  async release(claim: { principalId: string; key: string; claimedAt: Date }): Promise<void> {
    await this.sql.query(
      `DELETE FROM idempotency_keys
       WHERE principal_id = $1 AND key = $2 AND created_at = $3 AND status = 'in_progress'`,
      [claim.principalId, claim.key, claim.claimedAt],
    );
  }

  /** Removes expired keys; returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const rows: { key: string }[] = await this.sql.query(
      `WITH gone AS (DELETE FROM idempotency_keys WHERE expires_at < $1 RETURNING key) SELECT key FROM gone`,
      [now],
    );
    return rows.length;
  }
}
