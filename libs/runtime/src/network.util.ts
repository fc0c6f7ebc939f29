import { type AddressInfo, createServer, isIP } from 'node:net';

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
  // Loaded here, not with the library: `npm start` imports the launchers before anything else.
  const { Redis } = await import('ioredis');
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

/**
 * Where a server listening on `host` answers, for the start-up line: a URL that works from this machine,
 * and what the binding means (all interfaces, or this machine only).
 */
export function listeningAt(
  host: string,
  server: { address(): AddressInfo | string | null },
): { url: string; scope: string | null } {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const bracketed = (address: string): string => (isIP(address) === 6 ? `[${address}]` : address);
  switch (host) {
    case '0.0.0.0':
      return { url: `http://127.0.0.1:${port}`, scope: `bound to all interfaces, 0.0.0.0:${port}` };
    case '::':
    case '[::]':
      return { url: `http://localhost:${port}`, scope: `bound to all interfaces, [::]:${port}` };
    default: {
      const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
      return {
        url: `http://${bracketed(host)}:${port}`,
        scope: loopback ? 'this machine only' : null,
      };
    }
  }
}
