import type { DemoStory } from '../script.ts';

const post = (path: string, body: string) => `  curl -s -X POST $BASE${path} -H "$AUTH" -H 'content-type: application/json' -d '${body}'`;

/** What `chantier demo` tells after loading: what happened, and how to see it. */
export const stories: DemoStory[] = [
  {
    title: 'Martin — consolidation by project (Famille Tremblay)',
    lines: [
      'Excavation ({task.excavation.number}, {user.luc.name}) and Pavage ({task.paving.number}, {user.emilie.name}) are completed. Their lines,',
      'notes and attachments rolled into the main task {task.driveway.number}, which then completed itself: one invoice,',
      'one group per sub-task, {task.driveway.total} with GST and QST.',
      '  curl -s $BASE/tasks/{task.driveway.id}/invoice -H "$AUTH"',
      '{task.driveway.number} is a Work task, so it issues no invoice by itself (only closing an Invoice task does).',
      'Progressive billing is on, so the finished project now waits as unbilled for the client, and',
      'the next Invoice task created for Famille Tremblay takes it in:',
      '  curl -s $BASE/clients/{client.tremblay.id}/unbilled -H "$AUTH"',
      'To bill it now: create that Invoice task, then close it (the invoice is issued and emailed in French):',
      `  INV=$(${post('/tasks', '{"typeId":"{type.invoice.id}","title":"Facture — Entrée de garage","clientId":"{client.tremblay.id}"}').trim()} | jq -r .id)`,
      post('/tasks/$INV/transitions', '{"to":"closed"}'),
    ],
  },
  {
    title: 'Kim — progressive billing, month by month (Réseau Boréal inc.)',
    lines: [
      '{task.fibre-cedar.number} and {task.fibre-larch.number}, completed by {user.samuel.name}, rolled into this month’s open invoice task',
      '{task.boreal-invoice.number} "{task.boreal-invoice.title}": {task.boreal-invoice.total} with HST so far.',
      '{task.fibre-mountain.number} ({task.fibre-mountain.title}) is still {task.fibre-mountain.status}.',
      '  curl -s $BASE/tasks/{task.boreal-invoice.id}/invoice -H "$AUTH"',
      'The server closes the month by itself on its last day at 17:00. Close it now, by hand:',
      '  npx chantier run-schedule {rule.month-end.id}',
      '  (or: npm run chantier -- run-schedule {rule.month-end.id})',
      'That closes {task.boreal-invoice.number}: its invoice is issued (numbered F-<year>-00001 if it is the first),',
      'the email with the PDF is queued for the client’s billing addresses',
      '({client.boreal.emails}), and next month’s invoice task is created.',
      '"chantier serve" (or "chantier worker") delivers the email: {email.delivery}.',
      '  curl -s $BASE/invoices -H "$AUTH"',
      '  curl -s "$BASE/tasks?typeId={type.invoice.id}&statusCategory=open" -H "$AUTH"    # next month’s invoice',
      'Then complete {task.fibre-mountain.number}: it goes into next month’s invoice.',
      post('/tasks/{task.fibre-mountain.id}/transitions', '{"to":"completed"}'),
    ],
  },
];
