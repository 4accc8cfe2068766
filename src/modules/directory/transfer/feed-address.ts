import dns from 'node:dns/promises';
import net from 'node:net';

/*
 * A feed to harvest must be on the public internet: an admin's form must not make the server
 * fetch its own loopback, the private network behind it or a cloud's metadata address
 * (169.254.169.254). Every address the host resolves to is checked, at the start and again at
 * every redirect. HARVEST_ALLOW_PRIVATE=true lifts this (a feed on the same private network).
 */

const blockedV4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const blockedV6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];

const list = new net.BlockList();
for (const [address, prefix] of blockedV4) list.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of blockedV6) list.addSubnet(address, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:127.0.0.1), if any. */
function embeddedV4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:(?:0:)?|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return null;
}

/** Whether an address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return list.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedV4(address);
    if (v4) return list.check(v4, 'ipv4');
    return list.check(address, 'ipv6');
  }
  return true; // not an address at all: never trusted
}

export const privateFeedsAllowed = (): boolean => process.env.HARVEST_ALLOW_PRIVATE === 'true';

/**
 * Resolves the URL's host and says why it may not be fetched, or null when it may. Only http and
 * https are fetched.
 */
export async function feedAddressProblem(url: URL, allowPrivate = privateFeedsAllowed()): Promise<string | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.href} is not an http:// or https:// address`;
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return `the host ${host} could not be found`;
    }
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside === undefined && addresses.length) return null;
  return `${host} is a loopback, private or link-local address (${inside ?? 'none'}), which is not harvested. A feed on your own network needs HARVEST_ALLOW_PRIVATE=true in the configuration`;
}
