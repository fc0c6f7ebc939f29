// Part 2. Reads: GET /v1/deliverables/:id (authenticated, presented with its allowed actions) against a bare
// NestJS application on the same adapter (Fastify) reading the same deliverable's row by primary key through
// `pg` and answering it (the cheapest GET that reads the row at all), both driven by autocannon. A third side,
// for reference only: the same bare app answering GET /hello without reading anything.
import autocannon from 'autocannon';
import { backendsOf, CpuMeter, startScript } from '../lib/proc.mjs';
import { log, median, summarize } from '../lib/util.mjs';
import { medianOf, perOperation } from './commands.mjs';

async function cannon({ url, connections, durationMs, headers }) {
  const result = await autocannon({ url, connections, duration: durationMs / 1000, headers, pipelining: 1 });
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`autocannon ${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { perSecond: ok / result.duration, completed: ok, p50: result.latency.p50, p99: result.latency.p99 };
}

export async function runReads(ctx) {
  const { config, api, sampler } = ctx;
  const hello = await startScript('hello app', 'hello-app.mjs', { DATABASE_URL: ctx.db.url });
  sampler.watch('hello', hello.pid);
  const id = ctx.commandFixture.ids[0];
  const sides = {
    baton: {
      url: `${api.url}/v1/deliverables/${id}`,
      headers: { authorization: `Bearer ${ctx.world.pmo.token}` },
      cpu: { api: api.pid, postgres: backendsOf(ctx.sql, ctx.db.name, 'baton-api') },
      phase: 'reads',
    },
    limit: {
      url: `${hello.info}/row/${id}`,
      cpu: { hello: hello.pid, postgres: backendsOf(ctx.sql, ctx.db.name, 'bench-hello') },
    },
    hello: { url: `${hello.info}/hello`, cpu: { hello: hello.pid } },
  };
  const results = [];
  try {
    for (const connections of config.readLevels) {
      const runs = { baton: [], limit: [], hello: [] };
      const run = async (name, durationMs, record = true) => {
        const side = sides[name];
        const meter = await new CpuMeter(side.cpu).start();
        if (side.phase) sampler.phase = side.phase;
        const result = await cannon({ url: side.url, connections, durationMs, headers: side.headers });
        sampler.phase = 'between';
        const cpu = perOperation(await meter.stop(), result.completed);
        if (record) runs[name].push({ ...result, cpu });
      };
      if (config.warmupMs > 0) for (const name of Object.keys(sides)) await run(name, config.warmupMs, false);
      for (let round = 0; round < config.rounds; round++) {
        const order = round % 2 === 0 ? ['baton', 'limit', 'hello'] : ['hello', 'limit', 'baton'];
        for (const name of order) await run(name, config.roundMs);
      }
      const per = (name) => runs[name].map((r) => r.perSecond);
      const entry = {
        concurrency: connections,
        baton: summarize(per('baton')),
        limit: summarize(per('limit')),
        ratio: median(per('baton')) / median(per('limit')),
        ratioPerRound: per('baton').map((value, index) => value / per('limit')[index]),
        batonLatencyMs: {
          p50: median(runs.baton.map((r) => r.p50)),
          p99: median(runs.baton.map((r) => r.p99)),
        },
        cpuMsPerOperation: {
          baton: medianOf(runs.baton.map((r) => r.cpu)),
          limit: medianOf(runs.limit.map((r) => r.cpu)),
        },
        helloReference: {
          perSecond: summarize(per('hello')),
          ratio: median(per('baton')) / median(per('hello')),
          cpuMsPerOperation: medianOf(runs.hello.map((r) => r.cpu)),
        },
      };
      log(
        `reads c=${connections}: Baton ${entry.baton.median.toFixed(0)}/s, Nest + pg row ${entry.limit.median.toFixed(0)}/s, ratio ${entry.ratio.toFixed(2)}; ` +
          `hello ${entry.helloReference.perSecond.median.toFixed(0)}/s`,
      );
      results.push(entry);
    }
    const helloRss = sampler.of('hello');
    return {
      unit: 'requests per second',
      operation: 'GET /v1/deliverables/:id vs GET /row/:id (bare Nest + Fastify reading the row through pg)',
      levels: results,
      helloRssMiB: helloRss.length ? Math.max(...helloRss) : null,
    };
  } finally {
    sampler.targets.delete('hello');
    await hello.stop();
  }
}
