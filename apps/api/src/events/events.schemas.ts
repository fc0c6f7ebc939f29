import { z } from 'zod';
import { uuid } from '../http/validation/schemas.js';

export const eventsQuerySchema = z.strictObject({
  deliverableId: uuid.optional().describe('only the events of this deliverable'),
  lastEventId: uuid
    .optional()
    .describe(
      'for tools that cannot send the Last-Event-ID header: the same, the header wins when both are sent',
    ),
});
export type EventsQuery = z.output<typeof eventsQuerySchema>;
