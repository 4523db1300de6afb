import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

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
  phone: string | null;
  email: string | null;
  /** The From header's display name; null: the organization's name. */
  email_sender_name: string | null;
  /** 1: a small supplier, not registered for GST/HST or QST — its invoices charge no tax. */
  small_supplier: Generated<number>;
  invoice_number_pattern: Generated<string>; // e.g. F-{yyyy}-{seq:5}
  default_payment_terms_days: Generated<number>;
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

/** A rate limit's counter for one key (`api:<credential id>`, `signup:<address>`…) in its window. */
/** Per-task counters kept instead of scans (migration 0014); a task without a row is not counted yet. */
export interface TaskCountersTable {
  task_id: string;
  org_id: string;
  next_line_position: number;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: string;
}

/** One row (id 1): the fingerprint of the key that encrypts the webhook secrets. */
export interface SecretKeyInUseTable {
  id: number;
  fingerprint: string;
  updated_at: string;
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
  search_name: string; // searchKey(name)
  billing_emails: string; // JSON string[]
  billing_address: string | null; // JSON Address
  phone: string | null;
  language: 'fr' | 'en';
  tax_region: string;
  notes: string | null;
  payment_terms_days: number | null; // null: the organization's default
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

/** Nullable column that inserts may omit. */
type Opt<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * Provenance of consolidated content (null on content entered on the task itself):
 * `source_id` is the row it was copied from (unique: copied at most once), `origin_*` the
 * row and task where it was first entered, whatever the nesting.
 */
export interface Provenance {
  consolidation_id: Opt<string>;
  source_id: Opt<string>;
  origin_id: Opt<string>;
  origin_task_id: Opt<string>;
  origin_task_number: Opt<string>;
  origin_task_title: Opt<string>;
  origin_completed_at: Opt<string>;
  origin_assignees: Opt<string>; // JSON [{id, name}]
}

export interface TaskLinesTable extends Provenance {
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

export interface NotesTable extends Provenance {
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

export interface AttachmentsTable extends Provenance {
  display_name: Opt<string>;
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
  /** pending: running; committed: its work committed, its answer not stored yet; done: answered. */
  state: 'pending' | 'committed' | 'done';
  status_code: number | null;
  response_body: string | null;
  response_type: string | null;
  created_at: string;
  /** The request holding the key; a transaction commits only while its attempt still does. */
  attempt: string | null;
  /** JSON: what each committed transaction of the request returned (null once answered). */
  results: string | null;
  /** 1: the answer held a secret, so it is not kept for replay. */
  withheld: number;
}

export interface AutomationRulesTable {
  id: string;
  org_id: string;
  key: string | null;
  name: string;
  enabled: number;
  trigger: string; // JSON Trigger
  trigger_type: string; // the trigger's type, for the scheduler: 'status_entered' | 'schedule'
  conditions: string; // JSON Conditions
  actions: string; // JSON ActionSpec[]
  position: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface AutomationRuleHistoryTable {
  id: string;
  org_id: string;
  rule_id: string;
  user_id: string | null;
  change: string;
  before: string | null;
  after: string | null;
  at: string;
}

export interface AutomationRunsTable {
  id: string;
  org_id: string;
  rule_id: string;
  rule_name: string;
  task_id: string;
  trigger: string; // JSON {from, to, depth}
  outcome: 'succeeded' | 'failed';
  actions: string; // JSON [{id, type, outcome, detail}]
  error: string | null;
  duration_ms: number;
  at: string;
}

export interface ConsolidationsTable {
  id: string;
  org_id: string;
  source_task_id: string;
  target_task_id: string | null;
  client_id: string | null;
  rule_id: string | null;
  state: 'active' | 'pending' | 'retracted';
  reparented: number;
  previous_parent_id: string | null;
  options: string; // JSON {attachmentNamePattern}
  created_at: string;
  retracted_at: string | null;
}

/** An occurrence of a scheduled rule; UNIQUE (rule_id, occurrence_at) is the claim to run it. */
export interface ScheduleOccurrencesTable {
  id: string;
  org_id: string;
  rule_id: string;
  occurrence_at: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
  manual: number;
  claimed_by: string | null;
  claimed_at: string | null;
  finished_at: string | null;
  summary: string | null; // JSON {selected, succeeded, failed, skipped}
  error: string | null;
}

/** A row of the transactional outbox: an outside effect delivered after commit by a worker. */
export interface OutboxTable {
  id: string;
  org_id: string;
  kind: 'email' | 'webhook';
  task_id: string | null;
  payload: string; // JSON, by kind (e.g. EmailPayload)
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  max_attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  message_id: string; // stable, e.g. <uuid@domain>
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/** An issued invoice or credit note: a frozen snapshot (only payment and credited marks change). */
export interface InvoicesTable {
  id: string;
  org_id: string;
  number: string;
  kind: 'invoice' | 'credit_note';
  task_id: string;
  client_id: string;
  credits_invoice_id: string | null; // credit note: the invoice it cancels
  credits_invoice_number: string | null;
  credit_note_id: string | null; // invoice: the credit note that cancelled it
  credited_at: string | null;
  language: 'fr' | 'en';
  currency: string;
  seller: string; // JSON {name, address, gstNumber, qstNumber}
  buyer: string; // JSON {clientId, name, address, emails, taxRegion}
  task_ref: string; // JSON {id, number, title}
  tax_region: string;
  tax_date: string; // YYYY-MM-DD
  totals: string; // JSON InvoiceTotals
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  line_count: number;
  issue_date: string; // YYYY-MM-DD
  due_date: string | null;
  payment_terms_days: number | null;
  payment_status: 'unpaid' | 'paid' | null; // null on a credit note
  paid_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A frozen invoice line; `group_*` is where it was first entered (null: the billing task's own). */
export interface InvoiceLinesTable {
  org_id: string;
  invoice_id: string;
  position: number;
  source_line_id: string | null;
  group_task_id: string | null;
  group_number: string | null;
  group_title: string | null;
  group_completed_at: string | null;
  group_assignees: string | null; // JSON [{id, name}]
  description: string;
  quantity_milli: number;
  unit: string | null;
  unit_price_cents: number;
  amount_cents: number;
  tax_treatment: 'taxable' | 'exempt';
  product_code: string | null;
}

export interface InvoiceAttachmentsTable {
  org_id: string;
  invoice_id: string;
  position: number;
  group_task_id: string | null;
  group_number: string | null;
  group_title: string | null;
  group_completed_at: string | null;
  group_assignees: string | null;
  name: string;
  media_type: string;
  size: number;
  kind: 'photo' | 'document';
  blob_hash: string;
}

export interface ScheduleOccurrenceTargetsTable {
  occurrence_id: string;
  org_id: string;
  task_id: string;
  position: number;
  display_number: string;
  title: string;
  outcome: 'succeeded' | 'skipped' | 'failed' | null;
}

export interface Database {
  organizations: OrganizationsTable;
  org_counters: OrgCountersTable;
  task_counters: TaskCountersTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  rate_limits: RateLimitsTable;
  secret_key_in_use: SecretKeyInUseTable;
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
  automation_rules: AutomationRulesTable;
  automation_rule_history: AutomationRuleHistoryTable;
  automation_runs: AutomationRunsTable;
  consolidations: ConsolidationsTable;
  schedule_occurrences: ScheduleOccurrencesTable;
  schedule_occurrence_targets: ScheduleOccurrenceTargetsTable;
  outbox: OutboxTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoice_attachments: InvoiceAttachmentsTable;
}

export type Dialect = 'sqlite' | 'postgres';
export type Executor = Kysely<Database> | Transaction<Database>;
// Generated is re-exported for later tables with database defaults.
export type { Generated };
