import { type Principal } from '@baton/access';
import { type EventResponse } from './event.responses.js';

/** What a stream was asked for. */
export interface StreamScope {
  deliverableId?: string;
}

/**
 * Which events a principal's stream carries: the one place that says so. Every authenticated principal may
 * read every deliverable (API.md), so today only the stream's own narrowing applies; scoping (delegation,
 * per-service visibility) joins here.
 */
export function eventFilter(_principal: Principal, scope: StreamScope): (event: EventResponse) => boolean {
  return (event) => scope.deliverableId === undefined || event.deliverableId === scope.deliverableId;
}
