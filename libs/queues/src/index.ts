export {
  ALL_JOB_NAMES,
  JOB_QUEUE,
  JobName,
  QueueName,
  type DeliverEventPayload,
  type DeliverWebhookPayload,
  type FireTimerPayload,
  type JobPayloads,
  type ProbeCriterionPayload,
  type SendEmailPayload,
} from './queue-names.js';
export { JOB_OPTIONS } from './job-options.js';
export { causeOf, type JobCause, Queues, type QueueConnection, type QueuesOptions } from './queues.js';
export { publishRows, type PublishableRow } from './publish.js';
