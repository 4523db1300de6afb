import type { Catalogue } from '../i18n/index.ts';

export const taskMessages: Catalogue = {
  'fr-CA': {
    list: {
      title: 'Tâches', newTask: 'Nouvelle tâche', board: 'Tableau', listView: 'Liste', filters: 'Filtres',
      search: 'Rechercher une tâche (numéro ou mots)', status: 'Statut', anyStatus: 'Tous les statuts', type: 'Type', anyType: 'Tous les types',
      client: 'Client', anyClient: 'Tous les clients', assignee: 'Technicien', anyAssignee: 'Tous', from: 'Prévue à partir du', to: 'Prévue jusqu’au',
      sort: 'Trier par', sortNumber: 'Numéro (récent d’abord)', sortNumberAsc: 'Numéro (ancien d’abord)', sortScheduled: 'Date prévue (proche d’abord)', sortScheduledDesc: 'Date prévue (lointaine d’abord)',
      number: 'Numéro', titleCol: 'Titre', scheduled: 'Date prévue', assignees: 'Techniciens', count_one: '{{count}} tâche sur cette page', count_other: '{{count}} tâches sur cette page',
      empty: 'Aucune tâche ne correspond.', clear: 'Effacer les filtres', topLevel: 'Tâches principales seulement',
    },
    category: { open: 'À faire', active: 'En cours', done: 'Terminées', cancelled: 'Annulées' },
    board: { title: 'Tableau', type: 'Type de tâche', count_one: '{{count}} tâche', count_other: '{{count}} tâches', more: 'Les 200 premières tâches par statut.' },
    form: {
      newTitle: 'Nouvelle tâche', newSubtask: 'Nouvelle sous-tâche', editTitle: 'Modifier la tâche',
      title: 'Titre', description: 'Description', type: 'Type', client: 'Client', noClient: '— Aucun client —', parent: 'Tâche parente', noParent: '— Aucune (tâche principale) —',
      technicians: 'Techniciens', noTechnicians: 'Aucun technicien dans l’organisation.', scheduled: 'Date prévue', scheduledEnd: 'Fin prévue',
      site: 'Adresse du chantier', city: 'Ville', region: 'Province', postalCode: 'Code postal', siteHint: 'Adresse et ville, ou laissez vide.',
      create: 'Créer', save: 'Enregistrer', created: 'Tâche {{number}} créée.',
    },
    page: {
      back: 'Toutes les tâches', parent: 'Tâche parente', client: 'Client', assignees: 'Techniciens', scheduled: 'Date prévue', site: 'Adresse du chantier',
      type: 'Type', status: 'Statut', completed: 'Terminée le', workflow: 'Changer le statut', noTransition: 'Aucun changement de statut possible.',
      moveTo: 'Passer à « {{status}} »', edit: 'Modifier', newSubtask: 'Nouvelle sous-tâche', description: 'Description', none: '—',
    },
    lines: {
      title: 'Lignes de facturation', add: 'Ajouter une ligne', description: 'Description', quantity: 'Quantité', unitPrice: 'Prix unitaire', taxes: 'Taxes',
      amount: 'Montant', taxable: 'Taxable', exempt: 'Exonéré', empty: 'Aucune ligne.', liveAmount: 'Montant : {{amount}}', edit: 'Modifier la ligne {{description}}',
      delete: 'Supprimer la ligne {{description}}', save: 'Enregistrer la ligne', closed: 'La tâche est fermée : ses lignes ne changent plus.',
      priceInvalid: 'Un montant en dollars, par exemple 145,50.', own: 'Lignes de la tâche',
    },
    totals: { subtotal: 'Sous-total', total: 'Total', GST: 'TPS', HST: 'TVH', QST: 'TVQ', taxLine: '{{tax}} ({{rate}})', exempt: 'dont non taxable' },
    attachments: {
      title: 'Pièces jointes', drop: 'Déposez des fichiers ici, ou', choose: 'Choisir des fichiers', uploading: 'Envoi de {{name}}', progress: 'Progression de l’envoi de {{name}}',
      empty: 'Aucune pièce jointe.', download: 'Télécharger {{name}}', delete: 'Retirer {{name}}', failed: 'Échec de l’envoi de {{name}} : {{reason}}',
      size: '{{size}} Ko', photo: 'Photo {{name}}',
    },
    notes: { title: 'Notes', add: 'Ajouter une note', body: 'Nouvelle note', empty: 'Aucune note.', by: '{{name}}, {{when}}' },
    history: { title: 'Historique', created: 'Créée au statut « {{to}} »', moved: '« {{from}} » → « {{to}} »', by: 'par {{name}}', empty: 'Aucun changement.' },
    subtasks: { title: 'Sous-tâches', empty: 'Aucune sous-tâche.', count_one: '{{count}} sous-tâche', count_other: '{{count}} sous-tâches', total: 'Total des lignes' },
    consolidated: {
      title: 'Contenu consolidé', empty: 'Rien n’a encore été consolidé ici.', completed: 'terminée le {{date}}', by: 'par {{names}}', lines_one: '{{count}} ligne', lines_other: '{{count}} lignes',
      attachments: 'Pièces jointes de {{number}}', loadMore: 'Charger plus de lignes', loaded: '{{shown}} lignes affichées sur {{groups}} groupe(s).', groupSubtotal: 'Sous-total {{number}}',
    },
  },
  en: {
    list: {
      title: 'Tasks', newTask: 'New task', board: 'Board', listView: 'List', filters: 'Filters',
      search: 'Search tasks (number or words)', status: 'Status', anyStatus: 'All statuses', type: 'Type', anyType: 'All types',
      client: 'Client', anyClient: 'All clients', assignee: 'Technician', anyAssignee: 'All', from: 'Scheduled from', to: 'Scheduled until',
      sort: 'Sort by', sortNumber: 'Number (newest first)', sortNumberAsc: 'Number (oldest first)', sortScheduled: 'Scheduled date (soonest first)', sortScheduledDesc: 'Scheduled date (latest first)',
      number: 'Number', titleCol: 'Title', scheduled: 'Scheduled', assignees: 'Technicians', count_one: '{{count}} task on this page', count_other: '{{count}} tasks on this page',
      empty: 'No task matches.', clear: 'Clear filters', topLevel: 'Main tasks only',
    },
    category: { open: 'To do', active: 'In progress', done: 'Done', cancelled: 'Cancelled' },
    board: { title: 'Board', type: 'Task type', count_one: '{{count}} task', count_other: '{{count}} tasks', more: 'The first 200 tasks per status.' },
    form: {
      newTitle: 'New task', newSubtask: 'New sub-task', editTitle: 'Edit the task',
      title: 'Title', description: 'Description', type: 'Type', client: 'Client', noClient: '— No client —', parent: 'Parent task', noParent: '— None (main task) —',
      technicians: 'Technicians', noTechnicians: 'No technician in the organization.', scheduled: 'Scheduled date', scheduledEnd: 'Scheduled end',
      site: 'Site address', city: 'City', region: 'Province', postalCode: 'Postal code', siteHint: 'Street and city, or leave empty.',
      create: 'Create', save: 'Save', created: 'Task {{number}} created.',
    },
    page: {
      back: 'All tasks', parent: 'Parent task', client: 'Client', assignees: 'Technicians', scheduled: 'Scheduled', site: 'Site address',
      type: 'Type', status: 'Status', completed: 'Completed on', workflow: 'Change the status', noTransition: 'No status change is possible.',
      moveTo: 'Move to “{{status}}”', edit: 'Edit', newSubtask: 'New sub-task', description: 'Description', none: '—',
    },
    lines: {
      title: 'Billing lines', add: 'Add a line', description: 'Description', quantity: 'Quantity', unitPrice: 'Unit price', taxes: 'Taxes',
      amount: 'Amount', taxable: 'Taxable', exempt: 'Exempt', empty: 'No line.', liveAmount: 'Amount: {{amount}}', edit: 'Edit the line {{description}}',
      delete: 'Delete the line {{description}}', save: 'Save the line', closed: 'The task is closed: its lines no longer change.',
      priceInvalid: 'An amount in dollars, e.g. 145.50.', own: 'The task’s lines',
    },
    totals: { subtotal: 'Subtotal', total: 'Total', GST: 'GST', HST: 'HST', QST: 'QST', taxLine: '{{tax}} ({{rate}})', exempt: 'of which not taxable' },
    attachments: {
      title: 'Attachments', drop: 'Drop files here, or', choose: 'Choose files', uploading: 'Uploading {{name}}', progress: 'Upload progress of {{name}}',
      empty: 'No attachment.', download: 'Download {{name}}', delete: 'Remove {{name}}', failed: 'Uploading {{name}} failed: {{reason}}',
      size: '{{size}} KB', photo: 'Photo {{name}}',
    },
    notes: { title: 'Notes', add: 'Add a note', body: 'New note', empty: 'No note.', by: '{{name}}, {{when}}' },
    history: { title: 'History', created: 'Created as “{{to}}”', moved: '“{{from}}” → “{{to}}”', by: 'by {{name}}', empty: 'No change.' },
    subtasks: { title: 'Sub-tasks', empty: 'No sub-task.', count_one: '{{count}} sub-task', count_other: '{{count}} sub-tasks', total: 'Lines total' },
    consolidated: {
      title: 'Consolidated content', empty: 'Nothing has been consolidated here yet.', completed: 'completed on {{date}}', by: 'by {{names}}', lines_one: '{{count}} line', lines_other: '{{count}} lines',
      attachments: 'Attachments of {{number}}', loadMore: 'Load more lines', loaded: '{{shown}} lines shown in {{groups}} group(s).', groupSubtotal: 'Subtotal {{number}}',
    },
  },
};
