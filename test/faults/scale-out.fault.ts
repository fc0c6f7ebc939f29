import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { openEventStream, type OpenStream } from '../support/event-stream.js';
import { createPrincipal, unique } from '../support/fixtures.js';
import { startProbeServer, type ProbeServer } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { BalancedClient } from './balancer.js';
import { type Cluster, startCluster } from './cluster.js';
import {
  auditDeliverables,
  compareEvents,
  expectNothingLost,
  elsFlow,
  failedJobs,
  ok,
  readDbState,
  readinessFlow,
  report,
  startWorker,
  waitUntilSettled,
  warnings,
} from './fault-kit.js';

const LOAD_MS = 20_000;
const SETTLE_MS = 150_000;

interface Race {
  id: string;
  statuses: number[];
}

/**
 * Three apis and two workers on one PostgreSQL and one Redis, run as one Baton. Through all three apis at
 * once: deliverables walked into readiness (reminders seconds away) and early life support (periods of 3 s,
 * follow-ups every second), deliverables whose automated criterion the workers probe, and races: two
 * approvers deciding the same deliverable at the same moment through different apis, and one create sent
 * to two apis with one Idempotency-Key. Mid-load one worker is killed (SIGKILL) and one api restarted. An
 * event stream opened on the third api watches what the others commit.
 */
describe('three apis and two workers as one Baton', () => {
  let cluster: Cluster;
  let probes: ProbeServer;
  let stream: OpenStream | undefined;
  let output = '';

  beforeAll(async () => {
    probes = await startProbeServer();
    cluster = await startCluster({ apis: 3, workers: 2 });
  });

  afterAll(async () => {
    stream?.close();
    await cluster?.stop();
    await probes?.close();
  });

  it('commits every transition and fires every timer once, delivers every event, and lets one racer win', async () => {
    const { apis, workers, balancer, receiver, scene, env } = cluster;
    // Probed deliverables: tier 1, a manual criterion and one the workers probe.
    await ok(
      scene.admin.post('/v1/checklists', {
        name: 'probed',
        changeTypes: ['minor_change'],
        tiers: [1],
        criteria: [
          {
            key: 'health',
            title: 'Health',
            practice: 'monitoring and event management',
            mandatory: true,
            kind: 'automated',
            probeUrl: probes.url('/health'),
          },
        ],
      }),
      'probed checklist',
    );
    const probedService = (
      await ok(scene.smo.post('/v1/services', { name: unique('probed'), tier: 1 }), 'service')
    ).id as string;
    // A second approver for the races: both may approve at the acceptance gate (quorum 1).
    const rival = (await createPrincipal(scene.admin, unique('owner2'), ['service_owner'])).client;
    // The third api's stream, as a console would hold it open: it must hear what the other two commit.
    const watcher = new ApiClient(apis[2].url, env.BATON_ADMIN_TOKEN);
    stream = await openEventStream(watcher.baseUrl, env.BATON_ADMIN_TOKEN);

    const created: string[] = [];
    const probed: string[] = [];
    const races: Race[] = [];
    const idempotent: { statuses: number[]; ids: string[] }[] = [];
    const flowErrors: string[] = [];
    const failed = (error: Error) => void flowErrors.push(error.message);
    // Requests that must go to different apis: the n-th of those ready (the next one if it refuses).
    const at = (n: number, client: ApiClient) => new BalancedClient(balancer, client.token, n);

    const race = async (): Promise<void> => {
      const draft = await ok(
        scene.pmo.post('/v1/deliverables', {
          projectId: scene.projectId,
          serviceId: scene.elsService,
          title: unique('race'),
          changeType: 'minor_change',
          targetGoLive: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        }),
        'create',
      );
      const path = `/v1/deliverables/${draft.id}`;
      await ok(scene.pmo.post(`${path}/submit`), 'submit');
      await ok(scene.pmo.post(`${path}/readiness/runbook/attest`, { evidence: 'wiki' }), 'attest');
      // Two approvers, two apis, one moment: exactly one decision may count.
      const body = { gate: 'acceptance', role: 'service_owner', decision: 'approve' };
      const answers = await Promise.all([
        at(0, scene.owner).post(`${path}/decisions`, body),
        at(1, rival).post(`${path}/decisions`, body),
      ]);
      races.push({ id: draft.id, statuses: answers.map((answer) => answer.status).sort() });
    };

    const sameKey = async (): Promise<void> => {
      const key = `create-${randomBytes(8).toString('hex')}`;
      const body = {
        projectId: scene.projectId,
        serviceId: scene.readinessService,
        title: unique('once'),
        changeType: 'minor_change',
        targetGoLive: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      };
      const answers = await Promise.all(
        [0, 1, 2].map((n) => at(n, scene.pmo).post('/v1/deliverables', body, { 'idempotency-key': key })),
      );
      idempotent.push({
        statuses: answers.map((answer) => answer.status),
        ids: answers.map((answer) => (answer.body.id as string | undefined) ?? JSON.stringify(answer.body)),
      });
      const id = answers.find((answer) => answer.status === 201)?.body.id as string | undefined;
      if (id) created.push(id);
    };

    const probe = async (): Promise<void> => {
      const draft = await ok(
        scene.pmo.post('/v1/deliverables', {
          projectId: scene.projectId,
          serviceId: probedService,
          title: unique('probed'),
          changeType: 'minor_change',
          targetGoLive: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        }),
        'create',
      );
      await ok(scene.pmo.post(`/v1/deliverables/${draft.id}/submit`), 'submit');
      probed.push(draft.id);
    };

    const started = Date.now();
    let loading = true;
    const load = (async () => {
      const flows: Promise<void>[] = [];
      for (let n = 0; loading; n++) {
        flows.push(
          readinessFlow(scene, 20_000).then((id) => void created.push(id), failed),
          elsFlow(scene, false).then((id) => void created.push(id), failed),
          race().catch(failed),
          sameKey().catch(failed),
          probe().catch(failed),
        );
        await sleep(600);
      }
      await Promise.all(flows);
    })();

    // Mid-load: one worker killed outright and started again, one api replaced.
    await sleep(LOAD_MS / 3);
    await workers[0].kill('SIGKILL');
    output += workers[0].output();
    workers[0] = await startWorker(env);
    await sleep(LOAD_MS / 3);
    const old = apis[0];
    expect(await old.stop('SIGTERM')).toBe(0);
    output += old.output();
    balancer.remove(old.url);
    await cluster.replaceApi(0);
    await sleep(Math.max(0, LOAD_MS - (Date.now() - started)));
    loading = false;
    await load;

    const settled = await waitUntilSettled(cluster.databaseUrl, receiver, SETTLE_MS, true);
    const final = await readDbState(cluster.databaseUrl);
    const all = [...created, ...probed, ...races.map((entry) => entry.id)];
    const audit = await auditDeliverables(scene.pmo, all, receiver.received, { concurrentMs: 2000 });
    const events = compareEvents(final, receiver);
    const jobsFailed = await failedJobs(cluster.redisClient, env.BATON_QUEUE_PREFIX);

    // Races: one approval recorded per deliverable, whichever api won.
    const raceProblems: string[] = [];
    for (const entry of races) {
      const history = (await ok(scene.pmo.get(`/v1/deliverables/${entry.id}/history`), 'history')).items as {
        action: string;
      }[];
      const decisions = history.filter((event) => event.action === 'decide').length;
      if (entry.statuses.join() !== '200,409' || decisions !== 1)
        raceProblems.push(`${entry.id}: answers ${entry.statuses.join()}, ${decisions} decisions recorded`);
    }
    // One create per key, the same deliverable in every answer.
    const keyProblems = idempotent
      .filter((entry) => new Set(entry.ids).size !== 1 || entry.statuses.some((status) => status !== 201))
      .map((entry) => `${entry.statuses.join()} ${[...new Set(entry.ids)].join(' ')}`);
    // Probes: each probed deliverable has its result once, passed.
    const probeProblems: string[] = [];
    for (const id of probed) {
      const deliverable = await ok(scene.pmo.get(`/v1/deliverables/${id}`), 'get');
      const history = (await ok(scene.pmo.get(`/v1/deliverables/${id}/history`), 'history')).items as {
        action: string;
      }[];
      const results = history.filter((event) => event.action === 'result').length;
      const health = deliverable.readiness.criteria.find(
        (criterion: { key: string }) => criterion.key === 'health',
      );
      if (results !== 1 || health.status !== 'passed')
        probeProblems.push(`${id}: ${results} results, health ${health.status}`);
    }
    // The third api's stream heard every status change committed through any api, once.
    const heard = new Map<string, number>();
    for (const event of stream.events()) heard.set(event.id, (heard.get(event.id) ?? 0) + 1);
    const statusEvents = final.eventIds.length;
    const unheardOnStream = [...receiver.ids()].filter((id) => !heard.has(id)).length;

    const { counts } = balancer;
    report('three apis and two workers', {
      requests: counts.requests,
      'refused with 503 SERVICE.STOPPING / connections refused, sent again': `${counts.refused} / ${counts.connectionRefused}`,
      'lost (failed unseen)': counts.lost.length ? counts.lost.slice(0, 10) : 0,
      'flows that failed': flowErrors.length ? flowErrors.slice(0, 10) : 0,
      deliverables: `${all.length} (${races.length} raced, ${probed.length} probed, ${idempotent.length} created through three apis with one key)`,
      'races: one 200 and one 409, one decision recorded': `${races.length - raceProblems.length} of ${races.length}`,
      'one key, three apis: one deliverable': `${idempotent.length - keyProblems.length} of ${idempotent.length}`,
      'probes: one result each, passed': `${probed.length - probeProblems.length} of ${probed.length} (${probes.hits('/health').length} probe requests)`,
      'transitions (status changes in the histories)': audit.statusEvents,
      'ELS follow-ups sent while their period end was committed by another worker': audit.concurrentFollowUps,
      'timers: due / sent / cancelled': `${audit.timersDue} / ${audit.timersSent} / ${audit.timersCancelled}`,
      'events expected / distinct received / duplicates': `${events.expected} / ${events.distinctReceived} / ${events.duplicates.size}`,
      "events on the third api's stream (of those delivered)": `${receiver.ids().size - unheardOnStream} of ${receiver.ids().size} (${statusEvents} in the outbox)`,
      'settled after the load (s)': `${(settled.ms / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
      'jobs BullMQ gave up on': jobsFailed.length
        ? jobsFailed.map((job) => `${job.queue}: ${job.reason}`)
        : 0,
      problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
      warnings: warnings(output),
    });

    expect(counts.lost).toEqual([]);
    expect(flowErrors).toEqual([]);
    expect(raceProblems).toEqual([]);
    expect(keyProblems).toEqual([]);
    expect(probeProblems).toEqual([]);
    expect(unheardOnStream).toBe(0);
    expect([...heard.values()].every((times) => times === 1)).toBe(true);
    expectNothingLost({ audit, events, final, settled });
  }, 300_000);
});
