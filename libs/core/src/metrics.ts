import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one process (api, worker or both), served at /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'baton_commands_total',
    help: 'Handover commands by action and outcome (ok, refused, conflict, error)',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandSeconds = new Histogram({
    name: 'baton_command_duration_seconds',
    help: 'Time to run a handover command through the command path',
    labelNames: ['action'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly httpRequests = new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly timerLateness = new Histogram({
    name: 'baton_timer_lateness_seconds',
    help: 'How long after its due time a timer fired',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'baton_jobs_total',
    help: 'Jobs processed by the worker, by job name and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly tokenLookups = new Counter({
    name: 'baton_token_lookups_total',
    help: 'Bearer token lookups: found, unknown (asked the database), unknown_cached (answered from memory)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'baton_rate_limited_total',
    help: 'Requests refused 429, by what they counted against: a token, or an address',
    labelNames: ['by'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_process_' });
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
