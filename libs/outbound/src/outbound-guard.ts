import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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

/**
 * Refuses a URL that is not http(s) or whose host resolves to a denied address (link-local, cloud metadata
 * by default). Every address the name resolves to is checked, so one good record cannot hide a bad one.
 */
export async function assertOutboundAllowed(target: string, deny: BlockList): Promise<URL> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundRefused(`${target} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundRefused(`${url.protocol} is not http(s)`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  for (const { address, family } of addresses) {
    if (deny.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
      throw new OutboundRefused(`${url.host} resolves to ${address}, which BATON_OUTBOUND_DENY refuses`);
    }
  }
  return url;
}
