// Redis Cluster and Sentinel topologies started from `redis-server` on free ports, each server with a
// temporary folder of its own, all torn down (even when a start fails half-way) by stop(). Tests that need
// one skip, saying so, where `redis-server` is absent.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import { findFreePort } from '@baton/runtime';

/** Whether redis-server and redis-cli are on PATH; when not, `skipReason` says what the tests skip for. */
export const redisServerPresent: boolean = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    execFileSync('redis-cli', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export function skipWithoutRedisServer(what: string): boolean {
  if (!redisServerPresent)
    console.warn(
      `Skipped: ${what} needs redis-server and redis-cli on PATH (it starts a cluster of its own)`,
    );
  return !redisServerPresent;
}

export interface RedisNode {
  readonly port: number;
  readonly url: string;
  readonly pid: number | null;
  /** SIGKILL: the node is gone at once, as a crashed host would be. */
  kill(): Promise<void>;
}

interface Started extends RedisNode {
  child: ChildProcess;
  output(): string;
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

async function waitExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (exited(child)) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Nodes and folders started so far, so a stop after a failed start still finds them. */
class Processes {
  readonly nodes: Started[] = [];
  readonly dirs: string[] = [];

  async dir(name: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `baton-${name}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** redis-server with `args` on `port`, nothing kept on disk unless args say so; resolves once it answers. */
  async start(port: number, dir: string, args: string[]): Promise<Started> {
    let output = '';
    const child = spawn(
      'redis-server',
      [
        ...args,
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', () => undefined);
    const node: Started = {
      port,
      url: `redis://127.0.0.1:${port}`,
      child,
      output: () => output,
      get pid() {
        return exited(child) ? null : (child.pid ?? null);
      },
      kill: async () => {
        if (!exited(child)) child.kill('SIGKILL');
        await waitExit(child, 5000);
      },
    };
    this.nodes.push(node);
    const client = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (exited(child)) throw new Error(`redis-server on ${port} exited at start:\n${output}`);
        const answered = await client
          .connect()
          .then(() => client.ping())
          .catch(() => null);
        if (answered === 'PONG') return node;
        client.disconnect();
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer:\n${output}`);
        await sleep(50);
      }
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) if (!exited(node.child)) node.child.kill('SIGKILL');
    await Promise.all(this.nodes.map((node) => waitExit(node.child, 5000)));
    await Promise.all(this.dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** Settings every test server shares: noeviction, as the README asks of a production Redis. */
const COMMON = ['--maxmemory-policy', 'noeviction'];

export interface LocalCluster {
  /** REDIS_URL for Baton: every master, comma-separated. */
  readonly redisUrl: string;
  readonly masters: RedisNode[];
  readonly replicas: RedisNode[];
  /** A Cluster client (the caller disconnects it). */
  client(): Cluster;
  /** The master that serves the hash slot of `key` right now. */
  masterOf(key: string): Promise<RedisNode>;
  /** Resolves once every slot is served again (cluster_state:ok on every live node). */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of three masters, and with `replicas: 1` a replica for each (six nodes), so that killing a
 * master fails over to its replica after `nodeTimeoutMs` (cluster-node-timeout).
 */
export async function startRedisCluster(
  options: { replicas?: 0 | 1; nodeTimeoutMs?: number } = {},
): Promise<LocalCluster> {
  const replicasPerMaster = options.replicas ?? 0;
  const processes = new Processes();
  try {
    const count = 3 * (1 + replicasPerMaster);
    const nodes: Started[] = [];
    for (let n = 0; n < count; n++) {
      const port = await findFreePort();
      const dir = await processes.dir('cluster-node');
      nodes.push(
        await processes.start(port, dir, [
          ...COMMON,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          String(options.nodeTimeoutMs ?? 1000),
          // A replica takes over however long it was cut off from its master (a test kills masters outright).
          '--cluster-replica-validity-factor',
          '0',
        ]),
      );
    }
    execFileSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        String(replicasPerMaster),
        '--cluster-yes',
      ],
      { stdio: 'pipe', timeout: 30_000 },
    );
    const all = nodes;
    const client = (): Cluster =>
      new Cluster(
        all.map((node) => ({ host: '127.0.0.1', port: node.port })),
        { retryDelayOnClusterDown: 200, retryDelayOnFailover: 200 },
      );
    const waitHealthy = async (timeoutMs = 20_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const states = await Promise.all(
          all
            .filter((node) => node.pid !== null)
            .map((node) =>
              clusterInfo(node.port).then(
                (info) => /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info),
              ),
            ),
        );
        // A replica takes over only what it has: wait until each has its master's data.
        const synced = await Promise.all(
          all
            .slice(3)
            .filter((node) => node.pid !== null)
            .map((node) => replicaSynced(node.port)),
        );
        if (states.every(Boolean) && synced.every(Boolean)) return;
        if (Date.now() > deadline) throw new Error('the Redis Cluster did not become healthy in time');
        await sleep(100);
      }
    };
    await waitHealthy();
    const cluster: LocalCluster = {
      redisUrl: nodes
        .slice(0, 3)
        .map((node) => node.url)
        .join(','),
      get masters() {
        return nodes.slice(0, 3);
      },
      get replicas() {
        return nodes.slice(3);
      },
      client,
      masterOf: async (key) => {
        const probe = client();
        probe.on('error', () => undefined);
        try {
          const slot = await probe.cluster('KEYSLOT', key);
          const slots = await probe.cluster('SLOTS');
          const range = slots.find(([from, to]) => slot >= from && slot <= to);
          const node = all.find((candidate) => candidate.port === range?.[2][1]);
          if (!node) throw new Error(`no node serves slot ${slot}`);
          return node;
        } finally {
          probe.disconnect();
        }
      },
      waitHealthy,
      stop: () => processes.stop(),
    };
    return cluster;
  } catch (error) {
    await processes.stop();
    throw error;
  }
}

/** Whether the server on `port` is a master, or a replica whose link to its master is up and synced. */
async function replicaSynced(port: number): Promise<boolean> {
  return askNode(
    port,
    async (client) => {
      const info = await client.info('replication');
      return (
        /role:master/.test(info) ||
        (/master_link_status:up/.test(info) && /master_sync_in_progress:0/.test(info))
      );
    },
    false,
  );
}

function clusterInfo(port: number): Promise<string> {
  return askNode(port, (client) => client.cluster('INFO'), '');
}

/** `ask` on a short-lived client of the server on `port`; `otherwise` when the server does not answer it. */
async function askNode<T>(port: number, ask: (client: Redis) => Promise<T>, otherwise: T): Promise<T> {
  const client = new Redis(port, '127.0.0.1', {
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await ask(client);
  } catch {
    return otherwise;
  } finally {
    client.disconnect();
  }
}

export interface LocalSentinels {
  /** The name the Sentinels know the master by. */
  readonly name: string;
  /** BATON_REDIS_SENTINELS. */
  readonly sentinels: string;
  /** The two data nodes: the master first, as started. */
  readonly servers: RedisNode[];
  /** The port of the master the Sentinels name now. */
  masterPort(): Promise<number>;
  /** SENTINEL FAILOVER: the replica is promoted; resolves once the Sentinels name it and it takes writes. */
  failover(timeoutMs?: number): Promise<{ from: number; to: number; ms: number }>;
  stop(): Promise<void>;
}

/** A master, its replica and three Sentinels watching them (quorum 2), on 127.0.0.1. */
export async function startRedisSentinels(): Promise<LocalSentinels> {
  const name = 'baton-master';
  const processes = new Processes();
  try {
    const masterPort = await findFreePort();
    const master = await processes.start(masterPort, await processes.dir('sentinel-master'), COMMON);
    const replica = await processes.start(await findFreePort(), await processes.dir('sentinel-replica'), [
      ...COMMON,
      '--replicaof',
      '127.0.0.1',
      String(masterPort),
    ]);
    const sentinelPorts: number[] = [];
    for (let n = 0; n < 3; n++) {
      const port = await findFreePort();
      const dir = await processes.dir('sentinel');
      const file = join(dir, 'sentinel.conf');
      await writeFile(
        file,
        [
          `sentinel resolve-hostnames yes`,
          `sentinel announce-ip 127.0.0.1`,
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 10000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      await processes.start(port, dir, [file, '--sentinel']);
      sentinelPorts.push(port);
    }
    const sentinel = (): Redis =>
      new Redis(sentinelPorts[0], '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: true });
    const masterPortNow = async (): Promise<number> => {
      const client = sentinel();
      client.on('error', () => undefined);
      try {
        await client.connect();
        const reply = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
        return Number(reply[1]);
      } finally {
        client.disconnect();
      }
    };
    // Ready once every Sentinel knows the replica and the other Sentinels (a failover needs both).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ready = await Promise.all(
        sentinelPorts.map((port) =>
          askNode(
            port,
            async (client) => {
              const fields = (await client.call('SENTINEL', 'MASTER', name)) as string[];
              const field = (key: string) => Number(fields[fields.indexOf(key) + 1]);
              return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2;
            },
            false,
          ),
        ),
      );
      if (ready.every(Boolean)) break;
      if (Date.now() > deadline)
        throw new Error('the Sentinels did not find the replica and each other in time');
      await sleep(200);
    }
    return {
      name,
      sentinels: sentinelPorts.map((port) => `127.0.0.1:${port}`).join(','),
      servers: [master, replica],
      masterPort: masterPortNow,
      failover: async (timeoutMs = 20_000) => {
        const from = await masterPortNow();
        const started = Date.now();
        const client = sentinel();
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.call('SENTINEL', 'FAILOVER', name);
        } finally {
          client.disconnect();
        }
        for (;;) {
          const to = await masterPortNow();
          if (to !== from && (await role(to)) === 'master') return { from, to, ms: Date.now() - started };
          if (Date.now() - started > timeoutMs) throw new Error('the Sentinels did not fail over in time');
          await sleep(50);
        }
      },
      stop: () => processes.stop(),
    };
  } catch (error) {
    await processes.stop();
    throw error;
  }
}

function role(port: number): Promise<string> {
  return askNode(port, async (client) => String((await client.role())[0]), '');
}
