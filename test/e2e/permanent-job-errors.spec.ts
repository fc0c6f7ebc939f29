// A job that meets stored data no retry can cure (a snapshot that does not restore, or one of a machine
// version this code cannot read) fails once, for good: the worker host turns the error into BullMQ's
// UnrecoverableError, logs it as an error and counts it. Any other error is retried as before.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type Job } from 'bullmq';
import { Metrics } from '@baton/core';
import { MACHINE_VERSION, restoreHandover } from '@baton/handover';
import { type Database } from '@baton/persistence';
import { ALL_JOB_NAMES, JOB_QUEUE, JobName, Queues } from '@baton/queues';
import { configureQueueBackend, type QueueBackend, queueConnection } from '@baton/runtime';
import { type JobHandler, WorkerHost } from '@baton/worker';
import { hasRedis } from '../support/baton-process.js';
import { waitFor } from '../support/handover-flow.js';
import { scratchDatabase } from '../support/scratch-database.js';

type Mode = 'unknown-version' | 'invalid-snapshot' | 'transient';

/** What the probe handler meets, by the job's data: the domain's own restore of a bad row, or a lost connection. */
function meet(mode: Mode): never {
  switch (mode) {
    case 'unknown-version':
      restoreHandover({ snapshot: {}, machineVersion: MACHINE_VERSION + 1 });
      break;
    case 'invalid-snapshot':
      restoreHandover({
        snapshot: { value: 'nowhere', context: {} },
        machineVersion: MACHINE_VERSION,
      });
      break;
    case 'transient':
      throw new Error('connection reset');
  }
  throw new Error(`restoreHandover accepted the ${mode} row`);
}

const handlers = ALL_JOB_NAMES.map(
  (jobName) =>
    ({
      jobName,
      handle: (job: Job<{ mode: Mode }>) => Promise.resolve().then(() => meet(job.data.mode)),
    }) as unknown as JobHandler,
);

describe('permanent job errors', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
  let queues: Queues;
  let host: WorkerHost;
  let metrics: Metrics;
  const logged: { level: string; message: string }[] = [];

  beforeAll(async () => {
    let backend: QueueBackend;
    if (hasRedis()) {
      backend = { backend: 'redis', url: process.env.BATON_TEST_REDIS_URL!, origin: 'env' };
    } else {
      scratch = await scratchDatabase();
      backend = { backend: 'postgres', databaseUrl: scratch.url };
    }
    await configureQueueBackend(backend);
    queues = new Queues(queueConnection(backend), `baton_permanent_${randomBytes(4).toString('hex')}`);
    metrics = new Metrics();
    const record =
      (level: string) =>
      (message: unknown): void => {
        logged.push({ level, message: String(message) });
      };
    const logger: LoggerService = {
      log: record('log'),
      error: record('error'),
      warn: record('warn'),
      debug: record('debug'),
      verbose: record('verbose'),
    };
    Logger.overrideLogger(logger);
    // No job here finishes, so the host never marks one done in the database.
    host = new WorkerHost(queues, metrics, {} as Database, handlers, new PinoLogger({}));
    host.onApplicationBootstrap();
  });

  afterAll(async () => {
    await host?.onApplicationShutdown();
    for (const name of queues?.names() ?? []) await queues.get(name).obliterate({ force: true });
    await queues?.close();
    Logger.overrideLogger(false);
    await scratch?.drop();
  });

  /** Adds a probe job that may run 10 times, and waits until it has failed for good. */
  async function failed(mode: Mode, attempts = 10): Promise<Job> {
    const queue = queues.get(JOB_QUEUE[JobName.ProbeCriterion]);
    const job = await queue.add(
      JobName.ProbeCriterion,
      { mode },
      { attempts, backoff: { type: 'fixed', delay: 20 } },
    );
    await waitFor(
      () => job.getState(),
      (state) => state === 'failed',
      `the ${mode} job to fail`,
      20_000,
      20,
    );
    return (await queue.getJob(job.id!))!;
  }

  async function counted(outcome: string): Promise<number> {
    const { values } = await metrics.jobs.get();
    return (
      values.find((value) => value.labels.job === JobName.ProbeCriterion && value.labels.outcome === outcome)
        ?.value ?? 0
    );
  }

  it('fails a job meeting a snapshot of an unknown machine version once, logged and counted', async () => {
    const job = await failed('unknown-version');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('HANDOVER.SNAPSHOT_VERSION_UNKNOWN');
    expect(await counted('unrecoverable')).toBe(1);
    expect(await counted('error')).toBe(0);
    expect(logged).toContainEqual({
      level: 'error',
      message: expect.stringMatching(
        new RegExp(`${job.id} failed for good, not retried: .*SNAPSHOT_VERSION_UNKNOWN`),
      ),
    });
  });

  it('fails a job meeting a snapshot that does not restore once', async () => {
    const job = await failed('invalid-snapshot');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('HANDOVER.SNAPSHOT_INVALID');
    expect(await counted('unrecoverable')).toBe(2);
  });

  it('still retries any other error until the attempts are spent', async () => {
    const job = await failed('transient', 3);
    expect(job.attemptsMade).toBe(3);
    expect(await counted('error')).toBe(3);
    expect(await counted('unrecoverable')).toBe(2);
    expect(logged.filter((line) => line.level === 'warn' && line.message.includes(job.id!))).toHaveLength(3);
  });
});
