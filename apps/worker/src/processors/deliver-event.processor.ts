import { Inject, Injectable } from '@nestjs/common';
import { type Job } from 'bullmq';
import { emailJob, notificationFor } from '@baton/commands';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { Database } from '@baton/persistence';
import { type DeliverEventPayload, JOB_QUEUE, JobName } from '@baton/queues';
import { type JobHandler, type JobOutcomes } from './job-handler.js';

/**
 * A domain event (status change, reminder, escalation, follow-up, extension): one delivery per webhook
 * subscription that wants it, each with its own job, and with BATON_SMTP_URL one e-mail per principal
 * concerned. Running twice for one event adds nothing.
 */
@Injectable()
export class DeliverEventProcessor implements JobHandler<JobName.DeliverEvent> {
  readonly jobName = JobName.DeliverEvent;

  constructor(
    private readonly db: Database,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  async handle(job: Job<DeliverEventPayload>): Promise<JobOutcomes[JobName.DeliverEvent]> {
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
    const emails = this.config.smtp ? await this.queueEmails(job.data) : 0;
    return count + emails > 0 ? 'fanned out' : 'no recipients';
  }

  /**
   * One e-mail job per recipient, written to the outbox (so a Redis that loses it is given it again); the
   * job id names the event and the principal, so a rerun adds none.
   */
  private async queueEmails(event: DeliverEventPayload): Promise<number> {
    // Only a deliverable's events are mailed; a delegation's are for webhooks and the live stream.
    if (event.deliverableId === null) return 0;
    const deliverable = await this.db.deliverables.findById(event.deliverableId);
    if (!deliverable) return 0;
    const notification = notificationFor(event.type, event.data, deliverable);
    if (!notification) return 0;
    const recipients = await this.db.principals.recipients(notification.audience);
    await this.db.outbox.append(
      recipients.map((recipient) =>
        emailJob({ eventId: event.eventId, deliverableId: deliverable.id }, recipient, notification),
      ),
      new Date(),
    );
    return recipients.length;
  }
}
