import type { Catalogue } from '../i18n/index.ts';

export const settingsMessages: Catalogue = {
  'fr-CA': {
    title: 'Paramètres',
    billing: 'Facturation automatique',
    consolidate: 'Consolider par projet',
    consolidateHint: 'Quand une sous-tâche est terminée, ses lignes, notes et pièces jointes sont copiées dans sa tâche principale, groupées par sous-tâche.',
    progressive: 'Facturation progressive',
    progressiveHint: 'Quand une tâche principale est terminée, son contenu va à la tâche Facture ouverte du client.',
    missing: 'Cette règle n’existe plus dans l’organisation.',
    on: 'Activée', off: 'Désactivée',
    adminOnly: 'Seuls les administrateurs modifient ces paramètres.',
  },
  en: {
    title: 'Settings',
    billing: 'Automatic billing',
    consolidate: 'Consolidate by project',
    consolidateHint: 'When a sub-task is completed, its lines, notes and attachments are copied to its main task, grouped by sub-task.',
    progressive: 'Progressive billing',
    progressiveHint: 'When a main task is completed, its content goes to the client’s open Invoice task.',
    missing: 'This rule no longer exists in the organization.',
    on: 'On', off: 'Off',
    adminOnly: 'Only administrators change these settings.',
  },
};
