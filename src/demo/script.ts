/**
 * The shape of a demo: plain data that `loadDemo` plays through the HTTP API, in order.
 * People, clients and tasks are named by a short key; later entries refer to earlier ones.
 * To extend the demo, add entries to the data files (src/demo/data/) — not steps to the loader.
 */
export interface DemoScript {
  organization: DemoOrganization;
  /** Signs the organization up; the login and token the command prints are theirs. */
  admin: DemoUser;
  /** Added by the admin, in order. */
  users: DemoUser[];
  /** Created by `dispatcher`. */
  clients: DemoClient[];
  /** Created in order, so a main task comes before its sub-tasks. */
  tasks: DemoTask[];
  /** Who creates clients and tasks and does anything a task names no one else for. */
  dispatcher: string;
}

export interface DemoOrganization {
  name: string;
  locale: 'fr-CA' | 'en-CA';
  timeZone: string;
  /** Seller details for invoices, set with PATCH /organization. */
  address?: DemoAddress;
  gstNumber?: string;
  qstNumber?: string;
}

export interface DemoUser {
  key: string;
  name: string;
  email: string;
  role: 'admin' | 'dispatcher' | 'technician';
}

export interface DemoAddress {
  line1: string;
  city: string;
  region?: string;
  postalCode?: string;
}

export interface DemoClient {
  key: string;
  name: string;
  billingEmails: string[];
  billingAddress?: DemoAddress;
  phone?: string;
  language: 'fr' | 'en';
  taxRegion: string;
}

export interface DemoTask {
  key: string;
  /** A task type key of the organization: `work` or `invoice` by default. */
  type: string;
  /** `{month}` becomes the current month and year in the organization's language ("novembre 2026"). */
  title: string;
  description?: string;
  client?: string;
  /** The main task this one is a sub-task of. */
  parent?: string;
  assignees?: string[];
  /** Relative to the day the demo is loaded, in the organization's time zone. */
  schedule?: { day: number; start: string; hours: number };
  siteAddress?: DemoAddress;
  /** Who adds the lines, notes and attachments and moves the task (default: the dispatcher). */
  by?: string;
  lines?: DemoLine[];
  notes?: string[];
  /** `{number}` in a file name becomes the task's display number (T-12), as the seed advises. */
  attachments?: { fileName: string; text: string }[];
  /** Statuses to move to, in order, after the content is added. */
  transitions?: (string | { to: string; by: string })[];
}

export interface DemoLine {
  description: string;
  /** Exact decimal text. */
  quantity: string;
  unit?: string;
  unitPriceCents: number;
  taxTreatment?: 'taxable' | 'exempt';
}
