import { NOTIFY_EVENTS } from '@baton/handover';

/** A recorded change that moves no status (an attestation, an approval short of quorum, an edit...). */
export const UPDATED_EVENT = 'deliverable.updated';

/** Every event type a webhook can subscribe to and the event stream carries: what the machine announces, and every other recorded change. */
export const EVENT_TYPES = [...NOTIFY_EVENTS, UPDATED_EVENT] as const;
export type EventType = (typeof EVENT_TYPES)[number];
