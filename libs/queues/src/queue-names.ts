/** Every BullMQ queue Baton uses. A job's queue is fixed by its name (JOB_QUEUE). */
export enum QueueName {
  Notifications = 'notifications',
  Probes = 'probes',
  Timers = 'timers',
  Webhooks = 'webhooks',
}

export enum JobName {
  /** A domain event for webhook subscribers and e-mail. */
  DeliverEvent = 'deliver-event',
  /** GET an automated criterion's probeUrl and report the result as a command. */
  ProbeCriterion = 'probe-criterion',
  /** A durable timer came due: run its command. */
  FireTimer = 'fire-timer',
  /** POST one event to one webhook subscription, signed; retried with backoff, then dead-lettered. */
  DeliverWebhook = 'deliver-webhook',
  /** One e-mail notification to one principal (when BATON_SMTP_URL is set). */
  SendEmail = 'send-email',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.DeliverEvent]: QueueName.Notifications,
  [JobName.ProbeCriterion]: QueueName.Probes,
  [JobName.FireTimer]: QueueName.Timers,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.SendEmail]: QueueName.Notifications,
};

export interface DeliverEventPayload {
  eventId: string;
  type: string;
  occurredAt: string;
  /** Null for an event about no deliverable (delegation.created, delegation.revoked). */
  deliverableId: string | null;
  data: Record<string, unknown>;
}

export interface ProbeCriterionPayload {
  deliverableId: string;
  key: string;
  round: number;
  url: string;
  /**
   * When the probe was asked for (a submission, or POST .../probe): a result given after it answers this job.
   * Absent in jobs from before probes could be asked for again: a criterion not pending has answered.
   */
  requestedAt?: string;
}

export interface FireTimerPayload {
  timerId: string;
  deliverableId: string;
  kind: string;
}

export interface DeliverWebhookPayload {
  deliveryId: string;
}

export interface SendEmailPayload {
  eventId: string;
  to: string;
  subject: string;
  text: string;
}

export interface JobPayloads {
  [JobName.DeliverEvent]: DeliverEventPayload;
  [JobName.ProbeCriterion]: ProbeCriterionPayload;
  [JobName.FireTimer]: FireTimerPayload;
  [JobName.DeliverWebhook]: DeliverWebhookPayload;
  [JobName.SendEmail]: SendEmailPayload;
}

export const ALL_JOB_NAMES = Object.values(JobName);
