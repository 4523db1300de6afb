import type { Catalogue } from '../i18n/index.ts';

export const clientMessages: Catalogue = {
  'fr-CA': {
    list: { title: 'Clients', search: 'Rechercher un client', newClient: 'Nouveau client', name: 'Nom', region: 'Région fiscale', emails: 'Courriels de facturation', empty: 'Aucun client ne correspond.', count_one: '{{count}} client', count_other: '{{count}} clients' },
    form: {
      newTitle: 'Nouveau client', editTitle: 'Modifier le client', name: 'Nom', taxRegion: 'Région fiscale', language: 'Langue', emails: 'Courriels de facturation',
      emailsHint: 'Un courriel par ligne ou séparés par des virgules.', terms: 'Conditions de paiement', termsHint: 'Nombre de jours avant l’échéance ; vide : la valeur de l’organisation.',
      phone: 'Téléphone', notes: 'Notes', create: 'Créer', save: 'Enregistrer', fr: 'Français', en: 'Anglais', exempt: 'Exonéré (aucune taxe)',
    },
    page: {
      back: 'Tous les clients', edit: 'Modifier', region: 'Région fiscale', language: 'Langue', emails: 'Courriels de facturation', terms: 'Conditions de paiement',
      termsDays_one: '{{count}} jour', termsDays_other: '{{count}} jours', termsDefault: 'Celles de l’organisation', none: '—', tasks: 'Tâches du client', noTasks: 'Aucune tâche.',
      unbilled: 'Travaux non facturés', unbilledEmpty: 'Aucun travail en attente de facturation.', unbilledTotal: 'Total en attente', completed: 'terminée le {{date}}',
      lines_one: '{{count}} ligne', lines_other: '{{count}} lignes',
    },
  },
  en: {
    list: { title: 'Clients', search: 'Search clients', newClient: 'New client', name: 'Name', region: 'Tax region', emails: 'Billing emails', empty: 'No client matches.', count_one: '{{count}} client', count_other: '{{count}} clients' },
    form: {
      newTitle: 'New client', editTitle: 'Edit the client', name: 'Name', taxRegion: 'Tax region', language: 'Language', emails: 'Billing emails',
      emailsHint: 'One email per line, or separated by commas.', terms: 'Payment terms', termsHint: 'Days until due; empty: the organization’s default.',
      phone: 'Phone', notes: 'Notes', create: 'Create', save: 'Save', fr: 'French', en: 'English', exempt: 'Exempt (no tax)',
    },
    page: {
      back: 'All clients', edit: 'Edit', region: 'Tax region', language: 'Language', emails: 'Billing emails', terms: 'Payment terms',
      termsDays_one: '{{count}} day', termsDays_other: '{{count}} days', termsDefault: 'The organization’s default', none: '—', tasks: 'The client’s tasks', noTasks: 'No task.',
      unbilled: 'Unbilled work', unbilledEmpty: 'No work waiting to be billed.', unbilledTotal: 'Total waiting', completed: 'completed on {{date}}',
      lines_one: '{{count}} line', lines_other: '{{count}} lines',
    },
  },
};
