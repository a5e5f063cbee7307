import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../shared/errors.ts';

// Loopback, private, link-local, carrier-grade NAT, unspecified and unique-local ranges: a
// webhook URL resolving into one of them could reach the platform's own network (SSRF).
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

/**
 * Refuses a URL whose host resolves (every address) into a private network, unless allowed
 * (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, for local development and tests). Checked when an
 * endpoint is registered and again before every attempt, since DNS can change.
 */
export async function assertDeliverableUrl(url: string, allowPrivateNetworks: boolean): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AppError('validation_failed', 'Webhook URLs must be http(s)', { errors: [{ path: 'url', message: 'must be http(s)' }] });
  }
  if (allowPrivateNetworks) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new AppError('validation_failed', `The webhook host ${host} does not resolve`, { errors: [{ path: 'url', message: 'host does not resolve' }] });
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new AppError('validation_failed', 'Webhook URLs may not point at loopback or private networks', {
      errors: [{ path: 'url', message: 'resolves to a loopback or private address' }],
    });
  }
}
