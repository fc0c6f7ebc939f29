import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Cluster, startCluster } from './cluster.js';
import {
  auditDeliverables,
  compareEvents,
  expectNothingLost,
  elsFlow,
  failedJobs,
  readDbState,
  readinessFlow,
  report,
  startWorker,
  waitUntilSettled,
  warnings,
} from './fault-kit.js';

const APIS = 3;
const WORKERS = 2;
const SETTLE_MS = 120_000;
/**
 * Three apis and two workers on one PostgreSQL and one Redis, behind a balancer that follows their
 * readiness. While deliverables are created and walked into readiness (reminders seconds away) and early
 * life support (periods of 3 s, follow-ups every second), every process is replaced in turn by SIGTERM and
 * a new one: each api drains (unready, then refusing, its running requests finished), each worker hands
 * back what it could not finish. No request may fail unseen, no timer be lost or fire twice, no
 * transition run twice, no event go undelivered.
 */
describe('rolling restart of every process under load', () => {
  let cluster: Cluster;
  let output = '';

  beforeAll(async () => {
    // The second api has no drain delay: it refuses before the balancer notices, so refusals are exercised.
    cluster = await startCluster({
      apis: APIS,
      workers: WORKERS,
      apiEnv: (n): Record<string, string> => (n === 1 ? { BATON_DRAIN_DELAY_MS: '0' } : {}),
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('loses no request a client did not see refused, and no timer, transition or event', async () => {
    const { apis, workers, balancer, receiver, scene, env } = cluster;
    const created: string[] = [];
    const flowErrors: string[] = [];
    const restarts: { process: string; stopMs: number; exit: number | null }[] = [];
    let loading = true;
    const load = (async () => {
      const flows: Promise<void>[] = [];
      for (let n = 0; loading; n++) {
        flows.push(
          readinessFlow(scene, 20_000).then(
            (id) => void created.push(id),
            (error: Error) => void flowErrors.push(error.message),
          ),
          elsFlow(scene, false).then(
            (id) => void created.push(id),
            (error: Error) => void flowErrors.push(error.message),
          ),
        );
        await sleep(400);
      }
      await Promise.all(flows);
    })();

    await sleep(2000);
    for (let n = 0; n < APIS; n++) {
      const old = apis[n];
      const stopping = Date.now();
      const exit = await old.stop('SIGTERM');
      restarts.push({ process: `api ${n + 1}`, stopMs: Date.now() - stopping, exit });
      output += old.output();
      balancer.remove(old.url);
      await cluster.replaceApi(n);
      await sleep(1000);
    }
    for (let n = 0; n < WORKERS; n++) {
      const old = workers[n];
      const stopping = Date.now();
      await old.kill('SIGTERM');
      restarts.push({ process: `worker ${n + 1}`, stopMs: Date.now() - stopping, exit: old.child.exitCode });
      output += old.output();
      workers[n] = await startWorker(env);
      await sleep(1000);
    }
    loading = false;
    await load;

    const settled = await waitUntilSettled(cluster.databaseUrl, receiver, SETTLE_MS, true);
    const final = await readDbState(cluster.databaseUrl);
    const audit = await auditDeliverables(scene.pmo, created, receiver.received, { concurrentMs: 2000 });
    const events = compareEvents(final, receiver);
    const failed = await failedJobs(cluster.redisClient, env.BATON_QUEUE_PREFIX);
    const { counts } = balancer;
    report('rolling restart of 3 apis and 2 workers', {
      requests: counts.requests,
      'refused with 503 SERVICE.STOPPING, sent again elsewhere': counts.refused,
      'connections refused, sent again elsewhere': counts.connectionRefused,
      'lost (failed unseen)': counts.lost.length ? counts.lost.slice(0, 10) : 0,
      'flows that failed': flowErrors.length ? flowErrors.slice(0, 10) : 0,
      restarts: restarts.map((restart) => `${restart.process} ${restart.stopMs} ms (exit ${restart.exit})`),
      deliverables: created.length,
      'transitions (status changes in the histories)': audit.statusEvents,
      'ELS follow-ups sent while their period end was committed by another worker': audit.concurrentFollowUps,
      'timers: due / sent / cancelled': `${audit.timersDue} / ${audit.timersSent} / ${audit.timersCancelled}`,
      'events expected / distinct received / duplicates': `${events.expected} / ${events.distinctReceived} / ${events.duplicates.size}`,
      'missing events': events.missing.length,
      'settled after the load (s)': `${(settled.ms / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
      'jobs BullMQ gave up on': failed.length ? failed.map((job) => `${job.queue}: ${job.reason}`) : 0,
      problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
      warnings: warnings(output),
    });

    expect(counts.lost).toEqual([]);
    expect(flowErrors).toEqual([]);
    expect(restarts.map((restart) => restart.exit)).toEqual([0, 0, 0, 0, 0]);
    expectNothingLost({ audit, events, final, settled });
  }, 300_000);
});
