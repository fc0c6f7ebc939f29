import { outboxInsert, WAKE_RELAY } from './outbox.sql.js';

/**
 * The outbox rows (`rows`, a JSON array parameter) a delegation's change writes with it, as CTEs `o` and `n`
 * to follow the change's own `dl` in one statement: nothing is written when `dl` wrote nothing.
 */
export function delegationOutbox(rows: string, at: string): string {
  return `o AS (${outboxInsert({ rows: `(CASE WHEN EXISTS (SELECT 1 FROM dl) THEN ${rows}::jsonb ELSE '[]'::jsonb END)`, at })}),
  ${WAKE_RELAY}`;
}
