import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * Table types, written once for both stores. Conventions shared by SQLite and PostgreSQL:
 * ids are UUIDv7 text; times are ISO-8601 UTC text (sortable); booleans are 0/1 integers;
 * money is integer cents; quantities are integer thousandths; JSON is text.
 */
export interface OrganizationsTable {
  id: string;
  name: string;
  locale: string;
  time_zone: string;
  currency: string;
  gst_number: string | null;
  qst_number: string | null;
  address: string | null; // JSON Address
  created_at: string;
  updated_at: string;
}

export interface OrgCountersTable {
  org_id: string;
  name: string;
  value: number;
}

export interface UsersTable {
  id: string;
  org_id: string;
  name: string;
  email: string;
  email_lower: string;
  password_hash: string;
  role: 'admin' | 'dispatcher' | 'technician';
  active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SessionsTable {
  id: string;
  org_id: string;
  user_id: string;
  kind: 'session' | 'token';
  name: string | null;
  token_hash: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface LoginFailuresTable {
  key: string;
  count: number;
  window_start: string;
}

export interface ClientsTable {
  id: string;
  org_id: string;
  name: string;
  billing_emails: string; // JSON string[]
  billing_address: string | null; // JSON Address
  phone: string | null;
  language: 'fr' | 'en';
  tax_region: string;
  notes: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TaskTypesTable {
  id: string;
  org_id: string;
  key: string;
  label_fr: string;
  label_en: string;
  prefix: string;
  billing: number;
  workflow: string; // JSON Workflow
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TasksTable {
  id: string;
  org_id: string;
  number: number;
  type_id: string;
  status: string;
  title: string;
  description: string | null;
  client_id: string | null;
  parent_id: string | null;
  scheduled_start: string | null;
  scheduled_end: string | null;
  site_address: string | null; // JSON Address
  status_changed_at: string;
  completed_at: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TaskAssigneesTable {
  org_id: string;
  task_id: string;
  user_id: string;
}

export interface TaskLinesTable {
  id: string;
  org_id: string;
  task_id: string;
  position: number;
  description: string;
  quantity_milli: number;
  unit: string | null;
  unit_price_cents: number;
  amount_cents: number;
  tax_treatment: 'taxable' | 'exempt';
  product_code: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface NotesTable {
  id: string;
  org_id: string;
  task_id: string;
  author_id: string | null;
  body: string;
  created_at: string;
}

export interface BlobsTable {
  hash: string;
  size: number;
  media_type: string;
  created_at: string;
}

export interface AttachmentsTable {
  id: string;
  org_id: string;
  task_id: string;
  blob_hash: string;
  file_name: string;
  media_type: string;
  size: number;
  kind: 'photo' | 'document';
  uploaded_by: string | null;
  created_at: string;
}

export interface TaskHistoryTable {
  id: string;
  org_id: string;
  task_id: string;
  from_status: string | null;
  to_status: string;
  user_id: string | null;
  at: string;
}

export interface IdempotencyKeysTable {
  org_id: string;
  user_id: string;
  key: string;
  request_hash: string;
  state: 'pending' | 'done';
  status_code: number | null;
  response_body: string | null;
  response_type: string | null;
  created_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  org_counters: OrgCountersTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  clients: ClientsTable;
  task_types: TaskTypesTable;
  tasks: TasksTable;
  task_assignees: TaskAssigneesTable;
  task_lines: TaskLinesTable;
  notes: NotesTable;
  blobs: BlobsTable;
  attachments: AttachmentsTable;
  task_history: TaskHistoryTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type Dialect = 'sqlite' | 'postgres';
export type Executor = Kysely<Database> | Transaction<Database>;
// Generated is re-exported for later tables with database defaults.
export type { Generated };
