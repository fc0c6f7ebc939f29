import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What ties work to the request that caused it: the request id (X-Request-Id, taken from the caller when it
 * is a sane token, else made here) and, when tracing is on, the W3C `traceparent` of the span that did the
 * work. A command writes both into its outbox rows; the relay copies them into the jobs; a job runs under
 * them and writes them into what it derives (webhook deliveries, e-mails), so one id can be followed from
 * the api's log through the worker's into a webhook receiver's.
 */
export interface Correlation {
  requestId: string;
}

const current = new AsyncLocalStorage<Correlation>();

/** The correlation of the work running now, if any. */
export function correlation(): Correlation | undefined {
  return current.getStore();
}

/** Runs `work` (and everything it awaits or schedules) under `correlation`. */
export function withCorrelation<T>(correlation: Correlation, work: () => T): T {
  return current.run(correlation, work);
}

/** A caller's request id is kept when it is a token of up to 128 safe characters, else replaced. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:@\-/+=]{1,128}$/;

/** The request id of an incoming request: the caller's X-Request-Id when acceptable, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
}
