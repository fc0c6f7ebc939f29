/**
 * Stops cleanly on SIGINT or SIGTERM: runs `stop` once, and exits within `limitMs` whatever happens.
 * A second signal exits at once.
 */
export function runUntilSignal(stop: () => Promise<void>, log: (line: string) => void, limitMs = 4500): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${signal}: stopping`);
    const deadline = setTimeout(() => {
      log('Stopping took too long; exiting');
      process.exit(1);
    }, limitMs);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`Error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
