// The audit chain checked in the browser, as API.md defines it: each event's hash is the hex SHA-256 of the
// previous hash (empty for the first) followed by the canonical JSON (keys sorted at every level, no spaces)
// of { seq, at, principalId, action, fromStatus, toStatus, data } exactly as served.

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export interface ChainEvent {
  seq: number;
  at: string;
  principalId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data: unknown;
  hash: string;
  prevHash: string | null;
}

export type ChainCheck =
  | { valid: true; events: number; head: string | null }
  | { valid: false; events: number; seq: number; reason: 'seq' | 'prev_hash' | 'hash' };

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function eventHash(prevHash: string | null, event: ChainEvent): Promise<string> {
  const { seq, at, principalId, action, fromStatus, toStatus, data } = event;
  return sha256Hex(
    (prevHash ?? '') + canonicalJson({ seq, at, principalId, action, fromStatus, toStatus, data }),
  );
}

/** Recomputes the chain (oldest first); names the first link that does not hold. */
export async function verifyChain(events: readonly ChainEvent[]): Promise<ChainCheck> {
  let prev: string | null = null;
  for (const [index, event] of events.entries()) {
    if (event.seq !== index + 1)
      return { valid: false, events: events.length, seq: event.seq, reason: 'seq' };
    if (event.prevHash !== prev)
      return { valid: false, events: events.length, seq: event.seq, reason: 'prev_hash' };
    if ((await eventHash(prev, event)) !== event.hash)
      return { valid: false, events: events.length, seq: event.seq, reason: 'hash' };
    prev = event.hash;
  }
  return { valid: true, events: events.length, head: prev };
}

export function describeChain(check: ChainCheck): string {
  if (check.valid) return `Chain verified ✓ ${check.events} event${check.events === 1 ? '' : 's'}`;
  const why = {
    seq: 'an event is missing or out of order',
    prev_hash: 'it does not link to the event before',
    hash: 'its content does not match its hash',
  }[check.reason];
  return `Chain broken at event ${check.seq}: ${why}`;
}
