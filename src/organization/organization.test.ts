import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';

const address = { line1: '1200 boulevard René-Lévesque', city: 'Montréal', region: 'QC', postalCode: 'H3B 1A1' };

describeEachStore('organization settings', (store) => {
  let ctx: TestContext;
  let org: Org;
  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup({ orgName: 'Pavage Martin', sellerDetails: false });
  });
  after(() => ctx.close());

  it('starts with F-{yyyy}-{seq:5} numbering and 30-day terms, visible to every role', async () => {
    const tech = await ctx.addUser(org, 'technician');
    const r = await ctx.call('GET', '/api/v1/organization', tech.token);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.name, 'Pavage Martin');
    assert.equal(r.body.invoiceNumberPattern, 'F-{yyyy}-{seq:5}');
    assert.equal(r.body.defaultPaymentTermsDays, 30);
    assert.equal(r.body.address, null);
  });

  it('lets an admin set the seller details, normalizing tax numbers', async () => {
    const r = await ctx.call('PATCH', '/api/v1/organization', org.token, {
      address,
      gstNumber: '123456789 rt 0001',
      qstNumber: '1234567890TQ0001',
      timeZone: 'America/Montreal',
      invoiceNumberPattern: 'PM-{yy}{mm}-{seq:4}',
      defaultPaymentTermsDays: 15,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.gstNumber, '123456789RT0001');
    assert.deepEqual(r.body.address, { ...address, country: 'CA' });
    const again = await ctx.call('GET', '/api/v1/organization', org.token);
    assert.equal(again.body.timeZone, 'America/Montreal');
    assert.equal(again.body.invoiceNumberPattern, 'PM-{yy}{mm}-{seq:4}');
    assert.equal(again.body.defaultPaymentTermsDays, 15);
  });

  it('refuses a bad time zone, number pattern or tax number, and changes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ timeZone: 'Mars/Olympus' }, 'invalid_time_zone'],
      [{ invoiceNumberPattern: 'F-{yyyy}' }, 'invalid_invoice_number_pattern'],
      [{ gstNumber: '12345' }, 'invalid_tax_number'],
      [{ defaultPaymentTermsDays: -1 }, 'validation_failed'],
      [{ currency: 'USD' }, 'validation_failed'],
    ];
    const before = (await ctx.call('GET', '/api/v1/organization', org.token)).body;
    for (const [body, code] of cases) {
      const r = await ctx.call('PATCH', '/api/v1/organization', org.token, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, code, JSON.stringify(body));
    }
    assert.deepEqual((await ctx.call('GET', '/api/v1/organization', org.token)).body, before);
  });

  it('keeps a phone, an email and an email sender name, null clearing them', async () => {
    const r = await ctx.call('PATCH', '/api/v1/organization', org.token, {
      phone: ' 514 555-0199 ',
      email: 'bureau@pavage-martin.ca',
      emailSenderName: 'Pavage Martin — facturation',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const got = (await ctx.call('GET', '/api/v1/organization', org.token)).body;
    assert.deepEqual([got.phone, got.email, got.emailSenderName], ['514 555-0199', 'bureau@pavage-martin.ca', 'Pavage Martin — facturation']);
    const cleared = await ctx.call('PATCH', '/api/v1/organization', org.token, { phone: null, email: null, emailSenderName: null });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    const again = (await ctx.call('GET', '/api/v1/organization', org.token)).body;
    assert.deepEqual([again.phone, again.email, again.emailSenderName], [null, null, null]);
  });

  it('refuses a bad email or a sender name that would break the From header, naming the field', async () => {
    const before = (await ctx.call('GET', '/api/v1/organization', org.token)).body;
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'pas une adresse' }, 'email'],
      [{ emailSenderName: 'Pavage\r\nBcc: x@example.com' }, 'emailSenderName'],
      [{ emailSenderName: 'Pavage <x@example.com>' }, 'emailSenderName'],
      [{ emailSenderName: 'x'.repeat(101) }, 'emailSenderName'],
      [{ phone: '5'.repeat(41) }, 'phone'],
    ];
    for (const [body, field] of cases) {
      const r = await ctx.call('PATCH', '/api/v1/organization', org.token, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'validation_failed', JSON.stringify(body));
      assert.deepEqual(
        r.body.error.details.fields.map((f: { path: string }) => f.path),
        [`body.${field}`],
        JSON.stringify(r.body),
      );
    }
    assert.deepEqual((await ctx.call('GET', '/api/v1/organization', org.token)).body, before);
  });

  it('lets only admins edit it, and only their own organization', async () => {
    const dispatcher = await ctx.addUser(org, 'dispatcher');
    const r = await ctx.call('PATCH', '/api/v1/organization', dispatcher.token, { name: 'X' });
    assert.equal(r.status, 403);
    const other = await ctx.signup({ orgName: 'Autre' });
    await ctx.call('PATCH', '/api/v1/organization', other.token, { name: 'Autre inc.' });
    assert.equal((await ctx.call('GET', '/api/v1/organization', org.token)).body.name, 'Pavage Martin');
  });

  it('gives clients their own payment terms, null meaning the organization default', async () => {
    const c = await ctx.call('POST', '/api/v1/clients', org.token, { name: 'Famille Tremblay', paymentTermsDays: 10 });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal(c.body.paymentTermsDays, 10);
    const d = await ctx.call('POST', '/api/v1/clients', org.token, { name: 'Réseau Boréal' });
    assert.equal(d.body.paymentTermsDays, null);
    const e = await ctx.call('PATCH', `/api/v1/clients/${c.body.id}`, org.token, { paymentTermsDays: null });
    assert.equal(e.body.paymentTermsDays, null);
    const f = await ctx.call('PATCH', `/api/v1/clients/${c.body.id}`, org.token, { paymentTermsDays: 400 });
    assert.equal(f.status, 400);
  });
});
