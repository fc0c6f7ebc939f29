import { lookup as systemLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Agent, RequestInit, Response } from 'undici';
import { activeTraceparent, correlation, inSpan, SpanKind } from '@baton/telemetry';

export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
}

/** The deny list of BATON_OUTBOUND_DENY as a BlockList. */
export function denyList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/** A resolver shaped like `dns.lookup` with `all: true`: every address of a name. */
export type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const denied = (deny: BlockList, address: string, family: number): boolean =>
  deny.check(address, family === 6 ? 'ipv6' : 'ipv4');

/**
 * The lookup a socket connects with: the name resolved once, every address checked against the deny list,
 * and only checked addresses handed to the socket. A check made on one lookup and a connection made after
 * another would let a name that answers differently the second time (DNS rebinding) reach a denied address.
 */
function checkedLookup(deny: BlockList, resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find(({ address, family }) => denied(deny, address, family));
      if (bad) {
        const refusal = new OutboundRefused(
          `${hostname} resolves to ${bad.address}, which BATON_OUTBOUND_DENY refuses`,
        ) as NodeJS.ErrnoException;
        return callback(refusal, '', 0);
      }
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '', 0);
      // `all` is what Node's connect asks for when it tries each address in turn (autoSelectFamily).
      if (options.all) return (callback as unknown as AllCallback)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

type AllCallback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

/**
 * HTTP calls to addresses users configure (probe URLs, webhooks): http(s) only, and never to an address the
 * deny list refuses. The address is checked where the socket connects, on the one lookup it connects with.
 */
export class OutboundHttp {
  private client: Promise<{ agent: Agent; fetch: typeof import('undici').fetch }> | null = null;

  constructor(
    private readonly deny: BlockList,
    private readonly resolve: Resolve = systemLookup,
  ) {}

  /** undici (about 110 modules) is loaded with the first call, not with every start. */
  private undici(): Promise<{ agent: Agent; fetch: typeof import('undici').fetch }> {
    return (this.client ??= import('undici').then(({ Agent, fetch }) => ({
      agent: new Agent({ connect: { lookup: checkedLookup(this.deny, this.resolve) } }),
      fetch,
    })));
  }

  /**
   * fetch(), refusing with OutboundRefused what the deny list refuses; redirects are never followed. The call is a
   * client span, and carries the work's X-Request-Id and (tracing on) its `traceparent`, so that the receiver can
   * tie what it got to the request that caused it.
   */
  async fetch(target: string, init: Omit<RequestInit, 'dispatcher' | 'redirect'> = {}): Promise<Response> {
    const url = this.check(target);
    const method = init.method ?? 'GET';
    return inSpan(
      method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          // Without the query, which may hold a secret.
          'url.full': `${url.protocol}//${url.host}${url.pathname}`,
          'server.address': url.hostname,
        },
      },
      async (span) => {
        const { agent, fetch } = await this.undici();
        const headers = Object.fromEntries(
          new Headers(init.headers as ConstructorParameters<typeof Headers>[0]),
        );
        const requestId = correlation()?.requestId;
        if (requestId && !('x-request-id' in headers)) headers['x-request-id'] = requestId;
        const traceparent = activeTraceparent();
        if (traceparent) headers.traceparent = traceparent;
        try {
          const response = await fetch(url, { ...init, headers, redirect: 'manual', dispatcher: agent });
          span.setAttribute('http.response.status_code', response.status);
          return response;
        } catch (error) {
          const cause = (error as { cause?: unknown }).cause;
          throw cause instanceof OutboundRefused ? cause : error;
        }
      },
    );
  }

  /** What can be refused before any lookup: the scheme, and an address written in the URL. */
  check(target: string): URL {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new OutboundRefused(`${target} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OutboundRefused(`${url.protocol} is not http(s)`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const family = isIP(host);
    if (family !== 0 && denied(this.deny, host, family)) {
      throw new OutboundRefused(`${url.host} is ${host}, which BATON_OUTBOUND_DENY refuses`);
    }
    return url;
  }

  /**
   * Lets the requests under way finish for up to `graceMs`, then ends those still open (a stopping worker has
   * handed their jobs back by then; they run again elsewhere).
   */
  async close(graceMs = 0): Promise<void> {
    if (!this.client) return;
    const { agent } = await this.client;
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      agent.close().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!closed) await agent.destroy();
  }
}
