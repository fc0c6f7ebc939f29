import { z } from 'zod';
import { EVENT_TYPES } from '@baton/commands';
import { timeOut, uuidOut } from '../http/openapi/response-schemas.js';

export const eventResponse = z
  .object({
    id: uuidOut.describe("the event's id: the stream's `id:` and a webhook's X-Baton-Event-Id"),
    type: z.enum(EVENT_TYPES).describe("the event's type: the stream's `event:`"),
    occurredAt: timeOut,
    deliverableId: uuidOut
      .nullable()
      .describe(
        'the deliverable it is about; null for an event about none (delegation.created, delegation.revoked)',
      ),
    data: z
      .record(z.string(), z.unknown())
      .describe(
        'what happened: for deliverable.status_changed the statuses from and to, for reminders the due time',
      ),
  })
  .meta({
    id: 'Event',
    description:
      'An event as webhooks receive it (the POST body) and GET /v1/events streams it (each `data:`)',
  });
export type EventResponse = z.input<typeof eventResponse>;

export const EVENT_FRAMES =
  'Server-sent events (text/event-stream, UTF-8). The first frame is `retry: 2000` and, when the request ' +
  'named no Last-Event-ID, `id:` the last event committed before the stream opened (a position to resume ' +
  'from; it dispatches no event). Then one frame per event, in the order the events committed: `id:` the ' +
  "event's id, `event:` its type, `data:` the Event (JSON, one line), a blank line. A comment line " +
  '`: keep-alive` every 15 s. The stream ends when the token is revoked or Baton stops; reconnect with ' +
  'Last-Event-ID (EventSource does so itself) to get what followed, nothing twice.';
