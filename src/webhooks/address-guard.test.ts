import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PermanentDeliveryError } from '../outbox/index.ts';
import { AppError } from '../shared/errors.ts';
import { checkWebhookUrl, isPrivateAddress } from './address-guard.ts';
import { postJson } from './post.ts';
import { startReceiver, type TestReceiver } from './testkit.ts';

const code = (fn: () => void) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
};

describe('webhook addresses (SSRF guard)', () => {
  let hook: TestReceiver;
  before(async () => {
    hook = await startReceiver();
  });
  after(() => hook.close());

  // Every special-purpose range a webhook must not reach, with an address inside it.
  const blocked: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '"this network" 0/8'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved 240/4'],
    ['192.0.0.8', 'IETF protocol assignments 192.0.0/24'],
    ['192.0.2.10', 'documentation TEST-NET-1'],
    ['198.51.100.7', 'documentation TEST-NET-2'],
    ['203.0.113.99', 'documentation TEST-NET-3'],
    ['198.18.0.1', 'benchmarking 198.18/15'],
    ['198.19.255.1', 'benchmarking 198.18/15'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['::7f00:1', 'IPv4-compatible ::/96'],
    ['::8.8.8.8', 'IPv4-compatible ::/96'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped (even of a public address: refuse, do not unwrap)'],
    ['::ffff:0:a00:1', 'IPv4-translated (RFC 6145)'],
    ['64:ff9b::7f00:1', 'NAT64 64:ff9b::/96'],
    ['64:ff9b:1::a00:1', 'local NAT64 64:ff9b:1::/48'],
    ['2002:7f00:1::1', '6to4 2002::/16'],
    ['2001::1', 'Teredo 2001::/32'],
    ['2001:db8::1', 'documentation 2001:db8::/32'],
    ['2001:2::1', 'benchmarking 2001:2::/48'],
    ['100::1', 'discard 100::/64'],
    ['fd00::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fec0::1', 'deprecated site-local'],
    ['ff02::1', 'multicast'],
    ['4000::1', 'outside global unicast 2000::/3'],
    ['not-an-ip', 'not an address'],
    ['0x7f.1', 'non-canonical IPv4 form'],
    ['2130706433', 'IPv4 as one number'],
  ];
  const open = [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '192.169.0.1',
    '100.128.0.1',
    '192.0.3.1',
    '198.51.101.1',
    '203.0.114.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
  ];

  it('refuses every address outside global unicast, and allows public ones', () => {
    for (const [a, why] of blocked) assert.equal(isPrivateAddress(a), true, `${a} (${why}) must be refused`);
    for (const a of open) assert.equal(isPrivateAddress(a), false, `${a} is public`);
  });

  it('refuses those ranges as literal hosts when a rule is saved', () => {
    for (const [a] of blocked.filter(([a]) => /^[\d.]+$/.test(a) && a.split('.').length === 4)) {
      assert.equal(
        code(() => checkWebhookUrl(`http://${a}/`, false)),
        'webhook_url_not_allowed',
        a,
      );
    }
    for (const [a] of blocked.filter(([a]) => a.includes(':'))) {
      assert.equal(
        code(() => checkWebhookUrl(`http://[${a}]:8080/`, false)),
        'webhook_url_not_allowed',
        a,
      );
    }
  });

  it('accepts only http(s) URLs without credentials, and no private literal host unless allowed', () => {
    assert.equal(
      code(() => checkWebhookUrl('https://erp.example.com/hooks?x=1', false)),
      'accepted',
    );
    assert.equal(
      code(() => checkWebhookUrl('http://8.8.8.8/', false)),
      'accepted',
    );
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'not a url', 'https://user:pw@example.com/']) {
      assert.equal(
        code(() => checkWebhookUrl(url, true)),
        'webhook_url_invalid',
        url,
      );
    }
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://localhost/',
      'http://api.localhost/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/',
      'http://10.1.2.3/',
    ]) {
      assert.equal(
        code(() => checkWebhookUrl(url, false)),
        'webhook_url_not_allowed',
        url,
      );
      assert.equal(
        code(() => checkWebhookUrl(url, true)),
        'accepted',
        url,
      );
    }
  });

  it('refuses at connection time a host name that resolves to a private address, sending nothing', async () => {
    const viaName = hook.url.replace('127.0.0.1', 'localhost');
    await assert.rejects(
      postJson(viaName, '{}', {}, { allowPrivate: false, timeoutMs: 5000 }),
      (err: Error) => err instanceof PermanentDeliveryError && /localhost resolves to a private address/.test(err.message),
    );
    await assert.rejects(postJson(hook.url, '{}', {}, { allowPrivate: false, timeoutMs: 5000 }), PermanentDeliveryError);
    assert.equal(hook.received.length, 0);
    assert.equal(await postJson(viaName, '{"ok":true}', {}, { allowPrivate: true, timeoutMs: 5000 }), 204);
    assert.equal(hook.received[0].body, '{"ok":true}');
  });
});
