// A load balancer in the test: round robin over the apis that say they are ready, as a Kubernetes Service
// or a cloud load balancer with a health check does, and a client that goes through it.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, type ApiResponse } from '../support/http-client.js';

/** How often the balancer asks each api whether it is ready, as a load balancer's health check does. */
export const READY_POLL_MS = 100;

export interface Counts {
  requests: number;
  /** Answered 503 SERVICE.STOPPING by a draining api, sent again to another. */
  refused: number;
  /** Connection refused by an api that had stopped, sent again to another. */
  connectionRefused: number;
  /** Anything else that failed below HTTP: the request's fate is unknown to the client. */
  lost: string[];
}

/**
 * What a load balancer in front of the apis does: round robin over the apis whose `/health/ready` said 200
 * at the last poll; a request refused (503 SERVICE.STOPPING, or the connection refused) goes to the next
 * api. Nothing else is retried: a request that fails any other way is counted lost.
 */
export class Balancer {
  readonly counts: Counts = { requests: 0, refused: 0, connectionRefused: 0, lost: [] };
  private readonly apis = new Map<string, boolean>();
  private turn = 0;
  private polling: NodeJS.Timeout | undefined;

  add(url: string): void {
    this.apis.set(url, true);
  }

  remove(url: string): void {
    this.apis.delete(url);
  }

  /** The next api in turn, or the `preferred`-th of those ready (for requests that must go to different apis). */
  pick(preferred?: number): string {
    const ready = [...this.apis].filter(([, isReady]) => isReady).map(([url]) => url);
    const pool = ready.length > 0 ? ready : [...this.apis.keys()];
    return pool[(preferred ?? this.turn++) % pool.length];
  }

  startPolling(): void {
    this.polling = setInterval(() => {
      for (const url of this.apis.keys()) {
        void fetch(`${url}/health/ready`).then(
          (answer) => {
            if (this.apis.has(url)) this.apis.set(url, answer.status === 200);
          },
          () => this.apis.has(url) && this.apis.set(url, false),
        );
      }
    }, READY_POLL_MS);
  }

  stopPolling(): void {
    clearInterval(this.polling);
  }
}

export class BalancedClient extends ApiClient {
  constructor(
    private readonly balancer: Balancer,
    token: string | null,
    /** Send to the n-th ready api (then the next, if refused) rather than round robin. */
    private readonly prefer?: number,
  ) {
    super('balanced', token);
  }

  override as(token: string | null): ApiClient {
    return new BalancedClient(this.balancer, token, this.prefer);
  }

  /** The same caller through the n-th ready api. */
  through(n: number): BalancedClient {
    return new BalancedClient(this.balancer, this.token, n);
  }

  override async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const { counts } = this.balancer;
    counts.requests++;
    for (let attempt = 1; ; attempt++) {
      const url = this.balancer.pick(this.prefer === undefined ? undefined : this.prefer + attempt - 1);
      try {
        const answer = await new ApiClient(url, this.token).request<T>(method, path, body, headers);
        const refused =
          answer.status === 503 && (answer.body as { code?: string })?.code === 'SERVICE.STOPPING';
        if (!refused || attempt === 20) return answer;
        counts.refused++;
      } catch (error) {
        const code = ((error as Error).cause as { code?: string } | undefined)?.code;
        if (code !== 'ECONNREFUSED' || attempt === 20) {
          counts.lost.push(`${method} ${path} at ${url}: ${(error as Error).message} (${code ?? '?'})`);
          throw error;
        }
        counts.connectionRefused++;
      }
      await sleep(20);
    }
  }
}
