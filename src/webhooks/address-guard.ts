import { BlockList, isIP } from 'node:net';
import { invalid } from '../shared/errors.ts';

/**
 * Server-side request forgery: a webhook URL is chosen by an organization's admin, and the
 * server POSTs to it. Unless CHANTIER_WEBHOOK_ALLOW_PRIVATE=true, addresses that reach the
 * server itself or its private network are refused: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, unique-local, multicast, unspecified,
 * reserved — and those IPv4 addresses written as IPv4-mapped IPv6 (::ffff:127.0.0.1), which
 * Node's BlockList checks against the IPv4 ranges. Checked at save for literal addresses and
 * `localhost`, and at every delivery on the address actually connected to (so DNS cannot
 * answer differently later). Not covered: NAT64 prefixes (64:ff9b::/96) and redirects (never
 * followed).
 */
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
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** Is this IP address one a webhook must not reach (see above)? */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse rather than guess
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The bare host of a URL: brackets off an IPv6 literal. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** At save: an http(s) URL without credentials, and no private literal address unless allowed. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): void {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw invalid('webhook_url_invalid', 'the webhook URL must be http:// or https://', { field: 'url' });
  if (url.username || url.password) throw invalid('webhook_url_invalid', 'the webhook URL must not carry credentials; the signature authenticates the sender', { field: 'url' });
  if (allowPrivate) return;
  const host = hostOf(url).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host))) {
    throw invalid('webhook_url_not_allowed', `the webhook URL points at a private or loopback address (${host}); set CHANTIER_WEBHOOK_ALLOW_PRIVATE=true to allow it`, { field: 'url' });
  }
}
