import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import i18next from 'i18next';
import { ApiError, NetworkError, toApiError } from '../api/errors.ts';
import { commonMessages } from '../i18n/common-messages.ts';
import { describeError, fieldError } from './errors.ts';

await i18next.init({
  lng: 'fr-CA',
  resources: { 'fr-CA': { common: commonMessages['fr-CA'] }, en: { common: commonMessages.en } },
  interpolation: { escapeValue: false },
});
const t = i18next.getFixedT('fr-CA');
const tEn = i18next.getFixedT('en');

describe('server errors in words', () => {
  it('places each validation problem at its field, without the body./querystring. prefix', () => {
    const err = toApiError(400, {
      error: {
        type: 'invalid',
        code: 'validation_failed',
        message: 'the request is not valid',
        details: {
          fields: [
            { path: 'body.title', message: 'Too small: expected string to have >=1 characters', code: 'too_small' },
            { path: 'body.siteAddress.city', message: 'Invalid input', code: 'invalid_type' },
          ],
        },
      },
    });
    assert.equal(fieldError(err, t, 'title'), 'Ce champ est requis.');
    assert.equal(fieldError(err, t, 'siteAddress.city'), 'Valeur non valide.');
    const other = toApiError(400, {
      error: {
        type: 'invalid',
        code: 'validation_failed',
        message: '',
        details: {
          fields: [
            { path: 'body.paymentTermsDays', message: 'Too big: expected number to be <=365', code: 'too_big' },
            { path: 'body.name', message: 'Too big: expected string to have <=200 characters', code: 'too_big' },
            { path: 'body.x', message: 'something new', code: 'custom_code' },
          ],
        },
      },
    });
    assert.equal(fieldError(other, t, 'paymentTermsDays'), 'Au plus 365.');
    assert.equal(fieldError(other, tEn, 'name'), 'At most 200 characters.');
    assert.equal(fieldError(other, t, 'x'), 'something new', 'an unknown code keeps the server message');
    assert.equal(fieldError(err, t, 'clientId'), undefined);
  });

  it('places a verb-level error that names its field (invalid_quantity) at that field', () => {
    const err = toApiError(400, { error: { type: 'invalid', code: 'invalid_quantity', message: 'quantity must be…', details: { field: 'quantity' } } });
    assert.match(fieldError(err, t, 'quantity') ?? '', /au plus 3 décimales/);
  });

  it('names the rule and the reason of automation_failed', () => {
    const err = toApiError(409, {
      error: {
        type: 'conflict',
        code: 'automation_failed',
        message: 'automation "Consolidate by project" failed…',
        details: { ruleName: 'Consolidate by project', reason: 'the main task is closed', reasonCode: 'consolidated_into_closed_task' },
      },
    });
    assert.equal(describeError(err, t), 'La règle « Consolidate by project » a échoué : the main task is closed');
    const known = toApiError(409, {
      error: { type: 'conflict', code: 'automation_failed', message: '', details: { ruleName: 'Facturer', reason: 'task closed', reasonCode: 'task_closed' } },
    });
    assert.equal(describeError(known, tEn), 'The rule “Facturer” failed: This task is closed: its content can no longer change.');
  });

  it('recognises a stale version, and says a network failure in words', () => {
    const stale = toApiError(409, { error: { type: 'conflict', code: 'stale_version', message: 'x', details: { currentVersion: 3 } } });
    assert.ok(stale instanceof ApiError && stale.isConflict);
    assert.equal(describeError(new NetworkError('down'), t), 'Le serveur ne répond pas. Vérifiez la connexion et réessayez.');
    assert.equal(describeError(toApiError(502, '<html>bad gateway</html>'), t), 'Erreur du serveur. Réessayez dans un instant.');
  });
});
