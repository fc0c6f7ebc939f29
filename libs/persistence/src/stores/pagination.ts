/** Keyset pagination over (created_at, id), newest first. The cursor is opaque to clients. */
export interface PageRequest {
  limit: number;
  cursor?: PageCursor;
}

export interface PageCursor {
  createdAt: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  next: PageCursor | null;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

/** Null when the text is not a cursor this server made. */
export function decodeCursor(text: string): PageCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string') return null;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime())) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

/** Fetch limit + 1 rows; the extra one tells whether there is a next page. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: { createdAt: last.createdAt, id: last.id } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An inbox cursor: (SLA due or null, target go-live, id), opaque to clients like the others. */
export function encodeInboxCursor(cursor: {
  slaDueAt: Date | null;
  targetGoLive: Date;
  id: string;
  onBehalfOf: string | null;
}): string {
  return Buffer.from(
    JSON.stringify([
      'inbox',
      cursor.slaDueAt?.toISOString() ?? null,
      cursor.targetGoLive.toISOString(),
      cursor.id,
      ...(cursor.onBehalfOf === null ? [] : [cursor.onBehalfOf]),
    ]),
  ).toString('base64url');
}

/** Null when the text is not an inbox cursor this server made. */
export function decodeInboxCursor(
  text: string,
): { slaDueAt: Date | null; targetGoLive: Date; id: string; onBehalfOf: string | null } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // A fifth member names the delegator of an entry decided for one (cursors without it are for oneself).
    if (!Array.isArray(value) || value.length < 4 || value.length > 5 || value[0] !== 'inbox') return null;
    const [, due, target, id, delegator] = value as unknown[];
    if ((due !== null && typeof due !== 'string') || typeof target !== 'string') return null;
    if (typeof id !== 'string' || !UUID.test(id)) return null;
    if (delegator !== undefined && (typeof delegator !== 'string' || !UUID.test(delegator))) return null;
    const onBehalfOf = typeof delegator === 'string' ? delegator : null;
    const slaDueAt = due === null ? null : new Date(due);
    const targetGoLive = new Date(target);
    if (Number.isNaN(targetGoLive.getTime()) || (slaDueAt && Number.isNaN(slaDueAt.getTime()))) return null;
    return { slaDueAt, targetGoLive, id, onBehalfOf };
  } catch {
    return null;
  }
}

/** A lesson register cursor: (time, deliverable id, audit sequence number), opaque to clients like the others. */
export function encodeLessonCursor(cursor: { at: Date; deliverableId: string; seq: number }): string {
  return Buffer.from(
    JSON.stringify(['lesson', cursor.at.toISOString(), cursor.deliverableId, cursor.seq]),
  ).toString('base64url');
}

/** Null when the text is not a lesson register cursor this server made. */
export function decodeLessonCursor(text: string): { at: Date; deliverableId: string; seq: number } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 4 || value[0] !== 'lesson') return null;
    const [, at, deliverableId, seq] = value as unknown[];
    if (typeof at !== 'string' || typeof deliverableId !== 'string' || !UUID.test(deliverableId)) return null;
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1 || seq > 2_147_483_647) return null;
    const time = new Date(at);
    if (Number.isNaN(time.getTime())) return null;
    return { at: time, deliverableId, seq };
  } catch {
    return null;
  }
}
