import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoney, formatSize, oneLine, renderTemplate, unknownVariables } from './compose.ts';

describe('email templates', () => {
  it('fills known variables and renders missing values empty', () => {
    const text = 'Bonjour {client.name}, facture {invoice.number} pour {task.number}.';
    assert.equal(renderTemplate(text, { 'client.name': 'Réseau Boréal', 'task.number': 'T-1042' }), 'Bonjour Réseau Boréal, facture  pour T-1042.');
  });

  it('names unknown variables once each, and ignores braces around spaces', () => {
    assert.deepEqual(unknownVariables('{task.nmber} {client} {task.nmber} {link} { not one }'), ['task.nmber', 'client']);
    assert.deepEqual(unknownVariables('{client.name} {task.number} {task.title} {invoice.number} {invoice.total} {link}'), []);
  });

  it('keeps a subject on one line whatever the values hold', () => {
    assert.equal(oneLine(renderTemplate('Tâche {task.title}', { 'task.title': 'Pavage\r\nBcc: x@evil.example' })), 'Tâche Pavage Bcc: x@evil.example');
  });

  it('formats money exactly in each language, and sizes', () => {
    assert.match(formatMoney(123456, 'CAD', 'fr'), /^1\s234,56\s\$$/u);
    assert.equal(formatMoney(123456, 'CAD', 'en'), '$1,234.56');
    assert.equal(formatMoney(900719925474099, 'CAD', 'en'), '$9,007,199,254,740.99');
    assert.equal(formatMoney(-5, 'CAD', 'en'), '-$0.05');
    assert.equal(formatSize(15 * 1024 * 1024, 'en'), '15 MB');
    assert.match(formatSize(2_200_000, 'fr'), /^2,1\sMo$/u);
  });
});
