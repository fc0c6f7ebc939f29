import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { denyList, OutboundHttp, OutboundRefused, type Resolve } from './outbound-http.js';

/** A server on `host` that answers 200 and closes each connection (every request is a new connection). */
async function serve(host: string, port = 0): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '/');
    response.writeHead(200, { connection: 'close' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

/** A resolver that answers each lookup of any name with the next of `answers` (the last one repeats). */
function resolver(answers: string[]): Resolve & { calls: number } {
  const resolve = ((_hostname, _options, callback) => {
    const address = answers[Math.min(resolve.calls, answers.length - 1)];
    resolve.calls += 1;
    setImmediate(() => callback(null, [{ address, family: 4 }]));
  }) as Resolve & { calls: number };
  resolve.calls = 0;
  return resolve;
}

describe('OutboundHttp', () => {
  const deny = denyList(['169.254.0.0/16', 'fe80::/10', '127.0.0.2/32']);
  let allowed: Awaited<ReturnType<typeof serve>>;
  let internal: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    allowed = await serve('127.0.0.1');
    // The "internal" address the deny list protects, on the same port: only the address tells them apart.
    internal = await serve('127.0.0.2', allowed.port);
  });

  afterAll(async () => {
    for (const { server } of [allowed, internal]) await new Promise((resolve) => server.close(resolve));
  });

  it('reaches an allowed address', async () => {
    const http = new OutboundHttp(deny);
    expect((await http.fetch(`http://127.0.0.1:${allowed.port}/ok`)).status).toBe(200);
    await http.close();
  });

  it('refuses denied addresses written in the URL, other schemes and non-URLs, before connecting', async () => {
    const http = new OutboundHttp(deny);
    for (const target of [
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/',
      `http://127.0.0.2:${internal.port}/`,
      'file:///etc/passwd',
      'not a url',
    ]) {
      await expect(http.fetch(target)).rejects.toBeInstanceOf(OutboundRefused);
    }
    expect(internal.hits).toEqual([]);
    await http.close();
  });

  it('refuses a name that resolves to a denied address', async () => {
    const http = new OutboundHttp(deny, resolver(['127.0.0.2']));
    await expect(http.fetch(`http://internal.test:${internal.port}/`)).rejects.toBeInstanceOf(
      OutboundRefused,
    );
    expect(internal.hits).toEqual([]);
    await http.close();
  });

  it('connects to the address it checked: a name that answers otherwise on its second lookup never reaches the denied one', async () => {
    const resolve = resolver(['127.0.0.1', '127.0.0.2']);
    const http = new OutboundHttp(deny, resolve);
    const first = await http.fetch(`http://rebind.test:${allowed.port}/first`);
    expect(first.status).toBe(200);
    await expect(http.fetch(`http://rebind.test:${allowed.port}/second`)).rejects.toBeInstanceOf(
      OutboundRefused,
    );
    const seen = allowed.hits.filter((path) => path !== '/ok');
    expect({ allowed: seen, internal: internal.hits, lookups: resolve.calls }).toEqual({
      allowed: ['/first'],
      internal: [],
      lookups: 2,
    });
    await http.close();
  });
});
