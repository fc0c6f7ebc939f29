import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';
import { HandoverCommands } from '@baton/commands';
import { describeHandover, HandoverErrorCode, isHandoverError } from '@baton/handover';
import { OutboundRefused } from '@baton/outbound';
import { Database } from '@baton/persistence';
import { JobName, type ProbeCriterionPayload } from '@baton/queues';
import { type JobHandler, type JobOutcomes } from './job-handler.js';
import { Outbound } from './outbound.provider.js';

const SYSTEM = { principalId: null, roles: [] } as const;
const PROBE_TIMEOUT_MS = 5000;

/**
 * An automated readiness criterion: GET its probeUrl (2xx passes) and report the result through the
 * command path. Network errors and 5xx are retried with backoff by BullMQ; the last attempt reports a fail.
 */
@Injectable()
export class ProbeCriterionProcessor implements JobHandler<JobName.ProbeCriterion> {
  readonly jobName = JobName.ProbeCriterion;
  private readonly logger = new Logger('Probes');

  constructor(
    private readonly db: Database,
    private readonly commands: HandoverCommands,
    private readonly outbound: Outbound,
  ) {}

  async handle(job: Job<ProbeCriterionPayload>): Promise<JobOutcomes[JobName.ProbeCriterion]> {
    const { deliverableId, key, round, url: target, requestedAt } = job.data;
    // A job that ran before (a worker killed after reporting, a relay that published twice) finds the
    // criterion reported for this round and does nothing: one result per probe.
    const row = await this.db.deliverables.findById(deliverableId);
    if (!row) return 'deliverable gone';
    const view = describeHandover({ snapshot: row.snapshot, machineVersion: row.machineVersion });
    if (view.round !== round) return 'stale';
    const criterion = view.criteria.find((candidate) => candidate.key === key);
    // Reported since the probe was asked for (a submission resets the criterion with that very time).
    const reported =
      requestedAt === undefined
        ? criterion?.status !== 'pending'
        : criterion?.updatedAt != null && Date.parse(criterion.updatedAt) > Date.parse(requestedAt);
    if (criterion === undefined || reported) return 'already reported';
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let passed: boolean;
    let detail: string;
    try {
      const response = await this.outbound.fetch(target, {
        method: 'GET',
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      await response.body?.cancel();
      passed = response.status >= 200 && response.status < 300;
      detail = `GET ${response.url} answered ${response.status}`;
      if (!passed && response.status >= 500 && !lastAttempt) throw new Error(detail);
    } catch (error) {
      if (!(error instanceof OutboundRefused) && !lastAttempt) throw error;
      passed = false;
      detail =
        error instanceof OutboundRefused
          ? `refused: ${error.message}`
          : `probe failed: ${(error as Error).message}`;
    }
    return this.report(deliverableId, key, round, passed, detail);
  }

  private async report(
    deliverableId: string,
    key: string,
    round: number,
    passed: boolean,
    detail: string,
  ): Promise<JobOutcomes[JobName.ProbeCriterion]> {
    try {
      await this.commands.execute(deliverableId, { type: 'result', key, passed, detail, round }, SYSTEM);
      return passed ? 'passed' : 'failed';
    } catch (error) {
      if (
        isHandoverError(error, HandoverErrorCode.StaleResult) ||
        isHandoverError(error, HandoverErrorCode.ActionNotAllowed)
      ) {
        this.logger.debug(`Dropped probe result for ${deliverableId}/${key}: ${(error as Error).message}`);
        return 'stale';
      }
      throw error;
    }
  }
}
