import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A TCP port on 127.0.0.1 that nothing listens on right now (a server started next may still lose a race for it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('Could not find a free port'))));
    });
  });
}

/** True if a Redis at `url` answers PING with PONG within `timeoutMs` (auth and `/N` database honoured). */
export async function redisAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ping = client
      .connect()
      .then(() => client.ping())
      .then(
        (reply) => reply === 'PONG',
        () => false,
      );
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
    // After a failed connect the socket is gone already; ioredis's disconnect() would still arm a 2 s timer.
    if (client.status !== 'end') client.disconnect();
  }
}

/** `url` with its password replaced, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
