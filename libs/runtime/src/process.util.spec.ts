import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { findOnPath, isRunning, spawnWatchdog, stopChild, waitForExit } from './process.util.js';

describe('process utilities', () => {
  it('a watchdog signals its process when the pipe from us closes, as when we are killed', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const watchdog = spawnWatchdog(sleeper.pid!, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await isRunning(sleeper.pid!)).toBe(true);

    watchdog.stdin!.destroy(); // what the kernel does to our end of the pipe when we die

    expect(await waitForExit(sleeper, 2000)).toBe(true);
    expect(sleeper.signalCode).toBe('SIGTERM');
    expect(await waitForExit(watchdog, 2000)).toBe(true);
  });

  it('stopChild escalates when a process ignores the first signal', async () => {
    const stubborn = spawn('sh', ['-c', 'trap "" TERM; while :; do sleep 0.1; done'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    expect(
      await stopChild(stubborn, [
        ['SIGTERM', 300],
        ['SIGKILL', 1000],
      ]),
    ).toBe(true);
    expect(stubborn.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('finds executables on PATH', async () => {
    expect(await findOnPath('sh')).toMatch(/\/sh$/);
    expect(await findOnPath('no-such-program-baton')).toBeUndefined();
  });
});
