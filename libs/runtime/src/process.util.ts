import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, readlink, realpath } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A signal to send, then how long to wait for the process to be gone before the next one. */
export type StopStep = readonly [signal: NodeJS.Signals, waitMs: number];

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves true once the child has exited, false if it still runs after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(hasExited(child));
    }, timeoutMs);
    child.once('exit', onExit);
  });
}

/** Sends each signal in turn until the child is gone; true if it is. Never waits longer than the steps add up to. */
export async function stopChild(child: ChildProcess, steps: readonly StopStep[]): Promise<boolean> {
  for (const [signal, waitMs] of steps) {
    if (hasExited(child)) return true;
    child.kill(signal);
    if (await waitForExit(child, waitMs)) return true;
  }
  return hasExited(child);
}

/** True while `pid` names a running process (a zombie counts as gone). */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // An orphan adopted by a PID 1 that does not reap stays a zombie and still answers kill(pid, 0).
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return true;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Like stopChild, for a process that is not our child (left over from a previous run). */
export async function stopPid(pid: number, steps: readonly StopStep[]): Promise<boolean> {
  for (const [signal, waitMs] of steps) {
    if (!(await isRunning(pid))) return true;
    try {
      process.kill(pid, signal);
    } catch {
      return !(await isRunning(pid));
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await sleep(50);
      if (!(await isRunning(pid))) return true;
    }
  }
  return !(await isRunning(pid));
}

/**
 * Whether `pid` is a server working in `directory`: both postgres and redis-server chdir into their
 * data folder, so on Linux the process's cwd identifies it even after its pid file went stale and
 * the pid was reused. Elsewhere, fall back to the executable's name.
 */
export async function runsIn(pid: number, directory: string, executableName: string): Promise<boolean> {
  if (process.platform === 'linux') {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    return cwd !== undefined && cwd === (await realpath(directory).catch(() => directory));
  }
  const command = await new Promise<string>((resolve) =>
    execFile('ps', ['-o', 'comm=', '-p', String(pid)], (error, stdout) => resolve(error ? '' : stdout)),
  );
  return command.includes(executableName);
}

/**
 * Ties a server's life to ours, even if we are killed with SIGKILL: a small shell whose stdin is a
 * pipe only we hold. When we die the pipe closes, `read` returns and the shell signals the server.
 * It runs in its own process group so a Ctrl-C in the terminal does not reach it; it does not keep
 * our event loop alive.
 */
export function spawnWatchdog(pid: number, signal: NodeJS.Signals): ChildProcess {
  const watchdog = spawn(
    '/bin/sh',
    [
      '-c',
      'read -r _ignored; kill -s "$1" "$2" 2>/dev/null',
      'baton-watchdog',
      signal.replace(/^SIG/, ''),
      String(pid),
    ],
    { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

/** The absolute path of `name` on PATH, or undefined. */
export async function findOnPath(name: string): Promise<string | undefined> {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Collects a child's output lines, keeps the last few for error messages and hands each to `onLine`. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly keep: number,
    private readonly onLine: (line: string) => void = () => undefined,
  ) {}

  attach(stream: NodeJS.ReadableStream | null): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => this.push(chunk));
  }

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
      this.onLine(line);
    }
  }

  text(): string {
    return [...this.lines, this.partial].filter((line) => line.trim()).join('\n');
  }
}

/** A server process started and answering (with its watchdog), or why not and whether another port may help. */
export type ServerStart =
  { ok: true; child: ChildProcess; watchdog: ChildProcess } | { ok: false; retry: boolean; output: string };

/**
 * Waits for a server just spawned to answer. `check` says `true` when it answers, `false` while it starts,
 * or a reason to give up at once; past `timeoutMs` it is stopped. A child that exits fails with `retry` when
 * its output matches `retryable` (a port taken, say), so the caller can try another port.
 */
export async function awaitServer(server: {
  child: ChildProcess;
  watchdog: ChildProcess | undefined;
  output: OutputTail;
  retryable: RegExp;
  check: () => Promise<boolean | string>;
  timeoutMs: number;
  intervalMs: number;
  stopSteps: readonly StopStep[];
}): Promise<ServerStart> {
  const { child, watchdog, output } = server;
  const deadline = Date.now() + server.timeoutMs;
  for (;;) {
    if (hasExited(child) || !watchdog) {
      watchdog?.kill('SIGKILL');
      const text = output.text();
      return { ok: false, retry: server.retryable.test(text), output: text };
    }
    const state = await server.check();
    if (state === true) return { ok: true, child, watchdog };
    if (typeof state === 'string' || Date.now() > deadline) {
      await stopChild(child, server.stopSteps);
      watchdog.kill('SIGKILL');
      return {
        ok: false,
        retry: false,
        output: `${output.text()}\n(${state === false ? 'not ready in time' : state})`,
      };
    }
    await sleep(server.intervalMs);
  }
}
