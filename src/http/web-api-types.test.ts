import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FINGERPRINT_LINE, fingerprintOf, openapiDocument } from '../../web/api/openapi-document.ts';

describe('web/api/schema.d.ts', () => {
  it('was generated from the current /openapi.json (run npm run gen:api when this fails)', async () => {
    const committed = readFileSync(new URL('../../web/api/schema.d.ts', import.meta.url), 'utf8');
    const recorded = FINGERPRINT_LINE.exec(committed)?.[1];
    assert.ok(recorded, 'schema.d.ts has no openapi-sha256 line');
    assert.equal(recorded, fingerprintOf(await openapiDocument()), 'the API changed: run npm run gen:api and commit web/api/schema.d.ts');
  });
});
