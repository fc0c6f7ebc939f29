// Child processes the bench starts (Baton's api, worker or both; the hello app; raw BullMQ workers),
// how to wait for them to be ready, their resident memory, and how to stop them (by their own pid only).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const ENTRY = {
  baton: 'dist/apps/baton/src/main.js',
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
};

const READY = {
  http: /listening on (http:\/\/\S+?)[\s)]/,
  worker: /Baton worker running/,
  line: /^ready\b(.*)$/m,
};

/** Every child still running, so an interrupted bench stops them all on its way out. */
const running = new Set();

export async function stopAll() {
  await Promise.allSettled([...running].map((proc) => proc.stop()));
}

/**
 * Starts `command args` and resolves once its output matches `ready`, with the match and a handle:
 * pid, output(), stop(signal) (waits for the exit, then SIGKILLs the same pid after `killAfterMs`).
 */
export async function startProcess({
  name,
  command = process.execPath,
  args,
  env,
  ready,
  timeoutMs = 60_000,
  cwd = ROOT,
  detached = false,
}) {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const handle = {
    name,
    child,
    pid: child.pid,
    output: () => output,
    exited,
    async stop(signal = 'SIGINT', killAfterMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, killAfterMs);
      const code = await exited;
      clearTimeout(timer);
      running.delete(handle);
      return code;
    },
  };
  running.add(handle);
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${output.slice(-4000)}`)),
      timeoutMs,
    );
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        // Keep draining (and keep the tail) so a chatty child never blocks on a full pipe.
        const keep = (more) => {
          output = (output + more.toString()).slice(-100_000);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        resolve(found);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      running.delete(handle);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${output.slice(-4000)}`));
    });
  });
  handle.readyMs = performance.now() - started;
  handle.match = match;
  return handle;
}

/**
 * One Baton entry point on the run's database and queue prefix, as the tests start it (test/support):
 * `app` is api, worker or baton; `nodeArgs` e.g. ['--cpu-prof'].
 */
export async function startBaton({ app, env, nodeArgs = [], timeoutMs = 60_000 }) {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-'));
  const adminToken = env.BATON_ADMIN_TOKEN ?? `bench_admin_${randomBytes(16).toString('hex')}`;
  const proc = await startProcess({
    name: `baton ${app}`,
    args: ['--enable-source-maps', ...nodeArgs, ENTRY[app]],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      BATON_DATA_DIR: dataDir,
      BATON_ADMIN_TOKEN: adminToken,
      // Baton's default: a JSON line per request and per job, read by the bench as a log collector would.
      // BENCH_BATON_LOG_LEVEL=warn measures without them.
      BATON_LOG_LEVEL: process.env.BENCH_BATON_LOG_LEVEL ?? 'log',
      // The bench drives the API far harder than any client: the rate limit is not what is measured.
      BATON_RATE_LIMIT: '100000',
      BATON_RATE_BURST: '100000',
      // The heap cap `npm start` and the image use; BENCH_BATON_NODE_OPTIONS tries another runtime setting.
      NODE_OPTIONS: process.env.BENCH_BATON_NODE_OPTIONS ?? '--max-old-space-size=160',
      ...env,
    },
    ready: app === 'worker' ? READY.worker : READY.http,
    timeoutMs,
  });
  const stop = proc.stop;
  proc.stop = async (...args) => {
    const code = await stop(...args);
    await rm(dataDir, { recursive: true, force: true });
    return code;
  };
  proc.url = app === 'worker' ? null : proc.match[1].replace('[::1]', '127.0.0.1');
  proc.adminToken = adminToken;
  return proc;
}

/** A plain Node script of the bench's own, ready when it prints a line starting with "ready". */
export async function startScript(name, script, env = {}, nodeArgs = []) {
  const proc = await startProcess({
    name,
    args: [...nodeArgs, fileURLToPath(new URL(`./${script}`, import.meta.url))],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    ready: READY.line,
  });
  proc.info = proc.match[1].trim();
  return proc;
}

/** Resident set size of a process in MiB (VmRSS), or null when it is gone. */
export async function rssMiB(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return kib ? Number(kib[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples the RSS of named processes every `intervalMs`, tagging each sample with the current phase. */
export class RssSampler {
  constructor(intervalMs = 250) {
    this.intervalMs = intervalMs;
    this.targets = new Map();
    this.samples = [];
    this.phase = 'idle';
    this.timer = null;
  }

  watch(name, pid) {
    this.targets.set(name, pid);
  }

  async sampleOnce() {
    for (const [name, pid] of this.targets) {
      const mib = await rssMiB(pid);
      if (mib !== null) this.samples.push({ name, phase: this.phase, mib, at: Date.now() });
    }
  }

  start() {
    this.timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }

  of(name, phase) {
    return this.samples
      .filter((sample) => sample.name === name && (phase === undefined || sample.phase === phase))
      .map((sample) => sample.mib);
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null when it is gone. */
export async function cpuSeconds(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

const CLOCK_TICKS = 100;

/**
 * CPU seconds of each named group of processes between start() and stop(); `bench` is this process. A
 * group is a pid, a list of pids, or an async function listing them (asked again at stop(): a process that
 * appeared meanwhile, such as a new pooled PostgreSQL backend, counts all the CPU it has used).
 */
export class CpuMeter {
  constructor(groups) {
    this.groups = groups;
  }

  async list(group) {
    const pids = typeof group === 'function' ? await group() : group;
    return [pids].flat().filter(Boolean);
  }

  async start() {
    this.before = {};
    for (const [name, group] of Object.entries(this.groups)) {
      const pids = await this.list(group);
      this.before[name] = new Map();
      for (const pid of pids) this.before[name].set(pid, (await cpuSeconds(pid)) ?? 0);
    }
    this.self = process.cpuUsage();
    return this;
  }

  async stop() {
    const used = {};
    for (const [name, group] of Object.entries(this.groups)) {
      const pids = new Set([...this.before[name].keys(), ...(await this.list(group))]);
      let total = 0;
      for (const pid of pids) {
        const now = await cpuSeconds(pid);
        // A process gone since start() took its CPU time with it: count what was seen of it, nothing more.
        if (now !== null) total += now - (this.before[name].get(pid) ?? 0);
      }
      used[name] = total;
    }
    const self = process.cpuUsage(this.self);
    used.bench = (self.user + self.system) / 1e6;
    return used;
  }
}

/** The PostgreSQL backend pids serving `database`, by application_name (the server must be local). */
export async function backendPids(sql, database) {
  const rows = (
    await sql.query(`SELECT pid, application_name FROM pg_stat_activity WHERE datname = $1`, [database])
  ).rows;
  const groups = {};
  for (const row of rows) {
    // Only a local server's backends can be measured: make sure the pid is a postgres process here.
    const comm = await readFile(`/proc/${row.pid}/comm`, 'utf8').catch(() => '');
    if (comm.startsWith('postgres')) (groups[row.application_name] ??= []).push(row.pid);
  }
  return groups;
}

/** An async lister of the backends whose application_name starts with a prefix given, for CpuMeter. */
export const backendsOf =
  (sql, database, ...prefixes) =>
  async () =>
    Object.entries(await backendPids(sql, database))
      .filter(([name]) => prefixes.some((prefix) => name.startsWith(prefix)))
      .flatMap(([, pids]) => pids);
