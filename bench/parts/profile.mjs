// Profiles (node --cpu-prof) of fresh api and worker processes under each load where a goal is at stake:
// commands (hold/resume, 8 clients), reads (GET, 32 connections), probes end to end. The .cpuprofile files
// stay in the run's artefacts folder (open them in Chrome DevTools); the page gets their summary.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { measureComponents } from '../lib/components.mjs';
import { monotonicMicros, summarizeProfile } from '../lib/cpuprofile.mjs';
import { Client, closedLoop, createDeliverable, createService, expectStatus } from '../lib/http.mjs';
import { startBaton } from '../lib/proc.mjs';
import { log, pool, waitUntil } from '../lib/util.mjs';
import { probedDeliverables, probedService, probeServer } from './jobs.mjs';

async function profiled(ctx, name, withWorker, load) {
  const dir = join(ctx.artefacts, `profile-${name}`);
  const args = (app) => ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${app}.cpuprofile`];
  const api = await startBaton({
    app: 'api',
    env: { ...ctx.env, BATON_ADMIN_TOKEN: ctx.api.adminToken },
    nodeArgs: args('api'),
  });
  const worker = withWorker
    ? await startBaton({
        app: 'worker',
        env: { ...ctx.env, BATON_ADMIN_TOKEN: ctx.api.adminToken },
        nodeArgs: args('worker'),
      })
    : null;
  const client = new Client(api.url, ctx.world.pmo.token);
  const window = {};
  try {
    await load(api, client, window);
  } finally {
    client.close();
    await worker?.stop();
    await api.stop();
  }
  const files = await readdir(dir);
  const summary = { directory: dir, window };
  for (const file of files.filter((f) => f.endsWith('.cpuprofile'))) {
    summary[file.replace('.cpuprofile', '')] = await summarizeProfile(join(dir, file), window);
  }
  return summary;
}

export async function runProfiles(ctx) {
  const ms = ctx.config.profileMs;
  const results = {};
  log('profile: domain components');
  // The row as Baton's own store reads and maps it.
  const { Database } = await import('../../dist/libs/persistence/src/index.js');
  const database = await Database.connect({ url: ctx.db.url, poolSize: 1, applicationName: 'bench' });
  let row;
  try {
    row = await database.deliverables.findById(ctx.commandFixture.ids[1] ?? ctx.commandFixture.ids[0]);
  } finally {
    await database.close();
  }
  results.components = {
    status: row.status,
    ...(await measureComponents(
      row,
      { principalId: ctx.world.pmo.id, roles: ['pmo'] },
      ctx.config.mode === 'smoke' ? 50 : 400,
    )),
  };
  log('profile: commands');
  results.commands = await profiled(ctx, 'commands', true, async (api, pmo, window) => {
    const serviceId = await createService(new Client(api.url, ctx.world.smo.token), 4);
    const ids = [];
    for (let i = 0; i < 8; i++)
      ids.push((await createDeliverable(pmo, { projectId: ctx.world.projectId, serviceId })).id);
    const held = ids.map(() => false);
    const step = async (lane) => {
      const path = `/v1/deliverables/${ids[lane]}/${held[lane] ? 'resume' : 'hold'}`;
      await expectStatus(pmo.post(path, held[lane] ? {} : { reason: 'profile' }), 200, path);
      held[lane] = !held[lane];
    };
    if (ctx.config.warmupMs > 0)
      await closedLoop({ concurrency: 8, durationMs: ctx.config.warmupMs, operation: step });
    window.fromUs = monotonicMicros();
    await closedLoop({
      concurrency: 8,
      durationMs: ms,
      operation: step,
    });
    window.toUs = monotonicMicros();
  });
  log('profile: reads');
  results.reads = await profiled(ctx, 'reads', false, async (api, _client, window) => {
    const options = {
      url: `${api.url}/v1/deliverables/${ctx.commandFixture.ids[0]}`,
      connections: 32,
      headers: { authorization: `Bearer ${ctx.world.pmo.token}` },
    };
    if (ctx.config.warmupMs > 0) await autocannon({ ...options, duration: ctx.config.warmupMs / 1000 });
    window.fromUs = monotonicMicros();
    await autocannon({ ...options, duration: ms / 1000 });
    window.toUs = monotonicMicros();
  });
  log('profile: probes');
  results.jobs = await profiled(ctx, 'jobs', true, async (api, pmo, window) => {
    const probe = await probeServer();
    try {
      const admin = new Client(api.url, ctx.api.adminToken);
      const serviceId = await probedService(admin, new Client(api.url, ctx.world.smo.token), probe.url);
      const n = Math.max(10, Math.round(ctx.config.probesPerRound / 2));
      const ids = await probedDeliverables(pmo, ctx.world.projectId, serviceId, n);
      window.fromUs = monotonicMicros();
      await pool(ids, ctx.config.jobProducers, (id) =>
        expectStatus(pmo.post(`/v1/deliverables/${id}/submit`, {}), 200, 'submit'),
      );
      await waitUntil(() => probe.hits() >= n, `${n} probes`, 120_000, 50);
      await waitUntil(
        async () =>
          Number(
            (
              await ctx.sql.query(
                `SELECT count(*) AS n FROM deliverable_criteria WHERE deliverable_id = ANY($1::uuid[]) AND status = 'passed'`,
                [ids],
              )
            ).rows[0].n,
          ) === n,
        'probe results',
        120_000,
        50,
      );
      window.toUs = monotonicMicros();
    } finally {
      await probe.close();
    }
  });
  return results;
}
