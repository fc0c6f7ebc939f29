import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/** How long a queue-board session lasts (the cookie's Max-Age). */
export const SESSION_SECONDS = 3600;
/** Sessions kept at most (admins only make them); the oldest goes first. */
const KEPT = 10_000;

/**
 * Sessions of the queue board (/admin/queues), which a browser opens without an Authorization header: an
 * opaque random id (the cookie) for a principal, until it expires. In this process's memory only: a
 * restart, or another api process, knows none of them (the console asks for a new one). Whoever presents
 * one is checked against Access again on every request, so a revoked principal loses the board at once.
 */
@Injectable()
export class QueueBoardSessions {
  private readonly sessions = new Map<string, { principalId: string; expiresAt: number }>();

  create(principalId: string, now = Date.now()): string {
    const id = randomBytes(32).toString('base64url');
    for (const [key, session] of this.sessions) {
      if (session.expiresAt > now && this.sessions.size < KEPT) break;
      this.sessions.delete(key);
    }
    this.sessions.set(id, { principalId, expiresAt: now + SESSION_SECONDS * 1000 });
    return id;
  }

  /** The principal of a session that has not expired; null for any other id. */
  principalOf(id: string, now = Date.now()): string | null {
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt > now) return session.principalId;
    this.sessions.delete(id);
    return null;
  }
}
