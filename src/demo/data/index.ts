import type { DemoScript } from '../script.ts';
import { kimBilling } from './kim-billing.ts';
import { martinProject } from './martin-project.ts';
import { admin, clients, organization, users } from './people.ts';

/** The demo organization `chantier demo` loads. */
export const DEMO: DemoScript = {
  organization,
  admin,
  users,
  clients,
  dispatcher: 'kim',
  tasks: [...martinProject, ...kimBilling],
};
