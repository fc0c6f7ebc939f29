import { Injectable } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BatonConfig } from '@baton/config';
import { AppError, AppErrorCode } from '@baton/errors';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

/** Seconds a refused client is asked to wait: another api (or this one's successor) takes it by then. */
export const DRAIN_RETRY_AFTER_S = 1;

/** Requests that are not counted in flight nor refused: the probes, and the event stream (it is ended on close). */
function exempt(request: FastifyRequest): 'probe' | 'stream' | null {
  const path = request.url.split('?', 1)[0];
  if (path === '/health' || path.startsWith('/health/')) return 'probe';
  if (path === '/v1/events') return 'stream';
  return null;
}

export interface DrainOutcome {
  /** Requests still running when the wait ended (0 unless `timeoutMs` ran out). */
  unfinished: number;
  /** Requests refused with 503 while draining, up to the moment the drain returned. */
  refused: number;
  ms: number;
}

/**
 * The api's part of a graceful stop. `drain` marks the process as stopping: `/health/ready` answers 503 at
 * once (a load balancer takes the process out of rotation), every new request but the probes is refused with
 * 503 `SERVICE.STOPPING` and `Retry-After` (nothing of it has run, so a client may send it elsewhere as it
 * is), and the requests already running finish; then the application closes. `/health/live` stays 200.
 */
@Injectable()
export class HttpDrain {
  /** Readiness says 503 from here on. */
  private notReady = false;
  /** New requests are refused from here on. */
  private refusing = false;
  private inFlight = 0;
  private refused = 0;
  private idle: (() => void)[] = [];

  get draining(): boolean {
    return this.notReady;
  }

  /** Counts requests in flight and refuses new ones once draining (an onRequest hook: nothing of a refused
   * request has run). */
  register(fastify: FastifyInstance, refuse: (reply: FastifyReply, error: AppError) => void): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (exempt(request) !== null) return done();
      if (this.refusing) {
        this.refused++;
        void reply.header('retry-after', String(DRAIN_RETRY_AFTER_S)).header('connection', 'close');
        refuse(
          reply,
          new AppError(AppErrorCode.Stopping, 'This Baton api is stopping; send the request again', {
            retryAfter: DRAIN_RETRY_AFTER_S,
          }),
        );
        return;
      }
      this.inFlight++;
      // 'close' comes once the answer is sent or the client went away, whichever path the request took.
      reply.raw.once('close', () => this.finished());
      done();
    });
  }

  /**
   * Says not ready, starts refusing after `delayMs` (a load balancer that polls readiness needs a moment to
   * take the process out of rotation; meanwhile requests are served), then waits for the requests in
   * flight, at most `timeoutMs`.
   */
  async drain({ delayMs = 0, timeoutMs }: { delayMs?: number; timeoutMs: number }): Promise<DrainOutcome> {
    const started = performance.now();
    this.notReady = true;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    this.refusing = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.idle.push(wake);
      });
    }
    return { unfinished: this.inFlight, refused: this.refused, ms: Math.round(performance.now() - started) };
  }

  private finished(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const wake of this.idle.splice(0)) wake();
  }
}

/**
 * The api's stop after SIGTERM: not ready at once, refusing after the drain delay, the running requests
 * finished (at most half the stop timeout), then the application closed (open event streams end; their
 * browsers reconnect elsewhere with Last-Event-ID).
 */
export async function stopHttpApp(
  app: NestFastifyApplication,
  config: Pick<BatonConfig, 'stop'>,
  log: (line: string) => void,
): Promise<void> {
  const { unfinished, refused, ms } = await app.get(HttpDrain).drain({
    delayMs: config.stop.drainDelayMs,
    timeoutMs: config.stop.timeoutMs / 2,
  });
  if (refused > 0 || unfinished > 0) {
    log(
      `Stopped taking requests: ${refused} refused with 503 while draining, ` +
        `${unfinished === 0 ? 'every running request finished' : `${unfinished} still running after ${ms} ms`}`,
    );
  }
  await app.close();
}
