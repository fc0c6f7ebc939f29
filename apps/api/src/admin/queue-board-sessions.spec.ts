import { describe, expect, it } from '@jest/globals';
import { QueueBoardSessions, SESSION_SECONDS } from './queue-board-sessions.js';

describe('QueueBoardSessions', () => {
  it('gives an opaque id for a principal until it expires, and nothing for any other id', () => {
    const sessions = new QueueBoardSessions();
    const id = sessions.create('p1', 0);
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(sessions.create('p1', 0)).not.toBe(id);
    expect(sessions.principalOf(id, SESSION_SECONDS * 1000 - 1)).toBe('p1');
    expect(sessions.principalOf(id, SESSION_SECONDS * 1000)).toBeNull();
    expect(sessions.principalOf(id, 0)).toBeNull(); // forgotten once expired
    expect(sessions.principalOf('made-up', 0)).toBeNull();
  });
});
