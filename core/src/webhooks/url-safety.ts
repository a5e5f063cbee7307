import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '../shared/errors.ts';

// A webhook URL must reach a globally reachable address: one resolving into the platform's own
// or any other non-public network is server-side request forgery. The ranges are those the IANA
// special-purpose address registries mark not globally reachable; for IPv6, everything outside
// 2000::/3 (the only global unicast allocation) is refused, and the forms that carry an IPv4
// address (mapped, compatible, translated, NAT64, 6to4, Teredo) are refused when that IPv4
// address would be.

const subnets = (family: 'ipv4' | 'ipv6', list: readonly (readonly [string, number])[]) => {
  const b = new BlockList();
  for (const [net, prefix] of list) b.addSubnet(net, prefix, family);
  return b;
};

const IPV4_NOT_GLOBAL = subnets('ipv4', [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments (DS-Lite, NAT64 discovery, …)
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 limited broadcast
]);

const IPV6_GLOBAL_UNICAST = subnets('ipv6', [['2000::', 3]]);
// Inside 2000::/3, not globally reachable.
const IPV6_NOT_GLOBAL = subnets('ipv6', [
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID, …
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
]);
// Outside 2000::/3 but decided by the IPv4 address they carry (a connection to one reaches that
// IPv4 address): IPv4-mapped and the NAT64 well-known prefix.
const IPV6_CARRIES_IPV4 = subnets('ipv6', [
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
]);

const one = (prefix: string, length: number) => subnets('ipv6', [[prefix, length]]);
// Where each form keeps its IPv4 address (byte offsets in the 16 bytes of the IPv6 address).
const EMBEDDINGS: { range: BlockList; at: (b: number[]) => number[][] }[] = [
  { range: one('::ffff:0:0', 96), at: (b) => [b.slice(12, 16)] }, // IPv4-mapped
  { range: one('::', 96), at: (b) => [b.slice(12, 16)] }, // IPv4-compatible (deprecated)
  { range: one('::ffff:0:0:0', 96), at: (b) => [b.slice(12, 16)] }, // IPv4-translated (SIIT)
  { range: one('64:ff9b::', 96), at: (b) => [b.slice(12, 16)] }, // NAT64, well-known prefix
  { range: one('64:ff9b:1::', 48), at: (b) => [[b[6]!, b[7]!, b[9]!, b[10]!]] }, // NAT64 local use (RFC 6052 /48 layout)
  { range: one('2002::', 16), at: (b) => [b.slice(2, 6)] }, // 6to4
  { range: one('2001::', 32), at: (b) => [b.slice(4, 8), b.slice(12, 16).map((x) => x ^ 0xff)] }, // Teredo: server, client (inverted)
];

/** The IPv4 addresses an IPv6 address carries (none for an IPv4 address or a plain IPv6 one). */
export function embeddedIPv4(address: string): string[] {
  if (isIP(address) !== 6) return [];
  const bytes = ipaddr.IPv6.parse(address).toByteArray();
  return EMBEDDINGS.filter((e) => e.range.check(address, 'ipv6')).flatMap((e) => e.at(bytes).map((v4) => ipaddr.fromByteArray(v4).toString()));
}

/** True unless `address` is a globally reachable IP address (anything else, a name included, is refused). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return IPV4_NOT_GLOBAL.check(address, 'ipv4');
  if (family !== 6) return true;
  let embedded: string[];
  try {
    embedded = embeddedIPv4(address);
  } catch {
    return true;
  }
  if (embedded.some((v4) => IPV4_NOT_GLOBAL.check(v4, 'ipv4'))) return true;
  if (IPV6_CARRIES_IPV4.check(address, 'ipv6')) return false;
  return !IPV6_GLOBAL_UNICAST.check(address, 'ipv6') || IPV6_NOT_GLOBAL.check(address, 'ipv6');
}

/**
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS (`true` or `1`) lets webhooks target loopback and private
 * networks, for local stacks and tests. A production process refuses to start with it.
 */
export function allowPrivateNetworksFromEnv(env: NodeJS.ProcessEnv): boolean {
  const allowed = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true' || env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === '1';
  if (allowed && env.NODE_ENV === 'production')
    throw new Error('WEBHOOK_ALLOW_PRIVATE_NETWORKS=true is refused when NODE_ENV=production: webhooks could reach private networks');
  return allowed;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Resolves a host name to its addresses; `dns.lookup` (the system resolver) by default. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export interface UrlCheck {
  allowPrivateNetworks: boolean;
  resolve?: Resolver;
}

/**
 * Resolves the URL's host once and checks every address it resolves to: all must be globally
 * reachable, unless private networks are allowed. Returns those addresses: the connection must go
 * to one of them and never resolve the host again (a second answer could be another address:
 * DNS rebinding).
 */
export async function resolveDeliverableUrl(url: string, options: UrlCheck): Promise<{ url: URL; addresses: ResolvedAddress[] }> {
  const parsed = parseWebhookUrl(url);
  // The URL parser has normalised the host: IPv4 in any notation is dotted decimal, IPv6 is bracketed.
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const family = isIP(host);
  let addresses: ResolvedAddress[];
  if (family) addresses = [{ address: host, family: family === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0)
      throw new AppError('validation_failed', `The webhook host ${host} does not resolve`, { errors: [{ path: 'url', message: 'host does not resolve' }] });
  }
  if (!options.allowPrivateNetworks && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new AppError('validation_failed', 'Webhook URLs may not point at loopback, private or other non-public networks', {
      errors: [{ path: 'url', message: 'resolves to a loopback, private or other non-public address' }],
    });
  }
  return { url: parsed, addresses };
}

function parseWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('validation_failed', 'Webhook URLs must be absolute http(s) URLs', { errors: [{ path: 'url', message: 'must be a URL' }] });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AppError('validation_failed', 'Webhook URLs must be http(s)', { errors: [{ path: 'url', message: 'must be http(s)' }] });
  }
  return parsed;
}

/**
 * Refuses a URL whose host resolves (any address) outside the public internet, unless allowed
 * (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, for local development and tests). Checked when an
 * endpoint is registered and again before every attempt (which then connects only to the
 * addresses it checked), since DNS can change.
 */
export async function assertDeliverableUrl(url: string, allowPrivateNetworks: boolean, resolve?: Resolver): Promise<void> {
  // Allowed private networks: any host will do, resolvable now or not (a local stack's).
  if (allowPrivateNetworks) parseWebhookUrl(url);
  else await resolveDeliverableUrl(url, { allowPrivateNetworks, ...(resolve ? { resolve } : {}) });
}
