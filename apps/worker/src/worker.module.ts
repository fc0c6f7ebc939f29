import { Module } from '@nestjs/common';
import { SendEmailProcessor } from './processors/send-email.processor.js';
import { DeliverEventProcessor } from './processors/deliver-event.processor.js';
import { JOB_HANDLERS, type JobHandler } from './processors/job-handler.js';
import { Outbound } from './processors/outbound.provider.js';
import { ProbeCriterionProcessor } from './processors/probe-criterion.processor.js';
import { FireTimerProcessor } from './processors/fire-timer.processor.js';
import { DeliverWebhookProcessor } from './processors/deliver-webhook.processor.js';
import { WorkerHost } from './processors/worker-host.js';
import { Housekeeping } from './relay/housekeeping.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import { Reconciler } from './relay/reconciler.js';

const processors = [
  DeliverEventProcessor,
  ProbeCriterionProcessor,
  FireTimerProcessor,
  DeliverWebhookProcessor,
  SendEmailProcessor,
];

const providers = [
  Outbound,
  ...processors,
  {
    provide: JOB_HANDLERS,
    useFactory: (...handlers: JobHandler[]) => handlers,
    inject: processors,
  },
  WorkerHost,
  OutboxRelay,
  Reconciler,
  Housekeeping,
];

/** BullMQ processors and the outbox relay; no HTTP. Needs CoreModule from whoever composes it. */
@Module({ providers })
export class WorkerModule {}
