import { EVENT_TYPES } from '@baton/commands';
import { type EventRow } from '@baton/persistence';
import { type DeliverEventPayload } from '@baton/queues';
import { oneOf } from '../http/openapi/response-schemas.js';
import { type EventResponse } from './event.responses.js';

/** An event row as webhooks get it: `{ id, type, occurredAt, deliverableId, data }`. */
export function presentEvent(row: EventRow): EventResponse {
  const payload = row.payload as DeliverEventPayload;
  return {
    id: row.id,
    type: oneOf(EVENT_TYPES, payload.type, 'event type'),
    occurredAt: payload.occurredAt,
    deliverableId: payload.deliverableId,
    data: payload.data,
  };
}
