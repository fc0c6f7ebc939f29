import { z } from 'zod';
import { pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';

export const webhookResponse = z
  .object({
    id: uuidOut,
    url: z.string(),
    events: z.array(z.string()).describe('event types, or "*" for all'),
    createdAt: timeOut,
  })
  .meta({ id: 'Webhook', description: 'A subscription; its secret is never served back' });

export const webhookPageResponse = pageOf(webhookResponse, 'WebhookPage');

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;

export const webhookDeliveryResponse = z
  .object({
    id: uuidOut,
    eventId: uuidOut,
    eventType: z.string(),
    deliverableId: uuidOut.nullable(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).describe('dead: every attempt failed (the dead letter)'),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: timeOut.nullable(),
    deliveredAt: timeOut.nullable(),
    createdAt: timeOut,
    requestId: z
      .string()
      .nullable()
      .describe(
        'The request that caused the event (its X-Request-Id, sent with the delivery): the same id is on the api and worker log lines of that work',
      ),
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveryPageResponse = pageOf(webhookDeliveryResponse, 'WebhookDeliveryPage');
