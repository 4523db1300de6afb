import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { invalid } from '../shared/errors.ts';

/**
 * Server-side request forgery: a webhook URL is chosen by an organization's admin, and the
 * server POSTs to it. Unless CHANTIER_WEBHOOK_ALLOW_PRIVATE=true, only global unicast
 * addresses are allowed. ipaddr.js classifies an address by the IANA special-purpose
 * registries (loopback, private, link-local with cloud metadata at 169.254.169.254, CGNAT,
 * documentation 192.0.2.0/24 198.51.100.0/24 203.0.113.0/24 2001:db8::/32, benchmarking,
 * 6to4 2002::/16, Teredo, NAT64 64:ff9b::/96, IPv4-mapped ::ffff:0:0/96, multicast, reserved…):
 * anything it does not call `unicast` is refused. Two gaps of its table are closed here: the
 * deprecated IPv4-compatible block ::/96 (it calls ::a.b.c.d unicast) and IPv6 outside the
 * global unicast block 2000::/3 (unassigned space). Checked at save for literal addresses and
 * `localhost`, and at every delivery on the address actually connected to (so DNS cannot
 * answer differently later). Redirects are never followed.
 */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Is this IP address one a webhook must not reach (see above)? */
export function isPrivateAddress(address: string): boolean {
  // node:net's isIP is strict (no octal, hex or short IPv4 forms); anything else is refused.
  if (isIP(address) === 0) return true;
  const ip = ipaddr.parse(address);
  if (ip.range() !== 'unicast') return true;
  if (ip.kind() === 'ipv6') return ip.match(IPV4_COMPATIBLE) || !ip.match(GLOBAL_UNICAST_V6);
  return false;
}

/** The bare host of a URL: brackets off an IPv6 literal. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** At save: an http(s) URL without credentials, and no private literal address unless allowed. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): void {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw invalid('webhook_url_invalid', 'the webhook URL must be http:// or https://', { field: 'url' });
  if (url.username || url.password)
    throw invalid('webhook_url_invalid', 'the webhook URL must not carry credentials; the signature authenticates the sender', { field: 'url' });
  if (allowPrivate) return;
  const host = hostOf(url).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host))) {
    throw invalid(
      'webhook_url_not_allowed',
      `the webhook URL points at a private or loopback address (${host}); set CHANTIER_WEBHOOK_ALLOW_PRIVATE=true to allow it`,
      { field: 'url' },
    );
  }
}
