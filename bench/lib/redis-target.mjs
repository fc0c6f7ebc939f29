// Where the bench's own Redis calls go (BullMQ queues and the raw worker, job reads, key cleanup, the CPU
// meter): the run's single Redis, or a local Redis Cluster of three masters started for the cluster run
// (`npm run bench -- --only commands,timers` runs those parts on both; `--no-cluster` skips it). On a
// cluster every prefix is in a hash tag, so Baton's keys and the raw limit's share one slot and one master.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { findFreePort } from '../../dist/libs/runtime/src/index.js';
import { deleteKeys, deleteKeysOn } from './services.mjs';
import { sleep } from './util.mjs';

/** The run's single Redis at `url` (`pid` when it runs on this machine). */
export function singleRedis(url, pid) {
  return {
    mode: 'standalone',
    label: 'one Redis',
    env: { REDIS_URL: url },
    workerEnv: { REDIS_URL: url },
    pid,
    prefix: (name) => name,
    connection: () => ({ url }),
    client: (options = {}) => new Redis(url, options),
    deleteKeys: (prefix) => deleteKeys(url, prefix),
    close: async () => undefined,
  };
}

export function redisServerPresent() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    execFileSync('redis-cli', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Three cluster-enabled redis-servers on free ports (noeviction, append-only file every second, as the README
 * asks of a production Redis), made a cluster with `redis-cli --cluster create`. `prefix` is the run's queue
 * prefix: the pid measured is that of the master serving its slot.
 */
export async function startLocalCluster(prefix, log) {
  const dirs = [];
  const children = [];
  const opened = [];
  const stop = async () => {
    for (const client of opened.splice(0)) client.disconnect();
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null
          ? new Promise((resolve) => child.once('exit', resolve))
          : undefined,
      ),
    );
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    const ports = [];
    for (let n = 0; n < 3; n++) {
      const port = await findFreePort();
      const dir = await mkdtemp(join(tmpdir(), 'baton-bench-cluster-'));
      dirs.push(dir);
      // ioredis needs nothing more; appendonly as in production (the single Redis of the run may differ).
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, 'nodes.conf'),
          '--appendonly',
          'yes',
          '--appendfsync',
          'everysec',
          '--save',
          '',
          '--maxmemory-policy',
          'noeviction',
          '--loglevel',
          'warning',
        ],
        { cwd: dir, stdio: 'ignore' },
      );
      children.push(child);
      ports.push(port);
    }
    for (const port of ports) await waitPing(port);
    execFileSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { stdio: 'pipe', timeout: 30_000 },
    );
    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    const cluster = (options = {}) => {
      const client = new Cluster(nodes, { enableReadyCheck: false, redisOptions: options });
      client.on('error', () => undefined);
      opened.push(client);
      return client;
    };
    const probe = cluster();
    for (let tries = 0; ; tries++) {
      const info = await probe.cluster('INFO').catch(() => '');
      if (/cluster_state:ok/.test(info)) break;
      if (tries > 200) throw new Error('the local Redis Cluster did not become ready');
      await sleep(100);
    }
    const slot = await probe.cluster('KEYSLOT', prefix);
    const owner = (await probe.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)[2][1];
    probe.disconnect();
    const pid = children[ports.indexOf(owner)].pid;
    log(`Redis Cluster: masters on ${ports.join(', ')}; the queues' slot on ${owner}`);
    const url = ports.map((port) => `redis://127.0.0.1:${port}`).join(',');
    return {
      mode: 'cluster',
      label: 'Redis Cluster, 3 masters',
      env: { REDIS_URL: url, BATON_REDIS_MODE: 'cluster' },
      workerEnv: { REDIS_URL: url, REDIS_MODE: 'cluster' },
      pid,
      prefix: (name) => `{${name}}`,
      // BullMQ requires maxRetriesPerRequest: null of the connections its workers duplicate.
      connection: () => cluster({ maxRetriesPerRequest: null }),
      client: cluster,
      deleteKeys: async (keyPrefix) => {
        const client = cluster({ maxRetriesPerRequest: 1 });
        await client.ping();
        await deleteKeysOn(client.nodes('master'), keyPrefix);
        client.disconnect();
      },
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitPing(port) {
  for (let tries = 0; ; tries++) {
    const client = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    const pong = await client.connect().then(
      () => client.ping(),
      () => null,
    );
    client.disconnect();
    if (pong === 'PONG') return;
    if (tries > 200) throw new Error(`redis-server on ${port} did not answer`);
    await sleep(50);
  }
}
