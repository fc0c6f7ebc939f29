#!/usr/bin/env node
// `npm run bench` (full run: writes docs/BENCHMARKS.md and docs/benchmarks.json) and
// `npm run bench:smoke` / `npm run bench -- --smoke` (every part at a tiny scale, no timing assertions,
// output to a temporary folder). Each Baton figure is paired with a limit measured in the same run on the
// same machine: raw SQL, a bare Nest hello app, raw BullMQ. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Client, createWorld } from './lib/http.mjs';
import { ROOT, RssSampler, startBaton, stopAll } from './lib/proc.mjs';
import { redisServerPresent, singleRedis, startLocalCluster } from './lib/redis-target.mjs';
import { renderMarkdown } from './lib/report.mjs';
import {
  deleteKeys,
  loadAverage,
  localRedisPid,
  machineFacts,
  resolveServices,
  scratchDatabase,
} from './lib/services.mjs';
import { log, now, round, sleep, summarize } from './lib/util.mjs';
import { runCommands } from './parts/commands.mjs';
import { runJobs } from './parts/jobs.mjs';
import { runProfiles } from './parts/profile.mjs';
import { runReads } from './parts/reads.mjs';
import { runStart } from './parts/start.mjs';
import { runTimers } from './parts/timers.mjs';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
    'no-cluster': { type: 'boolean', default: false },
  },
});

/** BENCH_SCALE: the fraction of the timer scale (100k deliverables, 300k timers). */
const scale = Number(process.env.BENCH_SCALE ?? (args.smoke ? 0.001 : 0.1));
const CONFIG = args.smoke
  ? {
      mode: 'smoke',
      rounds: 1,
      roundMs: 600,
      warmupMs: 0,
      commandLevels: [1, 8],
      readLevels: [8],
      probesPerRound: 10,
      jobProducers: 4,
      scale,
      timerWindowS: Number(process.env.BENCH_TIMER_WINDOW_S ?? 2),
      timerDrainS: 20,
      timerLightRate: 20,
      timerLightWindowS: 1,
      startWarmRuns: 1,
      profileMs: 500,
    }
  : {
      mode: 'full',
      rounds: 3,
      roundMs: 4000,
      warmupMs: 1000,
      commandLevels: [1, 8, 32],
      readLevels: [32],
      probesPerRound: 400,
      jobProducers: 8,
      scale,
      timerWindowS: Number(process.env.BENCH_TIMER_WINDOW_S ?? 60),
      timerDrainS: 90,
      timerLightRate: Number(process.env.BENCH_TIMER_LIGHT_RATE ?? 50),
      timerLightWindowS: 20,
      startWarmRuns: 2,
      profileMs: 6000,
    };
const PARTS = ['commands', 'reads', 'jobs', 'timers', 'memory', 'start', 'profile'];
const only = args.only ? new Set(args.only.split(',')) : new Set(PARTS);

const outDir = args.out
  ? resolve(args.out)
  : args.smoke
    ? await mkdtemp(join(tmpdir(), 'baton-bench-smoke-'))
    : join(ROOT, 'docs');
const artefacts = args.render ? null : await mkdtemp(join(tmpdir(), 'baton-bench-artefacts-'));

const started = now();
const cleanups = [];
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping what the bench started`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function cleanup() {
  await stopAll();
  for (const step of cleanups.reverse()) await step().catch((error) => log(`cleanup: ${error.message}`));
  cleanups.length = 0;
}

async function main() {
  log(`mode ${CONFIG.mode}, timer scale ${CONFIG.scale}, output to ${outDir}`);
  const services = await resolveServices(log);
  cleanups.push(() => services.stop());
  const machine = await machineFacts(services);
  const load = { before: loadAverage() };
  log(`machine: ${machine.cores} cores, ${machine.model}, load ${load.before.join(' ')}`);

  const db = await scratchDatabase(services.postgresUrl);
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  if (process.env.BENCH_KEEP) {
    // For looking into a result afterwards: the database and the queue keys stay.
    cleanups.push(async () => log(`kept database ${db.url} and Redis keys ${prefix}*`));
  } else {
    cleanups.push(() => db.drop());
    cleanups.push(() => deleteKeys(services.redisUrl, prefix));
  }
  const env = { DATABASE_URL: db.url, REDIS_URL: services.redisUrl, BATON_QUEUE_PREFIX: prefix };

  const { sql, api, worker, sampler, admin } = await startBatonPair(db, env);
  const world = await createWorld(admin);
  const redisPid = await localRedisPid(services.redisUrl);
  const ctx = {
    config: CONFIG,
    services,
    db,
    prefix,
    env,
    sql,
    api,
    worker,
    admin,
    world,
    sampler,
    artefacts,
    outDir,
    redisPid,
    redis: singleRedis(services.redisUrl, redisPid),
  };

  // At rest: started, migrated, fixtures made, nothing running for a moment.
  await sleep(args.smoke ? 300 : 2000);
  sampler.phase = 'rest';
  for (let i = 0; i < (args.smoke ? 2 : 8); i++) {
    await sampler.sampleOnce();
    await sleep(250);
  }
  sampler.phase = 'between';

  const results = { config: CONFIG, machine, load, parts: {} };
  const part = async (name, run) => {
    if (!only.has(name) || interrupted) return;
    const t0 = now();
    const loadBefore = loadAverage();
    log(`part ${name}`);
    results.parts[name] = await run();
    results.parts[name].seconds = round((now() - t0) / 1000);
    results.parts[name].loadAverage = { before: loadBefore, after: loadAverage() };
  };

  await part('commands', () => runCommands(ctx));
  await part('reads', () => runReads(ctx));
  await part('jobs', () => runJobs(ctx));
  await part('timers', () => runTimers(ctx));
  await part('memory', async () => {
    const of = (name, phase) => summarize(sampler.of(name, phase));
    const entry = (name) => ({
      rest: of(name, 'rest'),
      commands: of(name, 'commands'),
      reads: of(name, 'reads'),
      jobs: of(name, 'jobs'),
      timers: of(name, 'timers'),
      peak: Math.max(...sampler.of(name)),
    });
    return { unit: 'MiB (VmRSS)', goalMiB: 250, api: entry('api'), worker: entry('worker') };
  });
  sampler.stop();
  admin.close();
  await worker.stop();
  await api.stop();
  await part('profile', () => (args['no-profile'] ? { skipped: true } : runProfiles(ctx)));
  await part('start', () => runStart(ctx));
  // Commands and timers again on a Redis Cluster of this machine's own, for the page to set beside these.
  if ((only.has('commands') || only.has('timers')) && !args['no-cluster'] && !args.smoke && !interrupted)
    results.cluster = await runOnCluster(services);

  if (args.only && !args.smoke) await keepOtherParts(results);
  results.load.after = loadAverage();
  results.seconds = round((now() - started) / 1000);
  results.finishedAt = new Date().toISOString();
  results.artefacts = artefacts;
  await writeOutputs(results);
  if (args.smoke && !process.env.BENCH_KEEP) await rm(artefacts, { recursive: true, force: true });
  else log(`profiles in ${artefacts}`);
  log(`done in ${results.seconds} s: ${join(outDir, 'BENCHMARKS.md')} and benchmarks.json`);
}

/** An api and a worker on `db` with `env`, the bench's own pool on it, and their memory sampled; all stopped by cleanup. */
async function startBatonPair(db, env) {
  const sql = new pg.Pool({ connectionString: db.url, max: 4, application_name: 'bench' });
  sql.on('error', (error) => log(`bench pool: ${error.message}`));
  cleanups.push(() => sql.end());
  const api = await startBaton({ app: 'api', env });
  const worker = await startBaton({ app: 'worker', env: { ...env, BATON_ADMIN_TOKEN: api.adminToken } });
  const sampler = new RssSampler(250);
  sampler.watch('api', api.pid);
  sampler.watch('worker', worker.pid);
  sampler.start();
  cleanups.push(async () => sampler.stop());
  return { sql, api, worker, sampler, admin: new Client(api.url, api.adminToken) };
}

/**
 * The commands and timers parts (as --only selects them) on a local Redis Cluster of three masters: an api
 * and a worker with BATON_REDIS_MODE=cluster, on a database of their own, the raw BullMQ limit on the same
 * cluster (its prefix in the same hash tag, so on the same master). Skipped, saying why, without redis-server.
 */
async function runOnCluster(services) {
  if (!redisServerPresent()) {
    log('cluster: skipped, no redis-server or redis-cli on PATH');
    return { skipped: 'no redis-server on PATH' };
  }
  const prefix = `{bench_${randomBytes(4).toString('hex')}_cluster}`;
  const target = await startLocalCluster(prefix, log);
  cleanups.push(() => target.close());
  const db = await scratchDatabase(services.postgresUrl);
  cleanups.push(() => db.drop());
  const env = { DATABASE_URL: db.url, ...target.env, BATON_QUEUE_PREFIX: prefix };
  const { sql, api, worker, sampler, admin } = await startBatonPair(db, env);
  const ctx = {
    config: CONFIG,
    services: { ...services, redisUrl: null },
    db,
    prefix,
    env,
    sql,
    api,
    worker,
    admin,
    world: await createWorld(admin),
    sampler,
    artefacts,
    outDir,
    redisPid: target.pid,
    redis: target,
  };
  const cluster = { redis: target.label, parts: {} };
  for (const [name, run] of [
    ['commands', runCommands],
    ['timers', runTimers],
  ]) {
    if (!only.has(name) || interrupted) continue;
    const t0 = now();
    log(`part ${name} on the Redis Cluster`);
    cluster.parts[name] = await run(ctx);
    cluster.parts[name].seconds = round((now() - t0) / 1000);
  }
  sampler.stop();
  admin.close();
  await worker.stop();
  await api.stop();
  return cluster;
}

/**
 * A run of some parts (--only) keeps, from the page's last run in the output folder, the figures of the parts it
 * did not run, and says on the page which and from when.
 */
async function keepOtherParts(results) {
  const previous = JSON.parse(await readFile(join(outDir, 'benchmarks.json'), 'utf8').catch(() => 'null'));
  if (!previous || previous.config?.mode !== results.config.mode) return;
  const kept = Object.keys(previous.parts).filter((name) => !(name in results.parts));
  for (const name of kept) results.parts[name] = previous.parts[name];
  if (kept.length > 0) results.kept = { parts: kept, from: previous.finishedAt };
}

/** benchmarks.json and BENCHMARKS.md, formatted as `prettier --check .` expects them. */
async function writeOutputs(results) {
  const prettier = await import('prettier');
  await mkdir(outDir, { recursive: true });
  const write = async (name, text) => {
    const file = join(outDir, name);
    const options = (await prettier.resolveConfig(join(ROOT, name))) ?? {};
    await writeFile(file, await prettier.format(text, { ...options, filepath: file }));
  };
  await write('benchmarks.json', `${JSON.stringify(results, jsonRound, 2)}\n`);
  await write('BENCHMARKS.md', await renderMarkdown(results));
}

/** JSON with 3 significant digits: the noise is larger than that. */
function jsonRound(key, value) {
  return typeof value === 'number' && !Number.isInteger(value) ? round(value) : value;
}

try {
  if (args.render) {
    // Only the page again, from the JSON in the output folder (after editing bench/ANALYSIS.md or the report).
    await writeOutputs(JSON.parse(await readFile(join(outDir, 'benchmarks.json'), 'utf8')));
    log(`rendered ${join(outDir, 'BENCHMARKS.md')}`);
  } else {
    await main();
  }
} catch (error) {
  log(`FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
