import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-automation.ts';
import * as m0003 from './0003-outbox.ts';
import * as m0004 from './0004-invoices.ts';
import * as m0005 from './0005-schedules.ts';
import * as m0006 from './0006-attachments-by-source.ts';
import * as m0007 from './0007-client-search.ts';
import * as m0008 from './0008-secrets.ts';
import * as m0009 from './0009-frozen-billing-facts.ts';
import * as m0010 from './0010-small-supplier.ts';
import * as m0011 from './0011-idempotency-outcome.ts';
import * as m0012 from './0012-occurrence-targets.ts';
import * as m0013 from './0013-organization-contact.ts';
import * as m0014 from './0014-task-counters.ts';
import * as m0015 from './0015-invoice-line-groups.ts';
import * as m0016 from './0016-task-counters-for-all.ts';
import * as m0017 from './0017-copies-found-by-source.ts';
import * as m0018 from './0018-pending-consolidations-index.ts';
import * as m0019 from './0019-expect-rows.ts';
import * as m0020 from './0020-rules-generation.ts';
import * as m0021 from './0021-line-positions-unique.ts';
import * as m0022 from './0022-invoice-rows-by-organization.ts';
import * as m0023 from './0023-lines-without-origin-index.ts';

/** Forward-only, numbered migrations. Append new ones; never edit a shipped one. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-automation': m0002,
  '0003-outbox': m0003,
  '0004-invoices': m0004,
  '0005-schedules': m0005,
  '0006-attachments-by-source': m0006,
  '0007-client-search': m0007,
  '0008-secrets': m0008,
  '0009-frozen-billing-facts': m0009,
  '0010-small-supplier': m0010,
  '0011-idempotency-outcome': m0011,
  '0012-occurrence-targets': m0012,
  '0013-organization-contact': m0013,
  '0014-task-counters': m0014,
  '0015-invoice-line-groups': m0015,
  '0016-task-counters-for-all': m0016,
  '0017-copies-found-by-source': m0017,
  '0018-pending-consolidations-index': m0018,
  '0019-expect-rows': m0019,
  '0020-rules-generation': m0020,
  '0021-line-positions-unique': m0021,
  '0022-invoice-rows-by-organization': m0022,
  '0023-lines-without-origin-index': m0023,
};
