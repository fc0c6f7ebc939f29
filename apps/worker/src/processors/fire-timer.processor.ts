import { Injectable } from '@nestjs/common';
import { type Job } from 'bullmq';
import { HandoverCommands } from '@baton/commands';
import { Metrics } from '@baton/core';
import { type FireTimerPayload, JobName } from '@baton/queues';
import { type JobHandler, type JobOutcomes } from './job-handler.js';

/**
 * A durable timer came due. It reaches the machine as an event through the command path, which says what it
 * does (a notice, the end of an ELS period, nothing while on hold, or that it is stale); this only reports.
 * Its row makes it fire once however often its job runs.
 */
@Injectable()
export class FireTimerProcessor implements JobHandler<JobName.FireTimer> {
  readonly jobName = JobName.FireTimer;

  constructor(
    private readonly commands: HandoverCommands,
    private readonly metrics: Metrics,
  ) {}

  async handle(job: Job<FireTimerPayload>): Promise<JobOutcomes[JobName.FireTimer]> {
    const result = await this.commands.fireTimer(job.data.deliverableId, job.data.timerId);
    if (result.outcome === 'fired') {
      this.metrics.timerLateness.observe(
        { kind: result.kind },
        Math.max(0, Date.now() - result.dueAt.getTime()) / 1000,
      );
    }
    return result.outcome;
  }
}
