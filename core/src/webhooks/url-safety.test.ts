import { describe, expect, it } from 'vitest';
import { allowPrivateNetworksFromEnv, embeddedIPv4, isPrivateAddress } from './url-safety.ts';

// Each refused address is not globally reachable (IANA IPv4 and IPv6 special-purpose address
// registries), or embeds an IPv4 address that is not.
const refused: [string, string][] = [
  // IPv4
  ['0.0.0.0', 'this network'],
  ['0.1.2.3', 'this network 0/8'],
  ['10.0.0.8', 'private'],
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.254', 'CGNAT top'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback top'],
  ['169.254.169.254', 'link-local (metadata)'],
  ['172.16.5.4', 'private'],
  ['172.31.255.255', 'private top'],
  ['192.0.0.8', 'IETF protocol assignments'],
  ['192.0.2.1', 'TEST-NET-1'],
  ['192.88.99.1', 'deprecated 6to4 relay anycast'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.1', 'benchmarking'],
  ['198.51.100.7', 'TEST-NET-2'],
  ['203.0.113.9', 'TEST-NET-3'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'limited broadcast'],
  // IPv6
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['::7f00:1', 'IPv4-compatible loopback (hex)'],
  ['::a9fe:a9fe', 'IPv4-compatible link-local'],
  ['::8.8.8.8', 'IPv4-compatible (deprecated) even with a public IPv4'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback (hex)'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['::ffff:0:127.0.0.1', 'IPv4-translated (SIIT) loopback'],
  ['::ffff:0:808:808', 'IPv4-translated (SIIT), not routable'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 well-known prefix, link-local'],
  ['64:ff9b::127.0.0.1', 'NAT64 well-known prefix, loopback'],
  ['64:ff9b::a00:1', 'NAT64 well-known prefix, private'],
  ['64:ff9b:1::808:808', 'NAT64 local-use prefix (not global)'],
  ['64:ff9b:1:7f00:0:100::', 'NAT64 local-use prefix, loopback'],
  ['2002:7f00:1::', '6to4 of loopback'],
  ['2002:a9fe:a9fe::1', '6to4 of link-local'],
  ['2002:c0a8:101::1', '6to4 of private'],
  ['2001::1', 'Teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo (whatever it embeds)'],
  ['2001:2::1', 'benchmarking'],
  ['2001:10::1', 'ORCHID (deprecated)'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation (3fff::/20)'],
  ['100::1', 'discard-only'],
  ['5f00::1', 'SRv6 SIDs'],
  ['fc00::1', 'unique-local'],
  ['fd00::1', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['febf::1', 'link-local top'],
  ['fec0::1', 'site-local (deprecated)'],
  ['feff::1', 'site-local top'],
  ['ff02::1', 'multicast'],
  ['ff0e::1', 'global multicast'],
  ['1::1', 'reserved by IETF (outside 2000::/3)'],
  ['4000::1', 'reserved by IETF (outside 2000::/3)'],
  // Not an address at all
  ['example.com', 'a name, not an address'],
  ['', 'empty'],
];

const allowed: [string, string][] = [
  ['8.8.8.8', 'public IPv4'],
  ['93.184.216.34', 'public IPv4'],
  ['1.1.1.1', 'public IPv4'],
  ['172.32.0.1', 'just past 172.16/12'],
  ['100.128.0.1', 'just past CGNAT'],
  ['11.0.0.1', 'just past 10/8'],
  ['192.0.3.1', 'just past TEST-NET-1'],
  ['223.255.255.254', 'just below multicast'],
  ['2606:4700:4700::1111', 'public IPv6'],
  ['2a00:1450:4001:81b::200e', 'public IPv6'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['64:ff9b::808:808', 'NAT64 well-known prefix, public IPv4'],
  ['2002:808:808::1', '6to4 of a public IPv4'],
];

describe('webhook target addresses', () => {
  it.each(refused)('refuses %s (%s)', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(allowed)('accepts %s (%s)', (address) => expect(isPrivateAddress(address)).toBe(false));

  it.each([
    ['::ffff:127.0.0.1', ['127.0.0.1']],
    ['::127.0.0.1', ['127.0.0.1']],
    ['::a9fe:a9fe', ['169.254.169.254']],
    ['::ffff:0:127.0.0.1', ['127.0.0.1']],
    ['64:ff9b::a9fe:a9fe', ['169.254.169.254']],
    ['64:ff9b:1:7f00:0:100::', ['127.0.0.1']],
    ['2002:7f00:1::', ['127.0.0.1']],
    // Teredo: the server's address and the client's (stored inverted).
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', ['65.54.227.120', '192.0.2.45']],
    ['2606:4700:4700::1111', []],
    ['8.8.8.8', []],
  ])('finds the IPv4 embedded in %s', (address, v4) => expect(embeddedIPv4(address)).toEqual(v4));
});

describe('WEBHOOK_ALLOW_PRIVATE_NETWORKS', () => {
  it('is off unless set, on with true or 1', () => {
    expect(allowPrivateNetworksFromEnv({})).toBe(false);
    expect(allowPrivateNetworksFromEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' })).toBe(false);
    expect(allowPrivateNetworksFromEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toBe(true);
    expect(allowPrivateNetworksFromEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1', NODE_ENV: 'development' })).toBe(true);
    expect(allowPrivateNetworksFromEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', NODE_ENV: 'production' })).toBe(false);
  });
  it('is refused when NODE_ENV=production', () => {
    expect(() => allowPrivateNetworksFromEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', NODE_ENV: 'production' })).toThrow(/NODE_ENV=production/);
    expect(() => allowPrivateNetworksFromEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1', NODE_ENV: 'production' })).toThrow(/NODE_ENV=production/);
  });
});
