import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describeEachStore('clients', (store) => {
  let ctx: TestContext;
  let org: Org;
  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const create = async (o: Org, body: Record<string, unknown>) => {
    const r = await ctx.call('POST', '/api/v1/clients', o.token, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };

  it('creates a client with defaults, and reads it back the same', async () => {
    const c = await create(org, { name: 'Ville de Terrebonne', billingEmails: ['factures@terrebonne.ca'], phone: '450 555-0101' });
    assert.equal(c.language, 'fr');
    assert.equal(c.taxRegion, 'QC');
    assert.equal(c.billingAddress, null);
    assert.deepEqual(c.billingEmails, ['factures@terrebonne.ca']);
    assert.equal(c.version, 1);
    assert.deepEqual((await ctx.call('GET', `/api/v1/clients/${c.id}`, org.token)).body, c);
  });

  it('edits a client, clears a field with null, and refuses a stale version', async () => {
    const c = await create(org, { name: 'Before', phone: '1', billingAddress: { line1: '1 rue A', city: 'Gatineau' } });
    assert.deepEqual(c.billingAddress, { line1: '1 rue A', city: 'Gatineau', country: 'CA' });
    const r = await ctx.call('PATCH', `/api/v1/clients/${c.id}`, org.token, { name: 'After', phone: null, taxRegion: 'ON', version: 1 });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'After');
    assert.equal(r.body.phone, null);
    assert.equal(r.body.taxRegion, 'ON');
    assert.deepEqual(r.body.billingAddress, c.billingAddress);
    const stale = await ctx.call('PATCH', `/api/v1/clients/${c.id}`, org.token, { name: 'Lost', version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'stale_version');
    assert.equal((await ctx.call('GET', `/api/v1/clients/${c.id}`, org.token)).body.name, 'After');
  });

  it('refuses an invalid email or tax region', async () => {
    for (const body of [
      { name: 'x', billingEmails: ['not an email'] },
      { name: 'x', taxRegion: 'XX' },
    ]) {
      const r = await ctx.call('POST', '/api/v1/clients', org.token, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'validation_failed');
    }
  });

  it('finds clients by a part of their name, whatever its case, treating % and _ literally', async () => {
    const o = await ctx.signup();
    for (const name of ['Pavage Laval', 'Laval Asphalte', 'Béton Nord', '100% Drain', 'Drain_Pro']) await create(o, { name });
    const find = async (q: string) =>
      (await ctx.call('GET', `/api/v1/clients?q=${encodeURIComponent(q)}`, o.token)).body.items.map((c: { name: string }) => c.name);
    assert.deepEqual(await find('laval'), ['Laval Asphalte', 'Pavage Laval']);
    assert.deepEqual(await find('%'), ['100% Drain']);
    assert.deepEqual(await find('_'), ['Drain_Pro']);
    assert.deepEqual(await find('zzz'), []);
  });

  it('finds clients whatever the accents and case, in names and in the search', async () => {
    const o = await ctx.signup();
    for (const name of ['Béton Nord', 'Œuvres de l’Érable', 'Plomberie Ste-Thérèse']) await create(o, { name });
    const find = async (q: string) =>
      (await ctx.call('GET', `/api/v1/clients?q=${encodeURIComponent(q)}`, o.token)).body.items.map((c: { name: string }) => c.name);
    assert.deepEqual(await find('beton'), ['Béton Nord']);
    assert.deepEqual(await find('BÉTON'), ['Béton Nord']);
    assert.deepEqual(await find('oeuvres de l’erable'), ['Œuvres de l’Érable']);
    assert.deepEqual(await find('thérese'), ['Plomberie Ste-Thérèse']);
    const renamed = (await ctx.call('GET', `/api/v1/clients?q=beton`, o.token)).body.items[0];
    await ctx.call('PATCH', `/api/v1/clients/${renamed.id}`, o.token, { name: 'Asphalte Nord' });
    assert.deepEqual(await find('beton'), []);
    assert.deepEqual(await find('asphalte'), ['Asphalte Nord']);
  });

  it('pages through clients in name order, each exactly once', async () => {
    const o = await ctx.signup();
    const names = ['D', 'A', 'C', 'B', 'B', 'E', 'A'];
    for (const name of names) await create(o, { name });
    const seen: { id: string; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { id: string; name: string }[]; nextCursor: string | null } } = await ctx.call(
        'GET',
        `/api/v1/clients?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        o.token,
      );
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor && seen.length < 20);
    assert.deepEqual(
      seen.map((c) => c.name),
      [...names].sort(),
    );
    assert.equal(new Set(seen.map((c) => c.id)).size, names.length);
  });

  it('answers 400 invalid_cursor for a cursor it did not give out', async () => {
    for (const cursor of ['nope', b64('{"id":"x"}'), b64('{"name":3,"id":"x"}'), b64('{"name":"a"}')]) {
      const r = await ctx.call('GET', `/api/v1/clients?cursor=${cursor}`, org.token);
      assert.equal(r.status, 400, `${cursor}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'invalid_cursor');
    }
  });

  it('deletes a client without tasks, and refuses one with tasks (409 client_in_use)', async () => {
    const unused = await create(org, { name: 'Unused' });
    assert.equal((await ctx.call('DELETE', `/api/v1/clients/${unused.id}`, org.token)).status, 204);
    const gone = await ctx.call('GET', `/api/v1/clients/${unused.id}`, org.token);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'client_not_found');
    const used = await create(org, { name: 'Used' });
    const typeId = (await ctx.call('GET', '/api/v1/task-types', org.token)).body.items[0].id;
    await ctx.call('POST', '/api/v1/tasks', org.token, { typeId, title: 't', clientId: used.id });
    const r = await ctx.call('DELETE', `/api/v1/clients/${used.id}`, org.token);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'client_in_use');
    assert.equal((await ctx.call('GET', `/api/v1/clients/${used.id}`, org.token)).status, 200);
  });
});
