import { Module } from '@nestjs/common';
import { EmailProcessor } from './processors/email.processor.js';
import { EventProcessor } from './processors/event.processor.js';
import { JOB_HANDLERS, type JobHandler } from './processors/job-handler.js';
import { Outbound } from './processors/outbound.provider.js';
import { ProbeProcessor } from './processors/probe.processor.js';
import { TimerProcessor } from './processors/timer.processor.js';
import { WebhookProcessor } from './processors/webhook.processor.js';
import { WorkerHost } from './processors/worker-host.js';
import { Housekeeping } from './relay/housekeeping.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import { Reconciler } from './relay/reconciler.js';

const processors = [EventProcessor, ProbeProcessor, TimerProcessor, WebhookProcessor, EmailProcessor];

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
