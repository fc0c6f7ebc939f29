import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { OutboundRefused } from '@baton/outbound';
import { Database } from '@baton/persistence';
import { type DeliverWebhookPayload, JobName } from '@baton/queues';
import { type JobHandler, type JobOutcomes } from './job-handler.js';
import { Outbound } from './outbound.provider.js';

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs one event to one subscription: the stored body, signed with the subscription's secret
 * (X-Baton-Signature), with X-Baton-Event-Id, and X-Request-Id: the request that caused the event. A 2xx
 * delivers; anything else is retried with exponential backoff by BullMQ, and after the last attempt the
 * delivery is dead-lettered. At least once: a receiver
 * may see an event again and should use X-Baton-Event-Id to drop repeats.
 */
@Injectable()
export class DeliverWebhookProcessor implements JobHandler<JobName.DeliverWebhook> {
  readonly jobName = JobName.DeliverWebhook;

  constructor(
    private readonly db: Database,
    private readonly outbound: Outbound,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  async handle(job: Job<DeliverWebhookPayload>): Promise<JobOutcomes[JobName.DeliverWebhook]> {
    const delivery = await this.db.webhooks.findDelivery(job.data.deliveryId);
    if (!delivery) return 'subscription deleted';
    if (delivery.status !== 'pending')
      return delivery.status === 'delivered' ? 'already delivered' : 'already dead';
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let statusCode: number | null = null;
    let error: string;
    try {
      const response = await this.outbound.fetch(delivery.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Baton-Webhooks/1',
          'x-baton-signature': signature(delivery.secret, delivery.body),
          'x-baton-event-id': delivery.eventId,
          'x-baton-event-type': delivery.eventType,
          'x-baton-delivery-id': delivery.id,
          ...(delivery.requestId ? { 'x-request-id': delivery.requestId } : {}),
        },
        body: delivery.body,
      });
      await response.body?.cancel();
      statusCode = response.status;
      if (response.ok) {
        await this.db.webhooks.recordAttempt(delivery.id, {
          outcome: 'delivered',
          statusCode,
          error: null,
          at: new Date(),
        });
        return 'delivered';
      }
      error = `answered ${response.status}`;
    } catch (caught) {
      error =
        caught instanceof OutboundRefused
          ? `refused: ${caught.message}`
          : `failed: ${(caught as Error).message}`;
      if (caught instanceof OutboundRefused) {
        await this.db.webhooks.recordAttempt(delivery.id, {
          outcome: 'dead',
          statusCode,
          error,
          at: new Date(),
        });
        throw new UnrecoverableError(error);
      }
    }
    await this.db.webhooks.recordAttempt(delivery.id, {
      outcome: last ? 'dead' : 'pending',
      statusCode,
      error,
      at: new Date(),
    });
    throw new Error(`Webhook delivery ${delivery.id}: ${error}`);
  }
}
