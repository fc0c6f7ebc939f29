// A lean HTTP client for the command loops (node:http with keep-alive, one socket per client), the
// closed-loop load runner shared by the HTTP and raw-SQL sides, and the fixtures the parts need.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { now } from './util.mjs';

export class Client {
  constructor(baseUrl, token, maxSockets = 64) {
    this.base = new URL(baseUrl);
    this.token = token;
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  as(token) {
    const other = new Client(this.base.href, token);
    other.agent = this.agent;
    return other;
  }

  /** Resolves with { status, body } (body parsed when JSON); never rejects on an HTTP status. */
  request(method, path, body) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers: {
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed = text;
            if ((response.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
            resolve({ status: response.statusCode, body: parsed });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body) {
    return this.request('POST', path, body);
  }

  put(path, body) {
    return this.request('PUT', path, body);
  }

  close() {
    this.agent.destroy();
  }
}

/** Throws unless the response has the expected status; returns the body. */
export async function expectStatus(responsePromise, status, what) {
  const response = await responsePromise;
  if (response.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`,
    );
  }
  return response.body;
}

/**
 * A closed loop: `concurrency` lanes each run `operation(lane)` back to back until `durationMs` is over.
 * Returns completed operations per second (over the time until the last lane finished), latencies in ms,
 * and the errors seen.
 */
export async function closedLoop({ concurrency, durationMs, operation }) {
  const latencies = [];
  const errors = [];
  const started = now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (now() < deadline) {
        const t0 = now();
        try {
          await operation(lane);
          latencies.push(now() - t0);
        } catch (error) {
          errors.push(error.message);
          if (errors.length > 50) throw new Error(`too many errors, first: ${errors[0]}`);
        }
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  return {
    perSecond: latencies.length / seconds,
    completed: latencies.length,
    seconds,
    latencies,
    errors: errors.length,
    firstError: errors[0] ?? null,
  };
}

export const unique = (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Principals, a service and a project, over the API as any client would make them. */
export async function createWorld(admin, tier = 4) {
  const principal = async (roles) => {
    const body = await expectStatus(
      admin.post('/v1/principals', { name: unique(roles[0]), roles }),
      201,
      'principal',
    );
    return { id: body.id, client: admin.as(body.token), token: body.token };
  };
  const pmo = await principal(['pmo']);
  const smo = await principal(['smo']);
  const project = await expectStatus(
    pmo.client.post('/v1/projects', {
      key: unique('PRJ').toUpperCase(),
      name: 'Bench project',
      methodology: 'prince2',
    }),
    201,
    'project',
  );
  return { pmo, smo, projectId: project.id, services: {}, tier };
}

export async function createService(smo, tier) {
  const body = await expectStatus(
    smo.post('/v1/services', { name: unique('service'), tier }),
    201,
    'service',
  );
  return body.id;
}

export async function createDeliverable(
  pmo,
  { projectId, serviceId, changeType = 'new_service', daysAhead = 30 },
) {
  return expectStatus(
    pmo.post('/v1/deliverables', {
      projectId,
      serviceId,
      title: unique('deliverable'),
      changeType,
      targetGoLive: new Date(Date.now() + daysAhead * 86_400_000).toISOString(),
    }),
    201,
    'deliverable',
  );
}
