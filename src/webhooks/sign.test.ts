import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { secretHint, signWebhook, verifyWebhookSignature } from './sign.ts';

describe('webhook signatures', () => {
  const secret = 'whsec_0123456789abcdefghijklmnop';
  const body = '{"type":"task.status_entered","task":{"title":"Épissure — 9 Mountain"}}';

  it('signs "<t>.<raw body>" with HMAC-SHA256, Stripe-style', () => {
    const expected = createHmac('sha256', secret).update(`1774990800.${body}`, 'utf8').digest('hex');
    assert.equal(signWebhook(secret, body, 1774990800), `t=1774990800,v1=${expected}`);
  });

  it('verifies within the tolerance only, and refuses malformed headers', () => {
    const header = signWebhook(secret, body, 1000);
    assert.equal(verifyWebhookSignature(secret, header, body, 1299), true);
    assert.equal(verifyWebhookSignature(secret, header, body, 1301), false, 'a replay after five minutes');
    assert.equal(verifyWebhookSignature(secret, header.replace('t=1000', 't=1001'), body, 1001), false, 'the timestamp is signed');
    for (const bad of ['', 't=1000', 'v1=00', 't=abc,v1=00', `t=1000,v1=${'z'.repeat(64)}`])
      assert.equal(verifyWebhookSignature(secret, bad, body, 1000), false, bad);
  });

  it('hints at a secret by its last four characters', () => {
    assert.equal(secretHint(secret), 'whsec_…mnop');
    assert.equal(secretHint('my-own-secret-of-many-chars-1234'), '…1234');
  });
});
