// The worker thread of startInfrastructureInWorker: starts the infrastructure with an event loop of its
// own, reports its lines and the result to the main thread, and stops it when asked.
import { parentPort, workerData } from 'node:worker_threads';
import { startInfrastructure } from './infrastructure.launcher.js';
import type { InfrastructureOptions } from './infrastructure.types.js';
import type { FromWorker, ToWorker } from './infrastructure.thread.js';

const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);
const options = workerData as Omit<InfrastructureOptions, 'log' | 'debug'> & { debug: boolean };

try {
  const infrastructure = await startInfrastructure({
    ...options,
    log: (line) => post({ log: line }),
    debug: options.debug ? (line) => post({ debug: line }) : undefined,
  });
  // Listening keeps this thread, and the child processes it watches, alive until the main thread says stop.
  port.on('message', (message: ToWorker) => {
    if (message !== 'stop') return;
    void infrastructure.stop().finally(() => {
      post({ stopped: true });
      port.close();
    });
  });
  const { databaseUrl, postgres, queue } = infrastructure;
  post({ ready: { databaseUrl, postgres, queue } });
} catch (error) {
  post({ failed: { message: (error as Error).message, stack: (error as Error).stack } });
}
