import { type Principal } from '@baton/access';
import { holdsRole } from '@baton/handover';
import { type EventResponse } from './event.responses.js';

/** What a stream was asked for. */
export interface StreamScope {
  deliverableId?: string;
}

/** Events about a delegation: who lends what to whom is the two principals' (and admins') business. */
const DELEGATION_EVENT = /^delegation\./;

/**
 * Which events a principal's stream carries: the one place that says so. Every authenticated principal may
 * read every deliverable (API.md), so a deliverable's events go to every stream (narrowed by the stream's
 * own `deliverableId`); a delegation's go to its delegator, its delegate and admins only.
 */
export function eventFilter(principal: Principal, scope: StreamScope): (event: EventResponse) => boolean {
  return (event) => {
    if (scope.deliverableId !== undefined && event.deliverableId !== scope.deliverableId) return false;
    if (!DELEGATION_EVENT.test(event.type)) return true;
    return (
      holdsRole(principal.roles, 'admin') ||
      event.data.principalId === principal.id ||
      event.data.delegateId === principal.id
    );
  };
}
