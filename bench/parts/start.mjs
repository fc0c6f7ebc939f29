// Part 6. Start: `npm start` (a build if the sources changed, then api and worker in one process) cold, on an
// empty BATON_DATA_DIR with no DATABASE_URL (so the embedded PostgreSQL is initialised), then warm on the same
// folder: wall time from spawning `npm start` to the "listening on" line, and the parts Baton reports itself.
// The reference: the bare Nest + Fastify hello app from spawn to listening.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, startScript } from '../lib/proc.mjs';
import { log, median, sleep, summarize } from '../lib/util.mjs';

/** The pids under `pid` (children first-level and below), from /proc. */
async function descendants(pid) {
  const found = [];
  const walk = async (at) => {
    let tasks = [];
    try {
      tasks = await readdir(`/proc/${at}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      const children = (await readFile(`/proc/${at}/task/${task}/children`, 'utf8').catch(() => '')).trim();
      for (const child of children ? children.split(/\s+/).map(Number) : []) {
        found.push(child);
        await walk(child);
      }
    }
  };
  await walk(pid);
  return found;
}

async function commandLine(pid) {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function npmStart(dataDir, env) {
  const proc = await startProcess({
    name: 'npm start',
    command: 'npm',
    args: ['start'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      BATON_DATA_DIR: dataDir,
      // Debug: Baton's timing lines (infrastructure) are printed at debug only.
      BATON_LOG_LEVEL: 'debug',
      ...env,
    },
    ready: /listening on (http:\/\/\S+?)[\s)]/,
    timeoutMs: 180_000,
  });
  const output = proc.output();
  const number = (pattern) => {
    const match = pattern.exec(output);
    return match ? Number(match[1]) : null;
  };
  const result = {
    wallMs: proc.readyMs,
    readyInMs: number(/- ready in (\d+) ms/),
    infrastructureMs: number(/Infrastructure ready in (\d+) ms/),
    initdbMs: number(/initialised a new cluster in \S+ \((\d+) ms\)/),
  };
  // Stop Baton as Ctrl+C would: SIGINT to the node process npm started (found by its pid under npm's),
  // then wait for npm to exit; whatever is left of what this started is ended by pid.
  const tree = await descendants(proc.pid);
  let baton = null;
  for (const pid of tree) if ((await commandLine(pid)).includes('dist/apps/baton/src/main.js')) baton = pid;
  if (baton) process.kill(baton, 'SIGINT');
  else proc.child.kill('SIGINT');
  const timer = setTimeout(() => {
    for (const pid of [baton, ...tree].filter(Boolean)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    proc.child.kill('SIGKILL');
  }, 30_000);
  await proc.exited;
  clearTimeout(timer);
  await sleep(200);
  for (const pid of tree)
    if (alive(pid) && (await commandLine(pid)).includes(dataDir)) process.kill(pid, 'SIGTERM');
  return result;
}

export async function runStart(ctx) {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-start-'));
  const env = { REDIS_URL: ctx.services.redisUrl, BATON_QUEUE_PREFIX: `${ctx.prefix}_start` };
  try {
    log('start: cold');
    const cold = await npmStart(dataDir, env);
    const warm = [];
    for (let i = 0; i < ctx.config.startWarmRuns; i++) {
      log('start: warm');
      warm.push(await npmStart(dataDir, env));
    }
    const hello = [];
    for (let i = 0; i < 3; i++) {
      const proc = await startScript('hello app', 'hello-app.mjs');
      hello.push(proc.readyMs);
      await proc.stop();
    }
    const result = {
      unit: 'ms to the "listening on" line',
      cold,
      warm: {
        wallMs: summarize(warm.map((w) => w.wallMs)),
        readyInMs: median(warm.map((w) => w.readyInMs)),
        runs: warm,
      },
      helloStartMs: summarize(hello),
    };
    log(
      `start: cold ${Math.round(cold.wallMs)} ms, warm ${Math.round(result.warm.wallMs.median)} ms, hello ${Math.round(result.helloStartMs.median)} ms`,
    );
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
