import { describe, expect, it } from '@jest/globals';
import { APPEND_OUTBOX } from './statements/outbox.sql.js';
import { summaryOf } from './sql.js';

describe('a statement span is named by what the statement does', () => {
  it('names a write by its first write, and a read by its table', () => {
    expect(summaryOf(APPEND_OUTBOX)).toBe('INSERT outbox');
    expect(summaryOf('UPDATE outbox SET done_at = $2 WHERE id = ANY($1::uuid[])')).toBe('UPDATE outbox');
    expect(
      summaryOf('WITH gone AS (DELETE FROM "webhooks" WHERE id = $1 RETURNING id) SELECT id FROM gone'),
    ).toBe('DELETE webhooks');
    expect(summaryOf('SELECT id, queue FROM outbox WHERE published_at IS NULL FOR UPDATE SKIP LOCKED')).toBe(
      'SELECT outbox',
    );
    expect(
      summaryOf(
        'INSERT INTO principals (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
      ),
    ).toBe('INSERT principals');
    expect(summaryOf('SELECT 1 FOR NO KEY UPDATE')).toBe('SELECT');
    expect(summaryOf('BEGIN')).toBe('BEGIN');
  });
});
