import { NOTIFY_EVENTS } from '@baton/handover';

/** Every event type a webhook can subscribe to: what the machine announces. */
export const EVENT_TYPES: readonly string[] = NOTIFY_EVENTS;
