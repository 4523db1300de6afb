import type { DemoTask } from '../script.ts';

const site = (line1: string) => ({ line1, city: 'Sudbury', region: 'ON' });

/**
 * Progressive billing: this month's "Invoice" task for the client stays open while the fibre
 * installations of the month are done; two are completed (and consolidate into it), one is
 * still to come — its lines are the work order's, entered ahead from the quote.
 */
export const kimBilling: DemoTask[] = [
  {
    key: 'boreal-invoice',
    type: 'invoice',
    // The same title the "next month's invoice" rule gives the following ones.
    title: 'Facture Réseau Boréal inc. — {month}',
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
      { description: 'Épissure par fusion', quantity: '24', unit: 'épissure', unitPriceCents: 1800 },
      { description: 'Câble à fibre optique 12 brins', quantity: '350', unit: 'm', unitPriceCents: 215 },
      { description: 'Technicien en fibre optique', quantity: '7.5', unit: 'h', unitPriceCents: 9200 },
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
      { description: 'Épissure par fusion', quantity: '12', unit: 'épissure', unitPriceCents: 1800 },
      { description: 'Câble de branchement', quantity: '85.5', unit: 'm', unitPriceCents: 135 },
      { description: 'Technicien en fibre optique', quantity: '4.25', unit: 'h', unitPriceCents: 9200 },
      { description: 'Rapport de test OTDR', quantity: '1', unitPriceCents: 15000 },
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
    lines: [
      { description: 'Épissure par fusion', quantity: '8', unit: 'épissure', unitPriceCents: 1800 },
      { description: 'Câble de branchement', quantity: '60', unit: 'm', unitPriceCents: 135 },
      { description: 'Technicien en fibre optique', quantity: '3', unit: 'h', unitPriceCents: 9200 },
    ],
    notes: ['Access through the rear lane; call the superintendent 30 minutes ahead.'],
    transitions: ['scheduled'],
  },
];
