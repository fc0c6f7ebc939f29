import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Buckets of request and command durations, in seconds. */
const SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Prometheus metrics of one process (api, worker or both), served at /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly commands = this.counter(
    'baton_commands_total',
    'Handover commands by action and outcome (ok, refused, conflict, error)',
    ['action', 'outcome'] as const,
  );

  readonly commandSeconds = this.histogram(
    'baton_command_duration_seconds',
    'Time to run a handover command through the command path',
    ['action'] as const,
    SECONDS,
  );

  readonly httpRequests = this.histogram(
    'baton_http_request_duration_seconds',
    'HTTP requests by method, route and status',
    ['method', 'route', 'status'] as const,
    SECONDS,
  );

  readonly timerLateness = this.histogram(
    'baton_timer_lateness_seconds',
    'How long after its due time a timer fired',
    ['kind'] as const,
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  );

  readonly jobs = this.counter('baton_jobs_total', 'Jobs processed by the worker, by job name and outcome', [
    'job',
    'outcome',
  ] as const);

  readonly tokenLookups = this.counter(
    'baton_token_lookups_total',
    'Bearer token lookups: found, unknown (asked the database), unknown_cached (answered from memory)',
    ['outcome'] as const,
  );

  readonly rateLimited = this.counter(
    'baton_rate_limited_total',
    'Requests refused 429, by what they counted against: a token, or an address',
    ['by'] as const,
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_process_' });
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge whose value is read when Prometheus scrapes. */
  gauge(
    name: string,
    help: string,
    labelNames: string[],
    read: (set: (labels: Record<string, string>, value: number) => void) => Promise<void>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await read((labels, value) => this.set(labels, value));
      },
    });
  }
}
