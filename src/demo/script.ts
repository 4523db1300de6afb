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
  /** Set up by the admin, in order (the order they fire in), before any task is created. */
  automations: DemoRule[];
  /** Created in order, so a main task comes before its sub-tasks; the work (transitions) is done once all exist. */
  tasks: DemoTask[];
  /** Who creates clients and tasks and does anything a task names no one else for. */
  dispatcher: string;
  /** What the command tells once the demo is loaded, story by story (see `tellStories` for the placeholders). */
  stories: DemoStory[];
}

/**
 * An automation rule: either a rule every organization starts with (`builtIn`: its key),
 * enabled, or a new rule (`body`: the POST /automations body, where "@type:invoice" and
 * "@client:boreal" stand for the ids of the task type and client of those keys).
 */
export interface DemoRule {
  key: string;
  /** One line for the command's output. */
  summary: string;
  builtIn?: string;
  /** Fields set on each of the built-in rule's actions before it is enabled. */
  actionChanges?: Record<string, unknown>;
  body?: { name: string } & Record<string, unknown>;
}

export interface DemoStory {
  title: string;
  /** Lines of text; `{task.driveway.number}`, `{rule.month-end.id}`… are filled in when printed. */
  lines: string[];
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
  /** Statuses to move to, in order, once every task of the script exists (the rules are on by then). */
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
