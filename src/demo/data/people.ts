import type { DemoClient, DemoOrganization, DemoUser } from '../script.ts';

/** Martin digs and paves; Kim runs a months-long fibre roll-out. One company, two use cases. */
export const organization: DemoOrganization = {
  name: 'Excavation Martin & Fibre Kim',
  locale: 'fr-CA',
  timeZone: 'America/Toronto',
  address: { line1: '310, rue Principale', city: 'Vaudreuil-Dorion', region: 'QC', postalCode: 'J7V 1A1' },
  gstNumber: '123456789 RT0001',
  qstNumber: '1234567890 TQ0001',
};

export const admin: DemoUser = { key: 'martin', name: 'Martin Gagnon', email: 'martin@martin-kim.example', role: 'admin' };

export const users: DemoUser[] = [
  { key: 'kim', name: 'Kim Nguyen', email: 'kim@martin-kim.example', role: 'dispatcher' },
  // Martin's crew
  { key: 'luc', name: 'Luc Bergeron', email: 'luc@martin-kim.example', role: 'technician' },
  { key: 'emilie', name: 'Émilie Roy', email: 'emilie@martin-kim.example', role: 'technician' },
  // Kim's side
  { key: 'samuel', name: 'Samuel Okafor', email: 'samuel@martin-kim.example', role: 'technician' },
];

export const tremblayAddress = { line1: '1450, rang Saint-Joseph', city: 'Saint-Lazare', region: 'QC', postalCode: 'J7T 2B1' };

export const clients: DemoClient[] = [
  {
    key: 'tremblay',
    name: 'Famille Tremblay',
    billingEmails: ['famille.tremblay@courriel.example'],
    billingAddress: tremblayAddress,
    phone: '450 555-0142',
    language: 'fr',
    taxRegion: 'QC',
  },
  {
    key: 'boreal',
    name: 'Réseau Boréal inc.',
    billingEmails: ['payables@reseau-boreal.example', 'projects@reseau-boreal.example'],
    billingAddress: { line1: '200 Elm Street', city: 'Sudbury', region: 'ON', postalCode: 'P3C 1T5' },
    phone: '705 555-0199',
    // A francophone co-operative in Sudbury: billed in French, with Ontario's HST.
    language: 'fr',
    taxRegion: 'ON',
  },
];
