import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { hasRedis, startBaton, testEnvironment } from '../support/baton-process.js';
import {
  createActors,
  createDeliverable,
  createProject,
  createService,
  type Actors,
  unique,
} from '../support/fixtures.js';
import { sleep, waitFor } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Sends a POST whose body arrives in two parts: the request is in flight between `open` and `finish`. */
function slowPost(url: string, token: string, body: unknown) {
  const text = JSON.stringify(body);
  const split = Math.floor(text.length / 2);
  const target = new URL(url);
  const request = httpRequest({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    },
  });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    request.on('response', (response: IncomingMessage) => {
      let data = '';
      response.on('data', (chunk: Buffer) => (data += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(data || 'null') }),
      );
    });
    request.on('error', reject);
  });
  request.write(text.slice(0, split));
  return {
    answer,
    finish: () => request.end(text.slice(split)),
  };
}

describe('graceful stop of an api (SIGTERM)', () => {
  it('goes unready first, serves through the drain delay, then refuses new requests with 503 and finishes those running', async () => {
    const baton = await startBaton({
      env: { BATON_DRAIN_DELAY_MS: '1500', BATON_STOP_TIMEOUT_MS: '30000' },
    });
    const admin = new ApiClient(baton.url, baton.adminToken);
    const actors = await createActors(admin);
    expect((await admin.get('/health/ready')).body).toEqual({
      status: 'ready',
      checks: { postgres: 'up', queue: 'up' },
    });
    expect((await admin.get('/health/live')).body).toEqual({ status: 'live', stopping: false });

    // A request in flight: its headers are in, half its body is not.
    const running = slowPost(`${baton.url}/v1/projects`, actors.pmo.token!, {
      key: unique('GS'),
      name: 'Started before the stop',
      methodology: 'prince2',
    });
    await sleep(200);
    const stopped = baton.stop('SIGTERM');

    const unready = await waitFor(
      () => admin.get('/health/ready'),
      (answer) => answer.status === 503,
      'readiness to say 503',
      5000,
      20,
    );
    expect(unready.body).toEqual({ status: 'stopping', checks: null });
    expect(unready.headers.get('retry-after')).toBe('5');
    const live = await admin.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'live', stopping: true });

    // Within the drain delay the api still serves (a load balancer has not yet noticed)...
    expect((await actors.pmo.get('/v1/projects')).status).toBe(200);
    // ...then it refuses, saying nothing ran and when to try again. Each attempt names itself.
    const answered = new Map<string, number>();
    let attempt = 0;
    const refused = await waitFor(
      async () => {
        const name = `Attempt ${++attempt}`;
        const answer = await actors.pmo.post('/v1/projects', {
          key: unique('GS'),
          name,
          methodology: 'pmbok',
        });
        answered.set(name, answer.status);
        return answer;
      },
      (answer) => answer.status === 503,
      'a new request to be refused',
      10_000,
      50,
    );
    expect(refused.body).toMatchObject({ status: 503, code: 'SERVICE.STOPPING' });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('connection')).toBe('close');

    // The request that was running finishes, and only then does the process end.
    running.finish();
    const finished = await running.answer;
    expect(finished.status).toBe(201);
    expect(finished.body.name).toBe('Started before the stop');
    expect(await stopped).toBe(0);
    expect(baton.output()).toMatch(
      /Stopped taking requests in \d+ ms: [1-9]\d* refused with 503 while draining, every running request finished/,
    );

    // What was refused did not happen; what finished did.
    const after = await startBaton();
    try {
      const projects = await new ApiClient(after.url, actors.pmo.token).get('/v1/projects?limit=500');
      const names = projects.body.items.map((project: { name: string }) => project.name);
      const served = [...answered].filter(([, status]) => status === 201).map(([name]) => name);
      expect([...answered.values()].filter((status) => status !== 201)).toEqual([503]);
      expect(names.filter((name: string) => name !== 'Project').sort()).toEqual(
        ['Started before the stop', ...served].sort(),
      );
    } finally {
      await after.stop();
    }
  }, 60_000);
});

/** A webhook receiver that holds every request until released. */
class HoldingReceiver {
  readonly deliveries: { deliveryId: string; at: number }[] = [];
  private held: ServerResponse[] = [];
  private server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      this.deliveries.push({ deliveryId: String(request.headers['x-baton-delivery-id']), at: Date.now() });
      if (this.holding) this.held.push(response);
      else response.writeHead(200).end('ok');
    });
  });
  holding = true;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release(): void {
    this.holding = false;
    for (const response of this.held.splice(0)) response.writeHead(200).end('ok');
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function startWorkerProcess(env: Record<string, string>): {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
} {
  let output = '';
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/apps/worker/src/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BATON_LOG_LEVEL: 'warn',
      BATON_LOG_FORMAT: 'pretty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Baton worker running')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
  return { child, ready, exited, output: () => output };
}

describe('graceful stop of a worker (SIGTERM)', () => {
  const receiver = new HoldingReceiver();
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: Redis | undefined;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    if (hasRedis()) redis = new Redis(process.env.BATON_TEST_REDIS_URL!);
  });

  afterAll(async () => {
    redis?.disconnect();
    await scratch?.drop();
    await receiver.stop();
  });

  it('hands its running jobs back at once, so the next worker takes them without waiting for their locks', async () => {
    if (!hasRedis()) {
      console.warn('skipped: needs Redis (jobs handed back are read in Redis)');
      return;
    }
    const hook = await receiver.start();
    const prefix = `${testEnvironment().BATON_QUEUE_PREFIX}_stop${Date.now().toString(36)}`;
    const env = {
      ...testEnvironment(),
      DATABASE_URL: scratch.url,
      BATON_QUEUE_PREFIX: prefix,
      BATON_OUTBOUND_DENY: '169.254.0.0/16',
      BATON_WEBHOOK_TIMEOUT_MS: '60000',
      BATON_DATA_DIR: await mkdtemp(join(tmpdir(), 'baton-stop-worker-')),
    };
    const api = await startBaton({ app: 'api', env });
    let worker = startWorkerProcess(env);
    try {
      await worker.ready;
      const actors: Actors = await createActors(new ApiClient(api.url, api.adminToken));
      const subscribed = await actors.smo.post('/v1/webhooks', {
        url: `${hook}/hooks`,
        events: ['*'],
        secret: 'graceful-stop-secret-0123456789',
      });
      expect(subscribed.status).toBe(201);
      // Three deliverables submitted: three status changes, three deliveries the receiver holds open.
      const refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo) };
      for (let n = 0; n < 3; n++) {
        const deliverable = await createDeliverable(actors.pmo, refs);
        expect((await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`)).status).toBe(200);
      }
      await waitFor(
        () => Promise.resolve(receiver.deliveries.length),
        (count) => count >= 3,
        'three webhook deliveries held',
        15_000,
      );
      const held = new Set(receiver.deliveries.map((delivery) => delivery.deliveryId));

      const stopping = Date.now();
      worker.child.kill('SIGTERM');
      const code = await worker.exited;
      if (code !== 0) console.error(worker.output());
      expect(code).toBe(0);
      const stopMs = Date.now() - stopping;
      expect(worker.output()).toMatch(/Stopping: [1-9]\d* running jobs handed back to the queue/);
      // Nothing is left active under a dead worker's lock: the jobs are waiting for the next worker.
      expect(await redis!.llen(`${prefix}:webhooks:active`)).toBe(0);
      expect(await redis!.llen(`${prefix}:webhooks:wait`)).toBeGreaterThanOrEqual(held.size);

      receiver.release();
      const restarting = Date.now();
      worker = startWorkerProcess(env);
      await worker.ready;
      await waitFor(
        () =>
          Promise.resolve(
            [...held].filter(
              (id) => receiver.deliveries.filter((delivery) => delivery.deliveryId === id).length < 2,
            ),
          ),
        (missing) => missing.length === 0,
        'every held delivery to come again from the next worker',
        20_000,
      );
      const redelivered = Math.max(...receiver.deliveries.slice(-held.size).map((delivery) => delivery.at));
      console.info(
        `[graceful stop] worker stopped in ${stopMs} ms with ${held.size} webhook deliveries running; ` +
          `the next worker delivered them again ${redelivered - restarting} ms after it was started`,
      );
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await api.stop();
    }
  }, 90_000);
});
