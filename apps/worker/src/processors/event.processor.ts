import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';
import { type DeliverEventPayload, JobName } from '@baton/queues';
import { type JobHandler } from './job-handler.js';

/**
 * Domain events (status changes, extensions, reminders). They are logged as structured lines for now;
 * webhook subscriptions and e-mail deliver them once those exist.
 */
@Injectable()
export class EventProcessor implements JobHandler<JobName.DeliverEvent> {
  readonly jobName = JobName.DeliverEvent;
  private readonly logger = new Logger('Events');

  handle(job: Job<DeliverEventPayload>): Promise<string> {
    const { eventId, type, deliverableId, data } = job.data;
    this.logger.log(JSON.stringify({ eventId, type, deliverableId, data }));
    return Promise.resolve('logged');
  }
}
