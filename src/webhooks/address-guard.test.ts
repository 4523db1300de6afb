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

  it('tells private, loopback, link-local and reserved addresses from public ones', () => {
    const blocked = ['127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', 'not-an-ip'];
    const open = ['8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700:4700::1111'];
    for (const a of blocked) assert.equal(isPrivateAddress(a), true, a);
    for (const a of open) assert.equal(isPrivateAddress(a), false, a);
  });

  it('accepts only http(s) URLs without credentials, and no private literal host unless allowed', () => {
    assert.equal(code(() => checkWebhookUrl('https://erp.example.com/hooks?x=1', false)), 'accepted');
    assert.equal(code(() => checkWebhookUrl('http://8.8.8.8/', false)), 'accepted');
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'not a url', 'https://user:pw@example.com/']) {
      assert.equal(code(() => checkWebhookUrl(url, true)), 'webhook_url_invalid', url);
    }
    for (const url of ['http://127.0.0.1:8080/', 'http://localhost/', 'http://api.localhost/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.1]/', 'http://10.1.2.3/']) {
      assert.equal(code(() => checkWebhookUrl(url, false)), 'webhook_url_not_allowed', url);
      assert.equal(code(() => checkWebhookUrl(url, true)), 'accepted', url);
    }
  });

  it('refuses at connection time a host name that resolves to a private address, sending nothing', async () => {
    const viaName = hook.url.replace('127.0.0.1', 'localhost');
    await assert.rejects(postJson(viaName, '{}', {}, { allowPrivate: false, timeoutMs: 5000 }), (err: Error) => err instanceof PermanentDeliveryError && /localhost resolves to a private address/.test(err.message));
    await assert.rejects(postJson(hook.url, '{}', {}, { allowPrivate: false, timeoutMs: 5000 }), PermanentDeliveryError);
    assert.equal(hook.received.length, 0);
    assert.equal(await postJson(viaName, '{"ok":true}', {}, { allowPrivate: true, timeoutMs: 5000 }), 204);
    assert.equal(hook.received[0].body, '{"ok":true}');
  });
});
