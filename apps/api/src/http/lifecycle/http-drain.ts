import { Injectable } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BatonConfig } from '@baton/config';
import { runUntilSignal } from '@baton/core';
import { AppError, AppErrorCode } from '@baton/errors';
import { type Socket } from 'node:net';
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
  /** Connections other than event streams still open when the wait ended. */
  connections: number;
  /** Requests refused with 503 while draining, up to the moment the drain returned. */
  refused: number;
  ms: number;
}

/**
 * Once the running requests are done, how long a stopping api keeps the connections its clients still hold:
 * a request already on its way over one is answered (503, Connection: close) rather than cut, which the
 * client would see as a reset without knowing whether the request ran. A load balancer that follows
 * readiness has stopped sending by then; the connections left idle are closed with the application.
 */
export const LINGER_MS = 1000;

/**
 * The api's part of a graceful stop. `drain` marks the process as stopping: `/health/ready` answers 503 at
 * once (a load balancer takes the process out of rotation); after the drain delay every new request but the
 * probes is refused with 503 `SERVICE.STOPPING` and `Retry-After` (nothing of it has run, so a client may
 * send it elsewhere as it is) and every answer closes its connection; the drain ends when the requests that
 * were running have finished and, LINGER_MS at most, the clients' connections are closed, event streams aside
 * (the application's close ends those; browsers reconnect elsewhere with Last-Event-ID). `/health/live`
 * stays 200.
 */
@Injectable()
export class HttpDrain {
  /** Readiness says 503 from here on. */
  private notReady = false;
  /** New requests are refused, and every answer closes its connection, from here on. */
  private refusing = false;
  private inFlight = 0;
  private refused = 0;
  private readonly connections = new Set<Socket>();
  private readonly streams = new WeakSet<Socket>();
  private waiters: (() => void)[] = [];

  get draining(): boolean {
    return this.notReady;
  }

  /**
   * Counts connections and requests in flight, and refuses new requests once draining: an onRequest hook, so
   * nothing of a refused request has run.
   */
  register(fastify: FastifyInstance, refuse: (reply: FastifyReply, error: AppError) => void): void {
    fastify.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => {
        this.connections.delete(socket);
        this.changed();
      });
    });
    fastify.addHook('onRequest', (request, reply, done) => {
      const kind = exempt(request);
      if (kind === 'stream') this.streams.add(request.raw.socket);
      if (kind !== null) return done();
      if (this.refusing) {
        this.refused++;
        void reply.header('retry-after', String(DRAIN_RETRY_AFTER_S));
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
      reply.raw.once('close', () => {
        this.inFlight--;
        this.changed();
      });
      done();
    });
    fastify.addHook('onSend', async (_request, reply, payload) => {
      if (this.refusing) void reply.header('connection', 'close');
      return payload;
    });
  }

  /**
   * Says not ready, starts refusing after `delayMs` (a load balancer that polls readiness needs a moment to
   * take the process out of rotation; meanwhile requests are served), then waits, at most `timeoutMs` from
   * then, for the running requests to finish, and then up to LINGER_MS for the clients' connections to close.
   */
  async drain({
    delayMs = 0,
    timeoutMs,
    connections = true,
  }: {
    delayMs?: number;
    timeoutMs: number;
    /** Linger for the connections too (false: wait for the running requests only). */
    connections?: boolean;
  }): Promise<DrainOutcome> {
    const started = performance.now();
    this.notReady = true;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    this.refusing = true;
    // The time allowed runs from here: the drain delay is the load balancer's, not the requests'.
    const refusing = performance.now();
    await this.until(() => this.inFlight === 0, timeoutMs);
    if (connections) {
      const left = timeoutMs - (performance.now() - refusing);
      await this.until(() => this.inFlight === 0 && this.openConnections() === 0, Math.min(LINGER_MS, left));
    }
    return {
      unfinished: this.inFlight,
      connections: this.openConnections(),
      refused: this.refused,
      ms: Math.round(performance.now() - started),
    };
  }

  private openConnections(): number {
    return [...this.connections].filter((socket) => !this.streams.has(socket)).length;
  }

  /** Resolves once `done` holds (checked whenever a request ends or a connection closes), or after `ms`. */
  private async until(done: () => boolean, ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (!done() && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, deadline - performance.now());
        this.waiters.push(wake);
      });
    }
  }

  private changed(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/**
 * The api's stop after SIGTERM (or Ctrl+C, which does not linger for connections): not ready at once,
 * refusing after the drain delay, the running requests finished and the connections let go (within the stop
 * timeout, less 4 s), then the application closed (open event streams end; their browsers reconnect
 * elsewhere with Last-Event-ID).
 */
export async function stopHttpApp(
  app: NestFastifyApplication,
  config: Pick<BatonConfig, 'stop'>,
  log: (line: string) => void,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  // Ctrl+C is a person at a terminal: the running requests finish, the connections are not waited for.
  const interactive = signal === 'SIGINT';
  const { unfinished, connections, refused, ms } = await app.get(HttpDrain).drain({
    connections: !interactive,
    delayMs: config.stop.drainDelayMs,
    // What is left of the stop timeout after the drain is enough to close the application and the runtime.
    timeoutMs: Math.max(1000, config.stop.timeoutMs - 4000),
  });
  if (refused > 0 || unfinished > 0 || connections > 0) {
    log(
      `Stopped taking requests in ${ms} ms: ${refused} refused with 503 while draining, ` +
        (unfinished === 0 ? 'every running request finished' : `${unfinished} still running`) +
        (connections === 0 ? '' : `, ${connections} connections still open`),
    );
  }
  await app.close();
}

/**
 * From here on Ctrl+C and SIGTERM stop the process in order: the HTTP application (stopHttpApp), then the
 * runtime (database, queues), within the drain delay and the stop timeout.
 */
export function stopOnSignal(
  app: NestFastifyApplication,
  runtime: { close(): Promise<void> },
  config: Pick<BatonConfig, 'stop'>,
  log: (line: string) => void,
): void {
  runUntilSignal(
    async (signal) => {
      await stopHttpApp(app, config, log, signal);
      await runtime.close();
    },
    log,
    config.stop.drainDelayMs + config.stop.timeoutMs,
  );
}
