/**
 * Stops cleanly on SIGINT or SIGTERM: runs `stop` once, says so once everything is closed, and exits 0;
 * whatever happens, it exits within `limitMs` (1 if stopping failed or took too long). A second signal
 * exits at once.
 */
export function runUntilSignal(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  log: (line: string) => void,
  limitMs = 4500,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    const started = performance.now();
    log(`Stopping (${signal})`);
    const deadline = setTimeout(() => {
      log('Stopping took too long; exiting');
      process.exit(1);
    }, limitMs);
    deadline.unref();
    stop(signal).then(
      () => {
        log(`Baton stopped (${Math.round(performance.now() - started)} ms)`);
        process.exit(0);
      },
      (error: unknown) => {
        log(`Error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
