import type { DemoTask } from '../script.ts';
import { tremblayAddress } from './people.ts';

/**
 * Consolidation by project: one main task to bill the client once, and a sub-task per trade,
 * each done by a different technician. Both are completed: their content rolls into the main
 * task, which completes with the last one.
 */
export const martinProject: DemoTask[] = [
  {
    key: 'driveway',
    type: 'work',
    title: 'Entrée de garage — Famille Tremblay',
    description: "Excavation et pavage de l'entrée de garage (environ 85 m²). Une seule facture au client à la fin des travaux.",
    client: 'tremblay',
    siteAddress: tremblayAddress,
  },
  {
    key: 'excavation',
    type: 'work',
    title: 'Excavation',
    parent: 'driveway',
    client: 'tremblay',
    assignees: ['luc'],
    by: 'luc',
    schedule: { day: -6, start: '07:30', hours: 9 },
    siteAddress: tremblayAddress,
    lines: [
      { description: 'Excavatrice 20 t avec opérateur', quantity: '6.5', unit: 'h', unitPriceCents: 14500 },
      { description: 'Gravier 0-3/4 livré', quantity: '12.75', unit: 't', unitPriceCents: 3850 },
      { description: 'Transport — camion 10 roues', quantity: '3', unit: 'voyage', unitPriceCents: 12500 },
      { description: 'Disposition de la terre excavée', quantity: '18.5', unit: 't', unitPriceCents: 1225 },
    ],
    notes: ['Sol argileux sous 30 cm : 4 t de gravier de plus que prévu. Fond compacté et nivelé, prêt pour le pavage.'],
    // On the main task it becomes "T-2 – Bon de livraison gravier.txt" (the rule's naming pattern).
    attachments: [{ fileName: 'Bon de livraison gravier.txt', text: 'Carrière Laval — bon 48213 — gravier 0-3/4 : 12,75 t\n' }],
    transitions: ['in_progress', 'completed'],
  },
  {
    key: 'paving',
    type: 'work',
    title: 'Pavage',
    parent: 'driveway',
    client: 'tremblay',
    assignees: ['emilie'],
    by: 'emilie',
    schedule: { day: 0, start: '07:00', hours: 10 },
    siteAddress: tremblayAddress,
    lines: [
      { description: 'Asphalte EB-10C posé', quantity: '9.4', unit: 't', unitPriceCents: 13200 },
      { description: "Main-d'œuvre — équipe de pavage", quantity: '12', unit: 'h', unitPriceCents: 7800 },
      { description: 'Rouleau compacteur', quantity: '4', unit: 'h', unitPriceCents: 9500 },
    ],
    notes: ['Couche de base et couche de finition posées ; bordures compactées au rouleau.'],
    transitions: ['in_progress', 'completed'],
  },
];
