// Part 3. Jobs: readiness probes end to end. Each deliverable's checklist has one mandatory automated
// criterion whose probeUrl is a local HTTP server; POST /submit commits the probe job to the outbox, the
// worker's relay publishes it, the probe processor GETs the URL and reports the result as a command. The
// time of a probe is the audit event `result` minus the audit event `submit`; the throughput is probes
// per second from the first submit to the last result. The limit: raw BullMQ no-op jobs, added by the same
// number of producers and run by a Worker (own process) with Baton's worker concurrency.
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { createService, expectStatus, unique } from '../lib/http.mjs';
import { backendsOf, CpuMeter, startScript } from '../lib/proc.mjs';
import { medianOf, perOperation } from './commands.mjs';
import { log, median, pool, summarize, waitUntil } from '../lib/util.mjs';

/** Baton's WorkerHost concurrency (apps/worker/src/processors/worker-host.ts). */
export const BATON_WORKER_CONCURRENCY = 16;

export async function probeServer() {
  let hits = 0;
  const server = createServer((request, response) => {
    hits++;
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/health`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A checklist (minor_change, tier 3) of one mandatory automated criterion probing `url`; a tier-3 service. */
export async function probedService(admin, smo, url) {
  await expectStatus(
    admin.post('/v1/checklists', {
      name: unique('bench-probe'),
      changeTypes: ['minor_change'],
      tiers: [3],
      criteria: [
        {
          key: 'health',
          title: 'Health endpoint answers',
          practice: 'monitoring and event management',
          mandatory: true,
          kind: 'automated',
          probeUrl: url,
        },
      ],
    }),
    201,
    'checklist',
  );
  return createService(smo, 3);
}

/** `n` drafts under the probed checklist, made 8 at a time. */
export function probedDeliverables(pmo, projectId, serviceId, n) {
  return pool(Array.from({ length: n }), 8, async () => {
    const body = await expectStatus(
      pmo.post('/v1/deliverables', {
        projectId,
        serviceId,
        title: unique('probed'),
        changeType: 'minor_change',
        targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      }),
      201,
      'deliverable',
    );
    return body.id;
  });
}

export async function runJobs(ctx) {
  const { config, sql, sampler } = ctx;
  const n = config.probesPerRound;
  const producers = config.jobProducers;
  const probe = await probeServer();
  const admin = ctx.admin;
  const pmo = ctx.world.pmo.client;
  const serviceId = await probedService(admin, ctx.world.smo.client, probe.url);
  const rounds = [];
  for (let round = 0; round < config.rounds; round++) {
    rounds.push(await probedDeliverables(pmo, ctx.world.projectId, serviceId, n));
  }

  const rawPrefix = `${ctx.prefix}_raw`;
  const rawWorker = await startScript('raw BullMQ worker', 'bullmq-noop-worker.mjs', {
    REDIS_URL: ctx.services.redisUrl,
    PREFIX: rawPrefix,
    QUEUE: 'raw-jobs',
    CONCURRENCY: String(BATON_WORKER_CONCURRENCY),
  });
  const queue = new Queue('raw-jobs', { connection: { url: ctx.services.redisUrl }, prefix: rawPrefix });
  const passed = async (ids) =>
    Number(
      (
        await sql.query(
          `SELECT count(*) AS n FROM deliverable_criteria WHERE deliverable_id = ANY($1::uuid[]) AND key = 'health' AND status = 'passed'`,
          [ids],
        )
      ).rows[0].n,
    );

  const redisPid = ctx.redisPid;
  const batonRound = async (ids) => {
    const meter = await new CpuMeter({
      api: ctx.api.pid,
      worker: ctx.worker.pid,
      postgres: backendsOf(sql, ctx.db.name, 'baton'),
      redis: redisPid,
    }).start();
    sampler.phase = 'jobs';
    const t0 = Date.now();
    await pool(ids, producers, (id) =>
      expectStatus(pmo.post(`/v1/deliverables/${id}/submit`, {}), 200, 'submit'),
    );
    await waitUntil(
      async () => (await passed(ids)) === ids.length,
      `${ids.length} probe results`,
      120_000,
      50,
    );
    sampler.phase = 'between';
    const cpu = perOperation(await meter.stop(), ids.length);
    const events = (
      await sql.query(
        `SELECT deliverable_id, action, (extract(epoch FROM at) * 1000)::float8 AS at FROM audit_events
         WHERE deliverable_id = ANY($1::uuid[]) AND action IN ('submit', 'result')`,
        [ids],
      )
    ).rows;
    const submitted = new Map(
      events.filter((e) => e.action === 'submit').map((e) => [e.deliverable_id, e.at]),
    );
    const results = events.filter((e) => e.action === 'result');
    const last = Math.max(...results.map((e) => e.at));
    return {
      perSecond: ids.length / ((last - t0) / 1000),
      latencies: results.map((e) => e.at - submitted.get(e.deliverable_id)),
      cpu,
    };
  };

  const rawRound = async (round) => {
    const jobIds = Array.from({ length: n }, (_, i) => `r${round}-${i}`);
    const meter = await new CpuMeter({ worker: rawWorker.pid, redis: redisPid }).start();
    const t0 = Date.now();
    await pool(jobIds, producers, (jobId) =>
      queue.add('noop', { jobId }, { jobId, removeOnComplete: false }),
    );
    await waitUntil(
      async () => (await queue.getJobCountByTypes('completed')) >= n,
      `${n} raw jobs`,
      120_000,
      50,
    );
    const cpu = perOperation(await meter.stop(), n);
    const jobs = await queue.getJobs(['completed'], 0, n + 10);
    await queue.clean(0, 1_000_000, 'completed');
    const last = Math.max(...jobs.map((job) => job.finishedOn));
    return {
      perSecond: n / ((last - t0) / 1000),
      latencies: jobs.map((job) => job.finishedOn - job.timestamp),
      cpu,
    };
  };

  const baton = [];
  const limit = [];
  const batonCpu = [];
  const limitCpu = [];
  const batonLatencies = [];
  const rawLatencies = [];
  try {
    for (let round = 0; round < config.rounds; round++) {
      const order = round % 2 === 0 ? ['baton', 'raw'] : ['raw', 'baton'];
      for (const side of order) {
        if (side === 'baton') {
          const result = await batonRound(rounds[round]);
          baton.push(result.perSecond);
          batonCpu.push(result.cpu);
          batonLatencies.push(...result.latencies);
        } else {
          const result = await rawRound(round);
          limit.push(result.perSecond);
          limitCpu.push(result.cpu);
          rawLatencies.push(...result.latencies);
        }
      }
    }
  } finally {
    await queue.close();
    await rawWorker.stop();
    await probe.close();
  }
  const entry = {
    concurrency: `${producers} producers, worker concurrency ${BATON_WORKER_CONCURRENCY}`,
    perRound: n,
    baton: summarize(baton),
    limit: summarize(limit),
    ratio: median(baton) / median(limit),
    ratioPerRound: baton.map((value, index) => value / limit[index]),
    batonLatencyMs: pick(summarize(batonLatencies)),
    limitLatencyMs: pick(summarize(rawLatencies)),
    cpuMsPerOperation: { baton: medianOf(batonCpu), limit: medianOf(limitCpu) },
  };
  log(
    `jobs: Baton ${entry.baton.median.toFixed(0)} probes/s, raw BullMQ ${entry.limit.median.toFixed(0)} jobs/s, ratio ${entry.ratio.toFixed(2)}`,
  );
  return {
    unit: 'probes (jobs) per second',
    operation: 'submit -> probe job -> GET probeUrl -> result command, vs BullMQ no-op job',
    levels: [entry],
  };
}

const pick = (s) => ({ p50: s.median, p99: s.p99, max: s.max });
