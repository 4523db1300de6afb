import type { DemoScript } from '../script.ts';
import { automations } from './automations.ts';
import { kimBilling } from './kim-billing.ts';
import { martinProject } from './martin-project.ts';
import { admin, clients, organization, users } from './people.ts';
import { stories } from './stories.ts';

/** The demo organization `chantier demo` loads. */
export const DEMO: DemoScript = {
  organization,
  admin,
  users,
  clients,
  dispatcher: 'kim',
  automations,
  tasks: [...martinProject, ...kimBilling],
  stories,
};
