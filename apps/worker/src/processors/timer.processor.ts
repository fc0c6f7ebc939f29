import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';
import { HandoverCommands } from '@baton/commands';
import { HandoverErrorCode, isHandoverError } from '@baton/handover';
import { type FireTimerPayload, JobName } from '@baton/queues';
import { type JobHandler } from './job-handler.js';

const SYSTEM = { principalId: null, roles: [] } as const;

/** A durable timer came due: its command goes through the command path as the system. */
@Injectable()
export class TimerProcessor implements JobHandler<JobName.FireTimer> {
  readonly jobName = JobName.FireTimer;
  private readonly logger = new Logger('Timers');

  constructor(private readonly commands: HandoverCommands) {}

  async handle(job: Job<FireTimerPayload>): Promise<string> {
    const { deliverableId, kind, period } = job.data;
    if (kind !== 'els_period_end' || period === undefined) return `no command for ${kind} timers yet`;
    try {
      await this.commands.execute(deliverableId, { type: 'els_period_elapsed', period }, SYSTEM);
      return 'fired';
    } catch (error) {
      // The deliverable moved on (a later period, rolled back, cancelled, on hold): the timer is stale.
      if (
        isHandoverError(error, HandoverErrorCode.StaleTimer) ||
        isHandoverError(error, HandoverErrorCode.ActionNotAllowed)
      ) {
        this.logger.debug(`Dropped ${kind} timer of ${deliverableId}: ${(error as Error).message}`);
        return 'stale';
      }
      throw error;
    }
  }
}
