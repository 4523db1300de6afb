import type { DemoTask } from '../script.ts';

const site = (line1: string) => ({ line1, city: 'Sudbury', region: 'ON' });

/**
 * Progressive billing: this month's "Invoice" task for the client stays open while the
 * fibre installations of the month are done; two are completed, one is still to come.
 */
export const kimBilling: DemoTask[] = [
  {
    key: 'boreal-invoice',
    type: 'invoice',
    title: 'Facture Réseau Boréal — {month}',
    description: 'Facturation mensuelle du déploiement de fibre : regroupe les installations terminées du mois.',
    client: 'boreal',
  },
  {
    key: 'fibre-cedar',
    type: 'work',
    title: 'Installation fibre — 118 Cedar Street',
    client: 'boreal',
    assignees: ['samuel'],
    by: 'samuel',
    schedule: { day: -12, start: '08:00', hours: 8 },
    siteAddress: site('118 Cedar Street'),
    lines: [
      { description: 'Fusion splice', quantity: '24', unit: 'splice', unitPriceCents: 1800 },
      { description: '12-strand fibre cable', quantity: '350', unit: 'm', unitPriceCents: 215 },
      { description: 'Fibre technician', quantity: '7.5', unit: 'h', unitPriceCents: 9200 },
    ],
    notes: ['Splice enclosure mounted on pole 14. OTDR trace within spec on all 12 strands.'],
    transitions: ['in_progress', 'completed'],
  },
  {
    key: 'fibre-larch',
    type: 'work',
    title: 'Installation fibre — 42 Larch Street',
    client: 'boreal',
    assignees: ['samuel'],
    by: 'samuel',
    schedule: { day: -5, start: '08:00', hours: 6 },
    siteAddress: site('42 Larch Street'),
    lines: [
      { description: 'Fusion splice', quantity: '12', unit: 'splice', unitPriceCents: 1800 },
      { description: 'Drop cable', quantity: '85.5', unit: 'm', unitPriceCents: 135 },
      { description: 'Fibre technician', quantity: '4.25', unit: 'h', unitPriceCents: 9200 },
      { description: 'OTDR test report', quantity: '1', unitPriceCents: 15000 },
    ],
    notes: ['Drop run through the existing conduit; customer premises equipment left powered on.'],
    transitions: ['in_progress', 'completed'],
  },
  {
    key: 'fibre-mountain',
    type: 'work',
    title: 'Installation fibre — 9 Mountain Street',
    client: 'boreal',
    assignees: ['samuel'],
    schedule: { day: 4, start: '09:00', hours: 6 },
    siteAddress: site('9 Mountain Street'),
    notes: ['Access through the rear lane; call the superintendent 30 minutes ahead.'],
    transitions: ['scheduled'],
  },
];
