import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

/** A local HTTP endpoint for webhooks and probes; `answer` picks each response's status. */
export class Receiver {
  readonly received: Received[] = [];
  private server: Server | null = null;
  answer: (request: Received, count: number) => number = () => 200;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = body ? JSON.parse(body) : null;
        } catch {
          json = null;
        }
        const entry = { path: request.url ?? '/', headers: request.headers, body, json, at: Date.now() };
        this.received.push(entry);
        const count = this.received.filter((item) => item.path === entry.path).length;
        response.writeHead(this.answer(entry, count)).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits until `predicate` holds for what was received. */
  async waitFor(predicate: (received: Received[]) => boolean, timeoutMs = 15_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline) throw new Error(`receiver: timed out with ${this.received.length} requests`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.received;
  }
}

export function validSignature(secret: string, received: Received): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(received.body).digest('hex')}`;
  return received.headers['x-baton-signature'] === expected;
}
