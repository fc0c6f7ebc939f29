import { Injectable } from '@nestjs/common';
import { type Job } from 'bullmq';
import { Database } from '@baton/persistence';
import { type DeliverEventPayload, JOB_QUEUE, JobName } from '@baton/queues';
import { type JobHandler } from './job-handler.js';

/**
 * A domain event (status change, reminder, escalation, follow-up, extension): one delivery per webhook
 * subscription that wants it, each with its own job. Running twice for one event adds nothing.
 */
@Injectable()
export class EventProcessor implements JobHandler<JobName.DeliverEvent> {
  readonly jobName = JobName.DeliverEvent;

  constructor(private readonly db: Database) {}

  async handle(job: Job<DeliverEventPayload>): Promise<string> {
    const { eventId, type, occurredAt, deliverableId, data } = job.data;
    // The body is fixed here, once: every attempt sends (and signs) exactly these bytes.
    const body = JSON.stringify({ id: eventId, type, occurredAt, deliverableId, data });
    const count = await this.db.webhooks.fanOut({
      eventId,
      type,
      deliverableId,
      body,
      now: new Date(),
      job: { queue: JOB_QUEUE[JobName.DeliverWebhook], jobName: JobName.DeliverWebhook },
    });
    return `${count} deliveries`;
  }
}
