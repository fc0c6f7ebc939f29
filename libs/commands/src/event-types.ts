import { NOTIFY_EVENTS } from '@baton/handover';

/** A recorded change that moves no status (an attestation, an approval short of quorum, an edit...). */
export const UPDATED_EVENT = 'deliverable.updated';

/** A delegation was created or revoked: events about no deliverable (their `deliverableId` is null). */
export const DELEGATION_CREATED_EVENT = 'delegation.created';
export const DELEGATION_REVOKED_EVENT = 'delegation.revoked';

/** Every event type a webhook can subscribe to and the event stream carries: what the machine announces, and every other recorded change. */
export const EVENT_TYPES = [
  ...NOTIFY_EVENTS,
  UPDATED_EVENT,
  DELEGATION_CREATED_EVENT,
  DELEGATION_REVOKED_EVENT,
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
