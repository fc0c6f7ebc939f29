// Seeding through the public HTTP API, as an integration would: principals, projects, services, deliverables
// and the commands that move them. No Playwright and no Jest here, so the global setup and the tests share it.
import { randomBytes } from 'node:crypto';

export const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: ${status} ${JSON.stringify(body)}`);
  }
}

export interface Principal {
  id: string;
  name: string;
  roles: string[];
  token: string;
  api: Api;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON over fetch with one bearer token; 429s are waited out (Retry-After) and retried. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  as(token: string): Api {
    return new Api(this.baseUrl, token);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; body: T }> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status === 429 && attempt < 20) {
        await sleep(Number(response.headers.get('retry-after') ?? '1') * 1000);
        continue;
      }
      const parsed: unknown =
        (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
      return { status: response.status, headers: response.headers, body: parsed as T };
    }
  }

  /** The body of a 2xx answer; anything else throws with what the server said. */
  async ok<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await this.request<T>(method, path, body, headers);
    if (response.status < 200 || response.status > 299)
      throw new ApiError(response.status, response.body, `${method} ${path}`);
    return response.body;
  }

  get<T = any>(path: string): Promise<T> {
    return this.ok<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown): Promise<T> {
    return this.ok<T>('POST', path, body);
  }

  // --- the catalogue ---

  async principal(name: string, roles: string[]): Promise<Principal> {
    const created = await this.post('/v1/principals', { name, roles });
    return { id: created.id, name, roles, token: created.token, api: this.as(created.token) };
  }

  async service(
    tier: 1 | 2 | 3 | 4,
    name = unique(`Service T${tier}`),
  ): Promise<{ id: string; name: string }> {
    const created = await this.post('/v1/services', { name, tier, ownerName: 'Olive Owner' });
    return { id: created.id, name: created.name };
  }

  async project(name = unique('Project')): Promise<{ id: string; key: string; name: string }> {
    const key = unique('PRJ').toUpperCase();
    const created = await this.post('/v1/projects', { key, name, methodology: 'prince2' });
    return { id: created.id, key, name };
  }

  // --- deliverables ---

  deliverable(
    refs: { projectId: string; serviceId: string },
    extra: Record<string, unknown> = {},
  ): Promise<Deliverable> {
    return this.post('/v1/deliverables', {
      projectId: refs.projectId,
      serviceId: refs.serviceId,
      title: unique('Deliverable'),
      changeType: 'new_service',
      targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      ...extra,
    });
  }

  read(id: string): Promise<Deliverable> {
    return this.get(`/v1/deliverables/${id}`);
  }

  command(id: string, path: string, body: unknown = {}): Promise<Deliverable> {
    return this.post(`/v1/deliverables/${id}/${path}`, body);
  }

  /** Every mandatory criterion attested (by a PMO token). */
  async attestMandatory(id: string): Promise<Deliverable> {
    let deliverable = await this.read(id);
    for (const criterion of deliverable.readiness.criteria) {
      if (criterion.mandatory && criterion.status === 'pending')
        deliverable = await this.command(id, `readiness/${criterion.key}/attest`, {
          evidence: `https://wiki.example/${criterion.key}`,
        });
    }
    return deliverable;
  }

  decide(id: string, gate: 'acceptance' | 'els_exit', role: string, decision = 'approve', comment?: string) {
    return this.command(id, 'decisions', { gate, role, decision, ...(comment ? { comment } : {}) });
  }

  schedule(id: string, startsInMs = 3_600_000, lastsMs = 3_600_000): Promise<Deliverable> {
    const start = Date.now() + startsInMs;
    return this.command(id, 'go-live/schedule', {
      windowStart: new Date(start).toISOString(),
      windowEnd: new Date(start + lastsMs).toISOString(),
    });
  }

  /** Polls the deliverable until `done` holds; throws with the last state seen. */
  async waitFor(id: string, done: (d: Deliverable) => boolean, what: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const deliverable = await this.read(id);
      if (done(deliverable)) return deliverable;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(deliverable)}`);
      await sleep(200);
    }
  }
}

/** The fields of GET /v1/deliverables/:id the tests read (shared/API.md). */
export interface Deliverable {
  id: string;
  status: string;
  version: number;
  title: string;
  projectId: string;
  serviceId: string;
  submittedBy: string | null;
  readiness: {
    criteria: { key: string; title: string; mandatory: boolean; kind: string; status: string }[];
  };
  approvals: {
    gate: string;
    principalId: string;
    onBehalfOf: string | null;
    role: string;
    decision: string;
    comment?: string;
  }[];
  allowedActions: string[];
  els?: { extensions: number } | null;
  [more: string]: unknown;
}

/** Runs `task` over `items` with at most `concurrency` at once; results in order. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index], index);
      }
    }),
  );
  return results;
}
