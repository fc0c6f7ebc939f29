import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type ApiClient, type ApiResponse } from './http-client.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `done` holds or the time is up; returns the last value read. Throws on timeout with what was
 * last seen, so a failing wait says where the deliverable got stuck.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}; last seen:\n${JSON.stringify(value)}`,
      );
    }
    await sleep(intervalMs);
  }
}

export function getDeliverable(client: ApiClient, id: string): Promise<ApiResponse> {
  return client.get(`/v1/deliverables/${id}`);
}

export function criterionOf(deliverable: any, key: string): any {
  return deliverable.readiness.criteria.find((criterion: { key: string }) => criterion.key === key);
}

/** Polls GET /v1/deliverables/:id until the status is `status`; returns the body. */
export async function waitForStatus(
  client: ApiClient,
  id: string,
  status: string,
  timeoutMs = 10_000,
): Promise<any> {
  const response = await waitFor(
    () => getDeliverable(client, id),
    (r) => r.body?.status === status,
    `deliverable ${id} to be ${status}`,
    timeoutMs,
  );
  return response.body;
}

/** Polls until the criterion `key` has one of `statuses`; returns the deliverable body. */
export async function waitForCriterion(
  client: ApiClient,
  id: string,
  key: string,
  statuses: string[],
  timeoutMs = 10_000,
): Promise<any> {
  const response = await waitFor(
    () => getDeliverable(client, id),
    (r) => statuses.includes(criterionOf(r.body, key)?.status),
    `criterion ${key} of ${id} to be ${statuses.join(' or ')}`,
    timeoutMs,
  );
  return response.body;
}

export interface ProbeHit {
  path: string;
  method: string;
  status: number;
  at: number;
}

/**
 * A local HTTP server the worker probes. Each path answers from its script (one status per request, in
 * order), then with its default (200 unless set); every request is recorded.
 */
export interface ProbeServer {
  readonly port: number;
  url(path: string): string;
  hits(path?: string): ProbeHit[];
  script(path: string, statuses: number[]): void;
  setDefault(path: string, status: number): void;
  close(): Promise<void>;
}

export async function startProbeServer(): Promise<ProbeServer> {
  const scripts = new Map<string, number[]>();
  const defaults = new Map<string, number>();
  const hits: ProbeHit[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://probe').pathname;
    const status = scripts.get(path)?.shift() ?? defaults.get(path) ?? 200;
    hits.push({ path, method: request.method ?? '', status, at: Date.now() });
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(`status ${status}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits: (path) => hits.filter((hit) => path === undefined || hit.path === path),
    script: (path, statuses) => scripts.set(path, [...statuses]),
    setDefault: (path, status) => defaults.set(path, status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
