import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import { createLogger } from '../runtime.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';

describeEachStore('secrets in the log', (store) => {
  let ctx: TestContext;
  let lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  before(async () => {
    // The server's own logger, at debug so that every request is logged too.
    ctx = await testContext(store, { log: createLogger({ logLevel: 'debug' }, sink), config: { logLevel: 'debug' } });
  });
  after(() => ctx.close());

  const logText = () => lines.join('');

  it('never writes a password, a session secret or a token, even when requests are logged', async () => {
    lines = [];
    const password = 'unmistakable-p4ssw0rd';
    const email = `logs-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const signup = await ctx.call('POST', '/api/v1/signup', undefined, { orgName: 'Logs', name: 'L', email, password });
    assert.equal(signup.status, 201);
    const wrong = await ctx.call('POST', '/api/v1/auth/login', undefined, { email, password: `${password}-wrong` });
    assert.equal(wrong.status, 401);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    assert.equal(login.statusCode, 200);
    const session = login.cookies.find((c) => c.name === 'chantier_session')!.value;
    const created = await ctx.call('POST', '/api/v1/tokens', undefined, { name: 'ci' }, { cookie: `chantier_session=${session}` });
    assert.equal(created.status, 201);
    const me = await ctx.call('GET', '/api/v1/users/me', created.body.token);
    assert.equal(me.status, 200);
    const invalid = await ctx.call('POST', '/api/v1/tokens', created.body.token, { name: 'x', token: created.body.token });
    assert.equal(invalid.status, 400);
    const changed = await ctx.call('PATCH', `/api/v1/users/${me.body.id}`, created.body.token, { password: `${password}-2`, currentPassword: password });
    assert.equal(changed.status, 200);

    const text = logText();
    assert.match(text, /\/api\/v1\/auth\/login/, 'the requests were logged');
    assert.match(text, /\/api\/v1\/tokens/);
    for (const secret of [password, signup.body.token, session, created.body.token]) {
      assert.ok(!text.includes(secret), `a secret starting ${secret.slice(0, 6)} is in the log`);
    }
    // The parts after the recognisable prefix would be as bad.
    for (const secret of [signup.body.token, session, created.body.token]) assert.ok(!text.includes(secret.slice(10)));
  });

  it('redacts secrets that code hands to the logger by name', async () => {
    lines = [];
    ctx.deps.log.info({ body: { password: 'hunter2-hunter2' }, credential: { token: 'cht_abcdef', secret: 'chs_ghijkl' } }, 'debugging');
    ctx.deps.log.info({ req: { headers: { authorization: 'Bearer cht_zzz', cookie: 'chantier_session=chs_yyy' } } }, 'headers');
    const text = logText();
    assert.match(text, /debugging/);
    for (const s of ['hunter2-hunter2', 'cht_abcdef', 'chs_ghijkl', 'cht_zzz', 'chs_yyy']) assert.ok(!text.includes(s), s);
    assert.match(text, /\[redacted\]/);
  });
});
