import { createHash } from 'node:crypto';

/** JSON with keys sorted at every level and no spaces: the form the audit hash is computed over. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export interface HashedAuditContent {
  seq: number;
  at: string;
  principalId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data: unknown;
}

/** hex SHA-256 of (prevHash ?? '') followed by the canonical JSON of the event as served (API.md). */
export function auditHash(prevHash: string | null, content: HashedAuditContent): string {
  const { seq, at, principalId, action, fromStatus, toStatus, data } = content;
  return createHash('sha256')
    .update(prevHash ?? '')
    .update(canonicalJson({ seq, at, principalId, action, fromStatus, toStatus, data }))
    .digest('hex');
}

export interface ChainBreak {
  seq: number;
  /** seq: out of order or missing; prev_hash: not linked to the one before; hash: content changed; head: the
   * deliverable's recorded head does not match the last event (events cut off at the end). */
  reason: 'prev_hash' | 'hash' | 'seq' | 'head';
}

/** Recomputes a chain (oldest first, `at` as served); null when every link holds, else the first broken one. */
export function verifyChain(
  events: (HashedAuditContent & { prevHash: string | null; hash: string })[],
): ChainBreak | null {
  let prev: string | null = null;
  for (const [index, event] of events.entries()) {
    if (event.seq !== index + 1) return { seq: event.seq, reason: 'seq' };
    if (event.prevHash !== prev) return { seq: event.seq, reason: 'prev_hash' };
    if (auditHash(prev, event) !== event.hash) return { seq: event.seq, reason: 'hash' };
    prev = event.hash;
  }
  return null;
}
