import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findFreePort, redisAnswers } from './network.util.js';
import {
  awaitServer,
  OutputTail,
  type ServerStart,
  hasExited,
  isRunning,
  runsIn,
  spawnWatchdog,
  stopChild,
  stopPid,
  type StopStep,
  waitForExit,
} from './process.util.js';

export interface RedisServerOptions {
  dataDir: string;
  log: (line: string) => void;
  /** Default: `redis-server` from PATH. */
  executable?: string;
}

export interface SpawnedRedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  readonly exited: boolean;
  /** SIGTERM (Redis flushes its append-only file), then SIGKILL; bounded (1.4 s) and idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000; // loading a large append-only file takes a while
const START_ATTEMPTS = 3;
const STOP_STEPS: readonly StopStep[] = [
  ['SIGTERM', 1000],
  ['SIGKILL', 300],
];
const STALE_STOP_STEPS: readonly StopStep[] = [
  ['SIGTERM', 3000],
  ['SIGKILL', 1000],
];

/**
 * Starts `redis-server` on a free port bound to 127.0.0.1, with its data in `<dataDir>/redis`
 * (append-only file on, no RDB snapshots, no eviction: BullMQ must never lose keys). It lives in its
 * own process group and dies with us: stop(), or a watchdog if we are killed; a server left by a
 * previous run is found through its pid file and stopped before the new one starts.
 */
export async function spawnRedisServer(options: RedisServerOptions): Promise<SpawnedRedisServer> {
  const log = options.log;
  const redisDir = join(resolve(options.dataDir), 'redis');
  const pidFile = join(redisDir, 'redis.pid');
  const executable = options.executable ?? 'redis-server';
  await mkdir(redisDir, { recursive: true, mode: 0o700 });
  await recoverStaleServer(pidFile, redisDir, log);

  let server: { child: ChildProcess; watchdog: ChildProcess; port: number } | undefined;
  for (let attempt = 1; !server; attempt++) {
    const port = await findFreePort();
    const result = await startServer(executable, redisDir, pidFile, port);
    if (result.ok) {
      server = { child: result.child, watchdog: result.watchdog, port };
    } else if (!result.retry || attempt === START_ATTEMPTS) {
      throw new Error(`redis-server did not start in ${redisDir}:\n${result.output}`);
    } else {
      log(`Redis: start attempt ${attempt} failed, retrying`);
    }
  }
  const { child, watchdog, port } = server;
  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    watchdog.kill('SIGKILL');
    if (!stopping) log(`Redis exited unexpectedly (code ${code}, signal ${signal})`);
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    if (stopping) return; // its shutdown chatter
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`redis: ${line}`);
  });

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    get exited() {
      return hasExited(child);
    },
    stop: () =>
      (stopping ??= (async () => {
        if (!hasExited(child) && !(await stopChild(child, STOP_STEPS))) {
          log(`Redis (pid ${child.pid}) did not stop`);
        }
        watchdog.kill('SIGKILL');
        await waitForExit(watchdog, 100);
      })()),
  };
}

async function recoverStaleServer(
  pidFile: string,
  redisDir: string,
  log: (line: string) => void,
): Promise<void> {
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const pid = Number.parseInt(content.trim(), 10);
  if (pid > 0 && (await isRunning(pid)) && (await runsIn(pid, redisDir, 'redis-server'))) {
    log(`Redis: a previous run left redis-server ${pid} running on ${redisDir}; stopping it`);
    if (!(await stopPid(pid, STALE_STOP_STEPS))) {
      throw new Error(
        `redis-server from a previous run (pid ${pid}) still runs on ${redisDir} and would not stop`,
      );
    }
  }
  await rm(pidFile, { force: true });
}

async function startServer(
  executable: string,
  redisDir: string,
  pidFile: string,
  port: number,
): Promise<ServerStart> {
  const output = new OutputTail(40);
  const child = spawn(
    executable,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--dir',
      redisDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--pidfile',
      pidFile,
      '--daemonize',
      'no',
      '--logfile',
      '',
      '--loglevel',
      'warning',
    ],
    { cwd: redisDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.on('error', (error) => output.push(`${error.message}\n`));
  output.attach(child.stderr);
  const onStartOutput = (chunk: Buffer): void => output.push(chunk.toString('utf8'));
  child.stdout?.on('data', onStartOutput);

  const url = `redis://127.0.0.1:${port}`;
  // From the start: if we die while it starts up, it goes too.
  const watchdog = child.pid === undefined ? undefined : spawnWatchdog(child.pid, 'SIGTERM');
  const started = await awaitServer({
    child,
    watchdog,
    output,
    retryable: /Address already in use|Could not create server TCP/i,
    check: () => redisAnswers(url, 250),
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 50,
    stopSteps: STOP_STEPS,
  });
  if (!started.ok) return started;
  child.stdout?.off('data', onStartOutput);
  return started;
}
