import { Inject, Injectable } from '@nestjs/common';
import { type Job } from 'bullmq';
import { notificationFor } from '@baton/commands';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { Database } from '@baton/persistence';
import { type DeliverEventPayload, JOB_QUEUE, JobName, Queues } from '@baton/queues';
import { type JobHandler } from './job-handler.js';

/**
 * A domain event (status change, reminder, escalation, follow-up, extension): one delivery per webhook
 * subscription that wants it, each with its own job, and with BATON_SMTP_URL one e-mail per principal
 * concerned. Running twice for one event adds nothing.
 */
@Injectable()
export class EventProcessor implements JobHandler<JobName.DeliverEvent> {
  readonly jobName = JobName.DeliverEvent;

  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

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
    const emails = this.config.smtp ? await this.queueEmails(job.data) : 0;
    return `${count} deliveries, ${emails} e-mails`;
  }

  /** One e-mail job per recipient; the job id names the event and the principal, so a rerun adds none. */
  private async queueEmails(event: DeliverEventPayload): Promise<number> {
    const deliverable = await this.db.deliverables.findById(event.deliverableId);
    if (!deliverable) return 0;
    const notification = notificationFor(event.type, event.data, deliverable);
    if (!notification) return 0;
    const recipients = await this.db.principals.recipients(notification.audience);
    if (recipients.length === 0) return 0;
    await this.queues.get(JOB_QUEUE[JobName.SendEmail]).addBulk(
      recipients.map((recipient) => ({
        name: JobName.SendEmail,
        data: {
          eventId: event.eventId,
          to: recipient.email,
          subject: notification.subject,
          text: notification.text,
        },
        opts: { ...this.queues.jobOptions(JobName.SendEmail), jobId: `${event.eventId}.${recipient.id}` },
      })),
    );
    return recipients.length;
  }
}
