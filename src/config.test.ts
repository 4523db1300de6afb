import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, mailAddressOf } from './config.ts';

describe('loadConfig: mail and worker settings', () => {
  it('works out of the box: no SMTP (.eml files), a default sender, the worker on', () => {
    const c = loadConfig({});
    assert.equal(c.smtpUrl, null);
    assert.equal(mailAddressOf(c.mailFrom), 'no-reply@chantier.local');
    assert.equal(c.worker, true);
  });

  it('reads SMTP_URL, MAIL_FROM and CHANTIER_WORKER=off', () => {
    const c = loadConfig({ SMTP_URL: 'smtp://user:pass@mail.example.com:587', MAIL_FROM: 'Martin <factures@martin.example>', CHANTIER_WORKER: 'off' });
    assert.equal(c.smtpUrl, 'smtp://user:pass@mail.example.com:587');
    assert.equal(mailAddressOf(c.mailFrom), 'factures@martin.example');
    assert.equal(c.worker, false);
  });

  it('refuses at start an SMTP_URL, MAIL_FROM or CHANTIER_WORKER it cannot use', () => {
    assert.throws(() => loadConfig({ SMTP_URL: 'http://mail.example.com' }), ConfigError);
    assert.throws(() => loadConfig({ SMTP_URL: 'mail.example.com:587' }), ConfigError);
    assert.throws(() => loadConfig({ MAIL_FROM: 'Martin' }), ConfigError);
    assert.throws(() => loadConfig({ MAIL_FROM: 'Martin <not an address>' }), ConfigError);
    assert.throws(() => loadConfig({ CHANTIER_WORKER: 'yes' }), ConfigError);
    assert.doesNotThrow(() => loadConfig({ SMTP_URL: 'smtps://mail.example.com:465', MAIL_FROM: 'factures@martin.example' }));
  });
});
