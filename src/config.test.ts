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

describe('loadConfig: every environment variable is checked at start', () => {
  // One unusable value per variable, and the words the message must hold besides the name.
  const bad: Record<string, [string, RegExp]> = {
    DATABASE_URL: ['mysql://u:secret@db/chantier', /postgres:\/\//],
    PORT: ['80a', /whole number from 0 to 65535/],
    CHANTIER_SIGNUP: ['maybe', /"open" or "closed"/],
    CHANTIER_MAX_UPLOAD_MB: ['0', /whole number from 1 to 10000/],
    CHANTIER_SESSION_TTL_HOURS: ['1.5', /whole number/],
    LOG_LEVEL: ['verbose', /one of "fatal", "error", "warn", "info", "debug", "trace", "silent" \(it is "verbose"\)/],
    CHANTIER_TRUST_PROXY: ['yes', /"true" or "false" \(it is "yes"\)/],
    CHANTIER_PUBLIC_URL: ['chantier.example.com', /http:\/\/ or https:\/\//],
    SMTP_URL: ['http://u:secret@mail.example.com', /smtp:\/\//],
    MAIL_FROM: ['Martin', /an address/],
    CHANTIER_WORKER: ['yes', /"on" or "off"/],
    CHANTIER_SCHEDULER: ['1', /"on" or "off"/],
    CHANTIER_WEBHOOK_ALLOW_PRIVATE: ['on', /"true" or "false"/],
  };

  for (const [name, [value, words]] of Object.entries(bad)) {
    it(`refuses ${name}=${value}, naming ${name}`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, new RegExp(`^${name} `));
          assert.match(err.message, words);
          assert.doesNotMatch(err.message, /secret/, 'a URL’s password is never echoed');
          return true;
        },
      );
    });
  }

  it('names every variable at fault at once', () => {
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud', CHANTIER_TRUST_PROXY: '1', PORT: '-1' }), /PORT .*; LOG_LEVEL .*; CHANTIER_TRUST_PROXY /);
  });

  it('takes the documented values, treats empty as unset, and drops a trailing slash from the public URL', () => {
    const c = loadConfig({
      LOG_LEVEL: 'warn',
      CHANTIER_TRUST_PROXY: 'true',
      CHANTIER_PUBLIC_URL: 'https://chantier.example.com/',
      PORT: '',
      CHANTIER_SIGNUP: 'closed',
    });
    assert.equal(c.logLevel, 'warn');
    assert.equal(c.trustProxy, true);
    assert.equal(c.publicUrl, 'https://chantier.example.com');
    assert.equal(c.port, 3000);
    assert.equal(c.signup, 'closed');
    assert.equal(loadConfig({}).publicUrl, 'http://localhost:3000');
  });
});
