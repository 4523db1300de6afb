import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';

describeEachStore('the web app at /', (store) => {
  let ctx: TestContext;
  let webDir: string;
  before(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'chantier-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    ctx = await testContext(store, { config: { webDir } });
  });
  after(async () => {
    await ctx.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('serves index.html at / and at any client-side route, never cached', async () => {
    for (const url of ['/', '/tasks', '/tasks/0b0c5b8e-1d7e-4a39-9f0e-1f7b1c1a2b3c', '/clients?q=x', '/tech/tasks/1']) {
      const r = await ctx.call('GET', url);
      assert.equal(r.status, 200, url);
      assert.match(String(r.headers['content-type']), /text\/html/);
      assert.match(String(r.body), /<div id="root">/);
      assert.equal(r.headers['cache-control'], 'no-cache');
    }
  });

  it('serves hashed assets with a long immutable cache, and 404s a missing one', async () => {
    const r = await ctx.call('GET', '/assets/index-abc123.js');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'console.log(1)');
    assert.match(String(r.headers['cache-control']), /max-age=31536000.*immutable/);
    const missing = await ctx.call('GET', '/assets/gone.js');
    assert.equal(missing.status, 404);
  });

  it('keeps JSON 404s under /api/, with or without credentials, and leaves /healthz and /openapi.json alone', async () => {
    const anon = await ctx.call('GET', '/api/v1/nothing-here');
    assert.equal(anon.status, 404);
    assert.equal(anon.body.error.code, 'route_not_found');
    const org = await ctx.signup();
    const authed = await ctx.call('GET', '/api/v1/nothing-here', org.token);
    assert.equal(authed.body.error.code, 'route_not_found');
    assert.equal((await ctx.call('GET', '/healthz')).body.status, 'ok');
    assert.equal((await ctx.call('GET', '/openapi.json')).body.openapi, '3.1.0');
  });

  it('answers a POST to an unknown page with a JSON 404, not the app', async () => {
    const r = await ctx.call('POST', '/tasks', undefined, {});
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'route_not_found');
  });
});

describeEachStore('the web app when it is not built', (store) => {
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store, { config: { webDir: join(tmpdir(), 'chantier-no-such-dir') } });
  });
  after(() => ctx.close());

  it('says how to build it instead of failing', async () => {
    const r = await ctx.call('GET', '/tasks');
    assert.equal(r.status, 200);
    assert.match(String(r.body), /npm run build:web/);
  });
});
