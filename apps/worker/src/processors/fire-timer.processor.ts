import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';
import { AppError, AppErrorCode } from '@baton/errors';
import { eventJob, HandoverCommands, NOTICE_EVENT_OF_TIMER, timerJob } from '@baton/commands';
import { Metrics } from '@baton/core';
import { HandoverErrorCode, isHandoverError, parseIsoDuration } from '@baton/handover';
import { Database, type TimerRow } from '@baton/persistence';
import { type FireTimerPayload, JobName } from '@baton/queues';
import { randomUUID } from 'node:crypto';
import { type JobHandler } from './job-handler.js';

const SYSTEM = { principalId: null, roles: [] } as const;

/**
 * A durable timer came due. Its row decides: a timer that is no longer scheduled does nothing, so it fires
 * once however often its job runs. While the deliverable is on hold it stays scheduled and fires on resume.
 */
@Injectable()
export class FireTimerProcessor implements JobHandler<JobName.FireTimer> {
  readonly jobName = JobName.FireTimer;
  private readonly logger = new Logger('Timers');

  constructor(
    private readonly db: Database,
    private readonly commands: HandoverCommands,
    private readonly metrics: Metrics,
  ) {}

  async handle(job: Job<FireTimerPayload>): Promise<string> {
    const timer = await this.db.timers.findById(job.data.timerId);
    if (timer?.status !== 'scheduled') return 'not scheduled';
    const outcome =
      timer.kind === 'els_period_end' ? await this.endPeriod(timer) : await this.sendNotice(timer);
    if (outcome === 'fired' || outcome === 'sent') {
      this.metrics.timerLateness.observe(
        { kind: timer.kind },
        Math.max(0, Date.now() - timer.dueAt.getTime()) / 1000,
      );
    }
    return outcome;
  }

  /** The ELS period ended: the machine decides (els_review, or extension) through the command path. */
  private async endPeriod(timer: TimerRow): Promise<string> {
    try {
      await this.commands.execute(
        timer.deliverableId,
        { type: 'els_period_elapsed', period: timer.period ?? 0 },
        SYSTEM,
        { firesTimer: timer.id },
      );
      return 'fired';
    } catch (error) {
      if (error instanceof AppError && error.code === AppErrorCode.TimerNotScheduled) return 'not scheduled';
      if (isHandoverError(error, HandoverErrorCode.ActionNotAllowed)) {
        const row = await this.db.deliverables.findStatus(timer.deliverableId);
        if (row?.status === 'on_hold') return 'waits for resume';
      }
      if (
        isHandoverError(error, HandoverErrorCode.StaleTimer) ||
        isHandoverError(error, HandoverErrorCode.ActionNotAllowed)
      ) {
        this.logger.debug(`Dropped ${timer.kind} timer ${timer.id}: ${(error as Error).message}`);
        await this.db.timers.drop(timer.id, new Date());
        return 'stale';
      }
      throw error;
    }
  }

  /** Reminders, escalations and follow-ups: an event, and for a repeating timer its next occurrence. */
  private async sendNotice(timer: TimerRow): Promise<string> {
    const now = new Date();
    const type = (NOTICE_EVENT_OF_TIMER as Record<string, string>)[timer.kind] ?? `timer.${timer.kind}`;
    const deliverable = await this.db.deliverables.findStatus(timer.deliverableId);
    const data = {
      kind: timer.kind,
      dueAt: timer.dueAt.toISOString(),
      status: deliverable?.status ?? null,
      ...(timer.before ? { before: timer.before } : {}),
      // Decision reminders name the roles still awaited; the escalation goes to the SMO.
      ...(timer.kind.startsWith('decision_') ? { awaitingRoles: deliverable?.awaitingRoles ?? [] } : {}),
      ...(timer.kind === 'decision_escalation' ? { escalateTo: 'smo' } : {}),
    };
    const next = timer.repeatEvery
      ? {
          id: randomUUID(),
          kind: timer.kind,
          dueAt: new Date(
            Math.max(now.getTime(), timer.dueAt.getTime()) + parseIsoDuration(timer.repeatEvery),
          ),
          period: timer.period,
          repeatEvery: timer.repeatEvery,
          before: timer.before,
        }
      : null;
    const outbox = [
      eventJob(timer.deliverableId, type, data, now),
      ...(next ? [timerJob(timer.deliverableId, next)] : []),
    ];
    if (await this.db.timers.fireNotice({ id: timer.id, now, outbox, next })) return 'sent';
    // Not fired: the deliverable is on hold (it fires on resume), or a follow-up outlived early life support.
    if (timer.repeatEvery && deliverable && !['on_hold', 'early_life_support'].includes(deliverable.status)) {
      await this.db.timers.drop(timer.id, now);
      return 'stale';
    }
    return 'waits or done';
  }
}
