import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { ConfigError, loadConfig, secretKeyOf, type Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import type { OutboxRow } from '../outbox/index.ts';
import { createDeps } from '../runtime.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { verifyWebhookSignature, webhookDeliverer } from '../webhooks/index.ts';
import { startReceiver, type TestReceiver } from '../webhooks/testkit.ts';
import { isSealed, KEY_FILE, keyFingerprint, secretBox } from './index.ts';

describe('secret box', () => {
  it('seals with AES-256-GCM: a fresh nonce each time, tampering detected, old keys still open', () => {
    const oldKey = randomBytes(32);
    const box = secretBox(randomBytes(32), [oldKey]);
    const a = box.seal('whsec_the-secret');
    assert.ok(isSealed(a));
    assert.notEqual(a, box.seal('whsec_the-secret'), 'two seals of one secret differ');
    assert.ok(!a.includes('the-secret'));
    assert.equal(box.open(a), 'whsec_the-secret');
    const tampered = a.slice(0, -3) + (a.endsWith('A') ? 'BBB' : 'AAA');
    assert.throws(() => box.open(tampered));
    assert.equal(box.open(secretBox(oldKey).seal('from before')), 'from before');
    assert.throws(() => box.open(secretBox(randomBytes(32)).seal('x')), /CHANTIER_SECRET_KEY/);
  });

  it('reads CHANTIER_SECRET_KEY and CHANTIER_SECRET_KEYS_OLD as base64 32-byte keys, refusing anything else at start', () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    const c = loadConfig({ CHANTIER_SECRET_KEY: k1, CHANTIER_SECRET_KEYS_OLD: ` ${k2} ,` });
    assert.deepEqual(c.secretKey, Buffer.from(k1, 'base64'));
    assert.deepEqual(c.oldSecretKeys, [Buffer.from(k2, 'base64')]);
    assert.equal(loadConfig({}).secretKey, null);
    for (const bad of ['short', randomBytes(16).toString('base64'), `${k1}!`]) {
      assert.throws(
        () => loadConfig({ CHANTIER_SECRET_KEY: bad }),
        (e: Error) => e instanceof ConfigError && /CHANTIER_SECRET_KEY/.test(e.message),
      );
    }
    assert.throws(() => loadConfig({ CHANTIER_SECRET_KEYS_OLD: 'nope' }), /CHANTIER_SECRET_KEYS_OLD/);
  });
});

describeEachStore('webhook secrets at rest', (store) => {
  let ctx: TestContext;
  let hook: TestReceiver;
  let org: Org;
  const secret = 'my-own-secret-of-many-chars-1234';
  let ruleId: string;
  before(async () => {
    hook = await startReceiver();
    ctx = await testContext(store, { config: { webhookAllowPrivate: true } });
    org = await ctx.signup();
  });
  after(async () => {
    await ctx.close();
    await hook.close();
  });

  const storedActions = async () =>
    await ctx.deps.db.kysely.selectFrom('automation_rules').select(['actions', 'version']).where('id', '=', ruleId).executeTakeFirstOrThrow();
  const stepOf = async () => JSON.parse((await storedActions()).actions).find((a: { id: string }) => a.id === 'erp');
  /** Starts "another process" on the same store: what `chantier serve` does at start. */
  const restart = (config: Partial<Config>) =>
    createDeps({ ...ctx.deps.config, ...config }, { db: ctx.deps.db, migrate: false, log: pino({ level: 'silent' }) });
  /** Delivers one event for the rule's step with these deps; true when the signature verifies with the clear secret. */
  const deliversSigned = async (deps: Deps) => {
    const body = JSON.stringify({ hello: Math.random() });
    const row = {
      id: 'x',
      org_id: org.orgId,
      payload: JSON.stringify({ eventId: 'e1', type: 'task.status_entered', ruleId, actionId: 'erp', body }),
    } as unknown as OutboxRow;
    await webhookDeliverer(deps).deliver(row);
    const got = hook.received.at(-1)!;
    assert.equal(got.body, body);
    return verifyWebhookSignature(secret, got.headers['chantier-signature'] as string, got.body, Math.floor(Date.now() / 1000));
  };

  it('stores a webhook secret only encrypted, in the rule and its history, and still signs with it', async () => {
    const r = await ctx.call('POST', '/api/v1/automations', org.token, {
      name: 'ERP',
      enabled: false,
      trigger: { type: 'status_entered', status: 'completed' },
      actions: [{ type: 'webhook', id: 'erp', url: hook.url, secret }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ruleId = r.body.id;
    assert.equal(r.body.actions[0].secretHint, '…1234');
    const step = await stepOf();
    assert.ok(isSealed(step.secret), step.secret);
    const history = await ctx.deps.db.kysely.selectFrom('automation_rule_history').select(['before', 'after']).where('rule_id', '=', ruleId).execute();
    for (const text of [(await storedActions()).actions, JSON.stringify(history)]) assert.ok(!text.includes(secret), 'the clear secret is stored');
    assert.ok(await deliversSigned(ctx.deps));
    // Saved again as GET shows it, the secret is kept (sealed), not lost or sealed twice.
    const shown = await ctx.call('GET', `/api/v1/automations/${ruleId}`, org.token);
    assert.equal((await ctx.call('PATCH', `/api/v1/automations/${ruleId}`, org.token, { actions: shown.body.actions })).status, 200);
    assert.ok(await deliversSigned(ctx.deps));
    const sealedGiven = await ctx.call('PATCH', `/api/v1/automations/${ruleId}`, org.token, {
      actions: [{ type: 'webhook', id: 'erp', url: hook.url, secret: (await stepOf()).secret }],
    });
    assert.equal(sealedGiven.status, 400, 'an encrypted value cannot be sent as a secret');
    // A duplicated rule keeps the same secret, sealed once, and its hint.
    const copy = await ctx.call('POST', `/api/v1/automations/${ruleId}/duplicate`, org.token);
    assert.equal(copy.status, 201, JSON.stringify(copy.body));
    assert.equal(copy.body.actions[0].secretHint, '…1234');
    const copied = await ctx.deps.db.kysely.selectFrom('automation_rules').select('actions').where('id', '=', copy.body.id).executeTakeFirstOrThrow();
    assert.equal(ctx.deps.secrets.open(JSON.parse(copied.actions)[0].secret), secret);
  });

  it('encrypts at start the secrets a rule kept in clear from before', async () => {
    const clear = JSON.parse((await storedActions()).actions).map((a: Record<string, unknown>) =>
      a.id === 'erp' ? { id: 'erp', type: 'webhook', url: hook.url, secret } : a,
    );
    await ctx.deps.db.kysely
      .updateTable('automation_rules')
      .set({ actions: JSON.stringify(clear) })
      .where('id', '=', ruleId)
      .execute();
    const version = (await storedActions()).version;
    const restarted = await restart({});
    const step = await stepOf();
    assert.ok(isSealed(step.secret));
    assert.equal(step.secretHint, '…1234');
    assert.equal((await storedActions()).version, version, 'not a change of the rule');
    assert.equal((await ctx.call('GET', `/api/v1/automations/${ruleId}`, org.token)).body.actions[0].secretHint, '…1234');
    assert.ok(await deliversSigned(restarted));
  });

  it('makes a key file under the data dir on first start, readable by its owner only, and keeps using it', async () => {
    const path = join(ctx.deps.config.dataDir, KEY_FILE);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const key = secretKeyOf(path, readFileSync(path, 'utf8'));
    assert.equal(ctx.deps.secrets.fingerprint, keyFingerprint(key));
    assert.equal((await restart({})).secrets.fingerprint, ctx.deps.secrets.fingerprint);
  });

  it('rotates: a new key with the old one listed re-encrypts at start; a process with an unknown key refuses to start', async () => {
    const fileKey = secretKeyOf('key file', readFileSync(join(ctx.deps.config.dataDir, KEY_FILE), 'utf8'));
    const newKey = randomBytes(32);
    await assert.rejects(
      restart({ secretKey: newKey }),
      (e: Error) => e instanceof ConfigError && /CHANTIER_SECRET_KEY/.test(e.message),
      'a new key alone cannot open the stored secrets',
    );
    const rotated = await restart({ secretKey: newKey, oldSecretKeys: [fileKey] });
    assert.equal(rotated.secrets.fingerprint, keyFingerprint(newKey));
    assert.ok((await stepOf()).secret.includes(`:${keyFingerprint(newKey)}:`), 'sealed again with the new key');
    assert.ok(await deliversSigned(rotated));
    const recorded = await ctx.deps.db.kysely.selectFrom('secret_key_in_use').select('fingerprint').executeTakeFirstOrThrow();
    assert.equal(recorded.fingerprint, keyFingerprint(newKey));
    // The old key alone (the key file) is now refused, and so is any other key.
    await assert.rejects(restart({}), ConfigError);
    await assert.rejects(restart({ secretKey: randomBytes(32) }), ConfigError);
    assert.ok(await deliversSigned(await restart({ secretKey: newKey })));
  });
});
