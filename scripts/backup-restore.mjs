// What `npm run backup` and `npm run restore` share: which database, and which pg_dump / pg_restore.
//
// The database is DATABASE_URL when set, else the embedded PostgreSQL of BATON_DATA_DIR (default .baton). The
// tools are those of BATON_PG_BIN, else of PATH; one older than the server cannot read it, and is refused with
// what to install.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class Refusal extends Error {}

/**
 * The database to work on: DATABASE_URL, else the embedded PostgreSQL of BATON_DATA_DIR. One that `npm start`
 * runs now is used as it is when `running` allows ("use"), refused when not ("refuse": a restore must not
 * replace tables under a running Baton); one that is not running is started for the while, from the built
 * launcher (built first if need be), and stopped by `close`.
 */
export async function openDatabase(running, env = process.env) {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, close: async () => undefined };
  const dataDir = resolve(env.BATON_DATA_DIR ?? '.baton');
  const pgDir = join(dataDir, 'postgres');
  const pid = await readFile(join(pgDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const alive = pid !== null && isAlive(Number(pid.split('\n')[0]));
  if (alive) {
    if (running === 'refuse') {
      throw new Refusal(`Baton's embedded PostgreSQL in ${pgDir} is in use: stop Baton (Ctrl+C) first`);
    }
    // postmaster.pid: pid, data directory, start time, port, ...
    const port = Number(pid.split('\n')[3]);
    const password = (await readFile(join(pgDir, 'baton-password'), 'utf8')).trim();
    return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/baton`, close: async () => undefined };
  }
  const { build, isBuilt } = await import('./build.mjs');
  const launcher = 'dist/libs/runtime/src/embedded-postgres.launcher.js';
  if (!(await isBuilt(launcher)) && !(await build())) throw new Refusal('The build failed (see above)');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { startEmbeddedPostgres } = await import(pathToFileURL(join(root, launcher)).href);
  const server = await startEmbeddedPostgres({ dataDir, log: () => undefined });
  return { url: server.url, close: () => server.stop() };
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The tool's path, checked to be able to read a server of `serverMajor`. */
export async function tool(name, serverMajor, env = process.env) {
  const path = env.BATON_PG_BIN ? join(env.BATON_PG_BIN, name) : name;
  const { stdout } = await run(path, ['--version']).catch(() => {
    throw new Refusal(
      `${name} was not found${env.BATON_PG_BIN ? ` in ${env.BATON_PG_BIN}` : ' on PATH'}: install the PostgreSQL ${serverMajor} client tools or set BATON_PG_BIN`,
    );
  });
  const major = Number(/(\d+)(?:\.\d+)?/.exec(stdout)?.[1]);
  if (!(major >= serverMajor)) {
    throw new Refusal(
      `${name} ${major} cannot work with a PostgreSQL ${serverMajor} server: install the PostgreSQL ${serverMajor} client tools (or newer) or point BATON_PG_BIN at them`,
    );
  }
  return path;
}

/** The server's major version, and what else the scripts ask of the database, in one connection. */
export async function withClient(url, work) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function serverMajor(client) {
  const { rows } = await client.query('SHOW server_version_num');
  return Math.floor(Number(rows[0].server_version_num) / 10000);
}

/** A URL with its password masked, for messages. */
export function shown(url) {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Runs a PostgreSQL tool on `url` with the password in its environment, not on its command line. */
export function runOn(path, args, url) {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  return run(path, [...args, '--dbname', target.href], {
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    maxBuffer: 64 * 1024 * 1024,
  });
}

export { run };

/** What a database holds, said in the scripts' lines. */
export async function contents(client) {
  const { rows: found } = await client.query(`SELECT to_regclass('installation') IS NOT NULL AS present`);
  if (!found[0].present) throw new Refusal('The database holds no Baton tables: Baton has never run on it');
  const { rows } = await client.query(
    `SELECT (SELECT id FROM installation LIMIT 1) AS installation,
            (SELECT count(*) FROM deliverables)::int AS deliverables,
            (SELECT count(*) FROM timers WHERE status = 'scheduled')::int AS timers,
            (SELECT count(*) FROM audit_events)::int AS events`,
  );
  return rows[0];
}
