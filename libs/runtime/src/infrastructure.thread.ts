import { Worker } from 'node:worker_threads';
import type { Infrastructure, InfrastructureOptions } from './infrastructure.types.js';

export type ToWorker = 'stop';
export type FromWorker =
  | { log: string }
  | { debug: string }
  | { ready: Omit<Infrastructure, 'stop'> }
  | { failed: { message: string; stack?: string } }
  | { stopped: true };

/**
 * startInfrastructure in a worker thread. `npm start` loads most of Baton's modules while PostgreSQL and
 * Redis come up, and loading blocks the main thread's event loop for up to a second at a time: the
 * launcher's steps (initdb, then the server, readiness probes) would wait on it. In a thread of its own
 * they run meanwhile. The thread stays until stop(): it keeps the child processes and reports, through the
 * main thread's `log`, what happens to them (an unexpected exit).
 */
export function startInfrastructureInWorker(options: InfrastructureOptions): Promise<Infrastructure> {
  const { log, debug, localRedisUrl, redisServer, ...rest } = options;
  const worker = new Worker(new URL('./infrastructure.worker.js', import.meta.url), {
    workerData: {
      ...rest,
      ...(localRedisUrl === undefined ? {} : { localRedisUrl }),
      ...(redisServer === undefined ? {} : { redisServer }),
      debug: debug !== undefined,
    },
    // The launcher needs little; Baton's heap cap applies to the main thread.
    resourceLimits: { maxOldGenerationSizeMb: 32 },
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= new Promise<void>((resolve) => {
      worker.ref(); // until it has stopped what it started
      worker.on('message', (message: FromWorker) => {
        if ('stopped' in message) resolve();
      });
      worker.once('exit', () => resolve());
      worker.postMessage('stop' satisfies ToWorker);
    }));
  return new Promise<Infrastructure>((resolve, reject) => {
    let started = false;
    worker.on('message', (message: FromWorker) => {
      if ('log' in message) log(message.log);
      else if ('debug' in message) debug?.(message.debug);
      else if ('ready' in message) {
        started = true;
        // From now on the application keeps the process alive, not this thread.
        worker.unref();
        resolve({ ...message.ready, stop });
      } else if ('failed' in message) {
        reject(Object.assign(new Error(message.failed.message), { stack: message.failed.stack }));
      }
    });
    worker.on('error', (error) => {
      if (started) log(`The infrastructure thread failed: ${error.message}`);
      else reject(error);
    });
    worker.once('exit', (code) => {
      if (!started) reject(new Error(`The infrastructure thread exited (code ${code}) before it was ready`));
    });
  });
}
