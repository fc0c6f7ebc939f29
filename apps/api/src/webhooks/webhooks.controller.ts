import { randomUUID } from 'node:crypto';
import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '@baton/errors';
import { EVENT_TYPES } from '@baton/commands';
import { type Principal } from '@baton/access';
import { Database, type WebhookDeliveryRow, type WebhookRow } from '@baton/persistence';
import { z } from 'zod';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { oneOf } from '../http/openapi/response-schemas.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { pageRequest, pageResponse } from '../http/validation/paging.js';
import { pageQuery, text } from '../http/validation/schemas.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { ValidBody, ValidQuery } from '../http/validation/zod-validation.js';
import {
  WEBHOOK_DELIVERY_STATUSES,
  webhookDeliveryPageResponse,
  type webhookDeliveryResponse,
  webhookPageResponse,
  webhookResponse,
} from './webhook.responses.js';

const createWebhookSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000),
    events: z
      .array(
        z.enum(['*', ...EVENT_TYPES] as [string, ...string[]], {
          message: `must be "*" or one of ${EVENT_TYPES.join(', ')}`,
        }),
      )
      .min(1, 'must name at least one event type, or "*"')
      .max(50),
    secret: text(16, 200).describe('the HMAC-SHA256 key, at least 16 characters; never served back'),
  })
  .meta({ id: 'CreateWebhookRequest' });
const listSchema = z.strictObject({ ...pageQuery });

const presentWebhook = (row: WebhookRow): z.input<typeof webhookResponse> => ({
  id: row.id,
  url: row.url,
  events: row.events,
  createdAt: row.createdAt.toISOString(),
});

const presentDelivery = (row: WebhookDeliveryRow): z.input<typeof webhookDeliveryResponse> => ({
  id: row.id,
  eventId: row.eventId,
  eventType: row.eventType,
  deliverableId: row.deliverableId,
  status: oneOf(WEBHOOK_DELIVERY_STATUSES, row.status, 'delivery status'),
  attempts: row.attempts,
  lastStatusCode: row.lastStatusCode,
  lastError: row.lastError,
  lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
  requestId: row.requestId,
});

/** Signed webhooks for integrations (chat, ITSM, CI/CD): every status change, reminder and escalation. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('pmo', 'smo', 'admin')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly db: Database) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Subscribe a URL to event types ("*" for all); each POST is signed with the secret',
  })
  @Responds(201, 'The subscription', webhookResponse)
  async create(
    @CurrentPrincipal() by: Principal,
    @ValidBody(createWebhookSchema) body: z.output<typeof createWebhookSchema>,
  ): Promise<z.input<typeof webhookResponse>> {
    const row: WebhookRow = {
      id: randomUUID(),
      url: body.url,
      events: [...new Set(body.events)],
      secret: body.secret,
      createdBy: by.id,
      createdAt: new Date(),
    };
    await this.db.webhooks.insert(row);
    return presentWebhook(row);
  }

  @Get()
  @ApiOperation({ summary: 'Webhook subscriptions, newest first' })
  @Responds(200, 'A page of subscriptions', webhookPageResponse)
  async list(
    @ValidQuery(listSchema) query: z.output<typeof listSchema>,
  ): Promise<z.input<typeof webhookPageResponse>> {
    return pageResponse(await this.db.webhooks.list(pageRequest(query)), presentWebhook);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription' })
  @Responds(200, 'The subscription', webhookResponse)
  async get(@UuidParam() id: string): Promise<z.input<typeof webhookResponse>> {
    const row = await this.db.webhooks.findById(id);
    if (!row) throw AppError.notFound('Webhook', id);
    return presentWebhook(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe; pending deliveries are dropped' })
  @Responds(204, 'Unsubscribed')
  async remove(@UuidParam() id: string): Promise<void> {
    if (!(await this.db.webhooks.delete(id))) throw AppError.notFound('Webhook', id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'Deliveries of a subscription, newest first: attempts, last status and error, dead letters',
  })
  @Responds(200, 'A page of deliveries', webhookDeliveryPageResponse)
  async deliveries(
    @UuidParam() id: string,
    @ValidQuery(listSchema) query: z.output<typeof listSchema>,
  ): Promise<z.input<typeof webhookDeliveryPageResponse>> {
    if (!(await this.db.webhooks.findById(id))) throw AppError.notFound('Webhook', id);
    return pageResponse(await this.db.webhooks.deliveries(id, pageRequest(query)), presentDelivery);
  }
}
